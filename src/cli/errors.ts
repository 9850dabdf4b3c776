import { AexError } from '../errors.js';
import { EXIT } from '../exit-codes.js';

/** A user-facing failure of a command: printed as one line `error MESSAGE`, never with a stack trace. */
export class CliError extends AexError {
  constructor(message: string, exitCode: number = EXIT.failed) {
    super(message, exitCode);
    this.name = 'CliError';
  }
}
