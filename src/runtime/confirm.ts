// Confirmation handlers for `aex run` (SPEC §9.4): --auto-confirm approves everything; a
// TTY gets the prompt `confirm Allow tool "X"? [y/N]:` on stderr; otherwise there is no
// handler, and every gated call is refused (confirm.denied, reason no_handler).

import { createInterface } from 'node:readline/promises';
import type { ConfirmHandler } from './steps/types.js';

export const autoConfirm: ConfirmHandler = () => true;

export function ttyConfirm(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stderr): ConfirmHandler {
  return async (tool) => {
    const rl = createInterface({ input, output, terminal: true });
    try {
      const answer = await rl.question(`confirm Allow tool "${tool}"? [y/N]: `);
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
