// The base of every error a person can fix: a missing file, an invalid policy, a bad
// option. The CLI prints an AexError as one line `error MESSAGE` with its exit code and
// no stack; anything else that reaches it is a bug, reported once as an internal error
// (src/cli/report-error.ts). Modules below the CLI (adapters, runtime, gate) throw
// these, so none of them needs to import the CLI.
//
// A leaf module: the gate bundle imports it.

import { EXIT } from './exit-codes.js';

export class AexError extends Error {
  /** The process exit code when this error ends a command (see src/exit-codes.ts). */
  readonly exitCode: number;
  constructor(message: string, exitCode: number = EXIT.failed, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/** True for an error a person can fix (printed as one line, no stack). */
export function isAexError(err: unknown): err is AexError {
  return err instanceof AexError;
}

/**
 * The one text of an internal error (a bug in AEX, never a user mistake): `internal:
 * MESSAGE`, and with AEX_DEBUG set the stack on the following lines.
 */
export function internalErrorText(err: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const message = err instanceof Error ? err.message : String(err);
  const stack = env.AEX_DEBUG && err instanceof Error && err.stack ? `\n${err.stack}` : '';
  return `internal: ${message}${stack}`;
}
