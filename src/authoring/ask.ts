import { createInterface } from 'node:readline';

/** Asks one question on the terminal (prompt on stderr) and resolves with the answer ('' on EOF). */
export function ask(question: string): Promise<string> {
  return new Promise((resolveAnswer) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) });
    let answered = false;
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolveAnswer(answer);
    });
    rl.on('close', () => {
      if (!answered) resolveAnswer('');
    });
  });
}

export function isYes(answer: string): boolean {
  return /^\s*y/i.test(answer);
}

export function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY);
}
