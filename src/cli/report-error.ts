import { AexError, internalErrorText } from '../errors.js';
import { EXIT } from '../exit-codes.js';

/**
 * How every command ends on an error: an AexError (a mistake a person can fix) and cac's
 * own usage errors are one line with their exit code; anything else is a bug, reported
 * through the one internal-error path (exit 70, the stack with AEX_DEBUG).
 */
export function reportError(err: unknown): void {
  if (err instanceof AexError) {
    process.stderr.write(`error ${err.message}\n`);
    process.exitCode = err.exitCode;
    return;
  }
  // cac reports user mistakes (unknown option, missing argument) as CACError.
  if (err instanceof Error && err.name === 'CACError') {
    process.stderr.write(`error ${err.message}\n`);
    process.exitCode = EXIT.failed;
    return;
  }
  process.stderr.write(`error ${internalErrorText(err)}\n`);
  process.exitCode = EXIT.internal;
}
