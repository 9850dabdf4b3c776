// The one reader of the raw command line (src/cli/raw-argv.ts).
import { describe, expect, it } from 'vitest';
import { argsAfter, hasFlag, rawOption, rawValues, stringOption } from '../../src/cli/raw-argv.js';

describe('raw argv', () => {
  it('keeps values verbatim that cac would turn into numbers', () => {
    const argv = ['node', 'aex', 'sign', 'f', '--key', '0123', '--id=1e3'];
    expect(rawOption('key', argv)).toBe('0123');
    expect(stringOption(123, ['id'], argv)).toBe('1e3');
  });

  it('reads every value of a repeatable option in order, in both spellings, never after --', () => {
    expect(rawValues('input', ['run', 'f', '--input', 'a=0123', '--input=b=2', '--', '--input', 'c=3'])).toEqual(['a=0123', 'b=2']);
  });

  it('takes the last value, and a flag followed by another option as given without a value', () => {
    expect(rawOption('policy', ['--policy', 'a', '--policy', 'b'])).toBe('b');
    expect(rawOption('policy', ['--policy', '--json'])).toBe('');
    expect(rawOption('policy', ['--json'])).toBeUndefined();
    expect(rawOption(['k', 'key'], ['-k', 'x'])).toBe('x');
  });

  it('does not take an option whose name only starts the same', () => {
    expect(rawOption('key', ['--key-file', 'k'])).toBeUndefined();
    expect(rawOption('key', ['--key-file=k'])).toBeUndefined();
  });

  it('hasFlag stops at --, so an upstream command of the proxy cannot pass AEX flags', () => {
    expect(hasFlag(['help', 'h'], ['gate', '-h'])).toBe(true);
    expect(hasFlag('help', ['proxy', '--', 'server', '--help'])).toBe(false);
  });

  it('argsAfter hands on everything after the command word', () => {
    expect(argsAfter('gate', ['node', 'aex', 'gate', '--host', 'codex'])).toEqual(['--host', 'codex']);
    expect(argsAfter('gate', ['node', 'aex'])).toEqual([]);
  });
});
