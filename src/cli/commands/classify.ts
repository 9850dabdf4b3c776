import type { CAC } from 'cac';
import { classifyPrompt } from '../../authoring/classify.js';
import { CliError } from '../errors.js';

export function register(cli: CAC): void {
  cli
    .command('classify <prompt>', 'Say whether a prompt needs a task contract (keyword heuristic, no model)')
    .example('aex classify "fix the failing test in src/foo.ts"')
    .action((prompt: unknown) => {
      if (typeof prompt !== 'string' || prompt.trim() === '') {
        throw new CliError('classify needs a non-empty PROMPT');
      }
      process.stdout.write(JSON.stringify(classifyPrompt(prompt), null, 2) + '\n');
    });
}
