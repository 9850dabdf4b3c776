// Splits a known program's words into options (with their values) and operands, the way
// getopt does: clustered short options, values attached or in the next word, `--name=value`,
// and `--` ending the options. Options the table does not list take no value — a missed
// value then reads as one more file operand, which only adds actions.

import type { OptionSpec, ProgramSpec } from './programs.js';
import type { ShellWord } from './words.js';
import { literalWord } from './words.js';

export interface ParsedOption {
  name: string;
  spec?: OptionSpec;
  values: ShellWord[];
}

export interface ParsedArgs {
  options: ParsedOption[];
  operands: ShellWord[];
  /** An unknown word stood where an option may be: it could be any option. */
  unknownOption: boolean;
}

export function parseArgs(words: readonly ShellWord[], spec: Pick<ProgramSpec, 'options'>, stopAtOperand = false): ParsedArgs {
  const result: ParsedArgs = { options: [], operands: [], unknownOption: false };
  let optionsEnded = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const text = word.literal;
    if (optionsEnded || (text !== undefined && (text === '-' || !text.startsWith('-')))) {
      result.operands.push(word);
      if (stopAtOperand) optionsEnded = true;
      continue;
    }
    if (text === undefined) {
      result.unknownOption = true;
      result.operands.push(word);
      continue;
    }
    if (text === '--') {
      optionsEnded = true;
      continue;
    }
    const take = (count: number): ShellWord[] => {
      const values = words.slice(i + 1, i + 1 + count);
      i += values.length;
      return values;
    };
    if (text.startsWith('--') || spec.options[text]?.value !== undefined || spec.options[text.split('=')[0]!]) {
      const eq = text.indexOf('=');
      const name = eq >= 0 ? text.slice(0, eq) : text;
      const option = spec.options[name];
      const values: ShellWord[] = [];
      if (eq >= 0) values.push(literalWord(text.slice(eq + 1)));
      else if (option?.value === 'next') values.push(...take(1));
      else if (option?.value === 2) values.push(...take(2));
      result.options.push({ name, spec: option, values });
      continue;
    }
    for (let k = 1; k < text.length; k++) {
      const name = '-' + text[k];
      const option = spec.options[name];
      const rest = text.slice(k + 1);
      if (option?.value === 'next') {
        result.options.push({ name, spec: option, values: rest ? [literalWord(rest)] : take(1) });
        break;
      }
      if (option?.value === 'attached') {
        result.options.push({ name, spec: option, values: rest ? [literalWord(rest)] : [] });
        break;
      }
      if (option?.value === 2) {
        result.options.push({ name, spec: option, values: take(2) });
        break;
      }
      result.options.push({ name, spec: option, values: [] });
    }
  }
  return result;
}
