// The error every policy and contract loader throws: a message naming the file (and
// line), plus the diagnostics in AEX's format when there are any.

import type { Diagnostic } from '../../compiler/diagnostics.js';
import { BoundedReadError } from '../../io/bounded-read.js';
import { AexError } from '../../errors.js';

export class PolicyError extends AexError {
  readonly diagnostics: Diagnostic[];
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  constructor(message: string, opts: { file?: string; line?: number; column?: number; diagnostics?: Diagnostic[] } = {}) {
    super(message);
    this.name = 'PolicyError';
    this.diagnostics = opts.diagnostics ?? [];
    if (opts.file !== undefined) this.file = opts.file;
    if (opts.line !== undefined) this.line = opts.line;
    if (opts.column !== undefined) this.column = opts.column;
  }
}

/** Code of a file that cannot be loaded at all: missing, not a regular file, or too large. */
export const UNREADABLE_FILE_CODE = 'AEX131';

/**
 * A file of a policy (or contract) that the bounded reader refused, as a PolicyError
 * with one AEX131 diagnostic; `referrer` is the policy whose `extends` named it. A missing
 * file reads "<what> file not found: FILE" unless `sayNotFound` is false (the gate's wording).
 */
export function unreadableFileError(err: BoundedReadError, what: string, referrer?: string, sayNotFound = true): PolicyError {
  const message =
    err.code === 'ENOENT' && referrer === undefined && sayNotFound
      ? `${what} file not found: ${err.file}`
      : `cannot read ${what} ${err.file}${referrer !== undefined ? ` (extended from ${referrer})` : ''}: ${err.reason}`;
  const d: Diagnostic = { code: UNREADABLE_FILE_CODE, severity: 'error', message, file: referrer ?? err.file, line: 1, column: 1 };
  return new PolicyError(message, { file: err.file, diagnostics: [d] });
}
