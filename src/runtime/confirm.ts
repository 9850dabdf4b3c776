// Confirmation handlers for `aex run`: --auto-confirm approves everything; a TTY gets
// what the call is — the kernel's reason and the arguments exactly as the tool will
// receive them — then the prompt `confirm Allow tool "X"? [y/N]:` on stderr; otherwise
// there is no handler, and every gated call is refused (confirm.denied, reason no_handler).

import { createInterface } from 'node:readline/promises';
import type { ConfirmHandler, ConfirmRequest } from './steps/types.js';

export const autoConfirm: ConfirmHandler = () => true;

/**
 * JSON with every character a terminal could act on escaped: JSON.stringify leaves DEL,
 * the C1 controls (one of which starts an escape sequence) and the bidirectional
 * overrides as they are, and those could redraw or reorder what the person approves.
 */
export function terminalSafeJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.replace(/[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The lines shown before the question: why AEX asks, and every argument (`__proto__` included). */
export function confirmationText(tool: string, request: Pick<ConfirmRequest, 'args' | 'message' | 'line'>): string {
  const lines: string[] = [];
  if (request.message) lines.push(`confirm ${terminalSafeJson(request.message).slice(1, -1)}`);
  lines.push(`confirm ${terminalSafeJson(tool).slice(1, -1)} (line ${request.line}) arguments: ${terminalSafeJson(request.args ?? {})}`);
  return lines.join('\n') + '\n';
}

export function ttyConfirm(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): ConfirmHandler {
  return async (tool, request) => {
    const rl = createInterface({ input, output, terminal: true });
    try {
      output.write(confirmationText(tool, request));
      const answer = await rl.question(`confirm Allow tool ${terminalSafeJson(tool)}? [y/N]: `);
      return /^\s*y/i.test(answer);
    } finally {
      rl.close();
    }
  };
}

/** The handler `aex run` uses: auto, TTY prompt, or none. */
export function cliConfirmHandler(opts: { autoConfirm?: boolean }): ConfirmHandler | undefined {
  if (opts.autoConfirm) return autoConfirm;
  if (process.stdin.isTTY && process.stderr.isTTY) return ttyConfirm();
  return undefined;
}
