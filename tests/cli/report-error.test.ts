// How a command ends on an error: a mistake a person can fix (any AexError, from any
// layer) is one line with its exit code; anything else goes through the one
// internal-error path (exit 70, the stack only with AEX_DEBUG).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportError } from '../../src/cli/main.js';
import { CliError } from '../../src/cli/errors.js';
import { AexError, internalErrorText } from '../../src/errors.js';
import { EXIT } from '../../src/exit-codes.js';
import { PolicyError } from '../../src/runtime/policy/errors.js';
import { BoundedReadError } from '../../src/io/bounded-read.js';
import { GateError } from '../../src/gate/options.js';
import { HookInputError } from '../../src/adapters/host-protocol.js';
import { GrantError } from '../../src/grants/store.js';

let written: string;
let savedDebug: string | undefined;
beforeEach(() => {
  written = '';
  savedDebug = process.env.AEX_DEBUG;
  delete process.env.AEX_DEBUG;
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written += String(chunk);
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  if (savedDebug === undefined) delete process.env.AEX_DEBUG;
  else process.env.AEX_DEBUG = savedDebug;
  process.exitCode = 0;
});

describe('reportError', () => {
  it('prints a CliError as one line with its exit code', () => {
    reportError(new CliError('bad thing', EXIT.usage));
    expect(written).toBe('error bad thing\n');
    expect(process.exitCode).toBe(2);
  });

  it('prints every user-facing error of the layers below the CLI as one line, exit 1, no stack', () => {
    for (const err of [
      new PolicyError('policy.aex:3:1 unknown keyword'),
      new BoundedReadError('/x', 'policy', 'a directory', 'EISDIR'),
      new GateError('--host needs a value'),
      new HookInputError('hook input is not JSON'),
      new GrantError('give the rule without a keyword'),
      new AexError('plain'),
    ]) {
      written = '';
      reportError(err);
      expect(written).toBe(`error ${err.message}\n`);
      expect(process.exitCode).toBe(EXIT.failed);
      expect(err).toBeInstanceOf(AexError);
    }
  });

  it('keeps the subclass name (messages and logs that show it stay the same)', () => {
    expect(new PolicyError('x').name).toBe('PolicyError');
    expect(new GrantError('x').name).toBe('GrantError');
    expect(new CliError('x').name).toBe('CliError');
  });

  it("treats cac's usage errors as user mistakes", () => {
    const e = new Error('Unknown option `--nope`');
    e.name = 'CACError';
    reportError(e);
    expect(written).toBe('error Unknown option `--nope`\n');
    expect(process.exitCode).toBe(EXIT.failed);
  });

  it('reports anything else as an internal error, exit 70, without a stack', () => {
    reportError(new TypeError('x is undefined'));
    expect(written).toBe('error internal: x is undefined\n');
    expect(process.exitCode).toBe(EXIT.internal);
    written = '';
    reportError('a thrown string');
    expect(written).toBe('error internal: a thrown string\n');
  });

  it('prints the stack of an internal error with AEX_DEBUG, and never for a user mistake', () => {
    process.env.AEX_DEBUG = '1';
    reportError(new RangeError('boom'));
    expect(written.startsWith('error internal: boom\nRangeError: boom\n    at ')).toBe(true);
    written = '';
    reportError(new PolicyError('bad policy'));
    expect(written).toBe('error bad policy\n');
  });

  it('internalErrorText is the one text of an internal error', () => {
    expect(internalErrorText(new Error('m'), {})).toBe('internal: m');
    expect(internalErrorText(new Error('m'), { AEX_DEBUG: '1' })).toMatch(/^internal: m\nError: m\n {4}at /);
  });
});
