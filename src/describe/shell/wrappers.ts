// Transparent wrappers (docs/shell.md): commands that run another command and add nothing
// of their own. The wrapper and its options are removed and the inner command is judged.
// An option AEX does not know makes the inner command unknown rather than guessed.

import type { Action, Unresolved } from '../types.js';
import type { WalkState } from './state.js';
import { literalWord, unknownWord, type ShellWord } from './words.js';
import type { Bases } from './bases.js';
import { basesAfterCd, literalWordPath } from './bases.js';
import { assignmentProblems } from './assignments.js';

export type Stripped =
  | { kind: 'stripped'; inner: ShellWord[]; environment: Unresolved[]; effects: Action[]; bases?: Bases }
  | { kind: 'not-wrapper' }
  | { kind: 'unknown' };

interface WrapperSpec {
  /** Options that take a value (next word, or attached). */
  valued: string[];
  /** Options without a value. */
  flags: string[];
  /** Operands before the command (timeout's DURATION). */
  fixed?: number;
  /** Options after which there is no inner command to strip (command -v). */
  notWrapper?: string[];
  /** Accepts `-N` numbers as an option (nice -10). */
  numericOption?: boolean;
}

export const WRAPPERS: Record<string, WrapperSpec> = {
  timeout: { valued: ['-s', '--signal', '-k', '--kill-after'], flags: ['--preserve-status', '--foreground', '-v', '--verbose'], fixed: 1 },
  nice: { valued: ['-n', '--adjustment'], flags: [], numericOption: true },
  nohup: { valued: [], flags: [] },
  time: { valued: ['-f', '--format', '-o', '--output'], flags: ['-p', '-a', '--append', '-v', '--verbose', '-q', '--quiet', '--portability'] },
  command: { valued: [], flags: ['-p'], notWrapper: ['-v', '-V'] },
  builtin: { valued: [], flags: [] },
  exec: { valued: ['-a'], flags: ['-c', '-l'] },
  stdbuf: { valued: ['-i', '-o', '-e', '--input', '--output', '--error'], flags: [] },
  ionice: { valued: ['-c', '--class', '-n', '--classdata'], flags: ['-t', '--ignore'], notWrapper: ['-p', '--pid', '-P', '--pgid', '-u', '--uid'] },
  env: { valued: ['-u', '--unset', '-C', '--chdir', '-S', '--split-string', '-P'], flags: ['-i', '--ignore-environment', '-', '-0', '--null', '-v', '--debug'] },
  xargs: {
    valued: ['-a', '--arg-file', '-d', '--delimiter', '-E', '-I', '-L', '--max-lines', '-n', '--max-args', '-P', '--max-procs', '-s', '--max-chars', '--process-slot-var'],
    flags: ['-0', '--null', '-p', '--interactive', '-r', '--no-run-if-empty', '-t', '--verbose', '-x', '--exit', '-o', '--open-tty', '-e', '-i', '-l', '--replace', '--eof', '--max-lines'],
  },
};

interface ReadOption {
  name: string;
  value?: ShellWord;
}

/** Reads the wrapper's options; undefined when one is unknown or not literal. */
function readOptions(spec: WrapperSpec, words: readonly ShellWord[]): { options: ReadOption[]; next: number } | undefined {
  const options: ReadOption[] = [];
  let i = 1;
  for (; i < words.length; i++) {
    const text = words[i]!.literal;
    if (text === undefined) return undefined;
    if (text === '--') {
      i++;
      break;
    }
    if (!text.startsWith('-') || text === '-' && !spec.flags.includes('-')) break;
    if (spec.numericOption && /^-[0-9]+$/.test(text)) {
      options.push({ name: '-n', value: literalWord(text.slice(1)) });
      continue;
    }
    const eq = text.indexOf('=');
    if (text.startsWith('--') && eq > 0) {
      const name = text.slice(0, eq);
      if (!spec.valued.includes(name) && !spec.flags.includes(name)) return undefined;
      options.push({ name, value: literalWord(text.slice(eq + 1)) });
      continue;
    }
    if (spec.valued.includes(text)) {
      const value = words[i + 1];
      if (!value) return undefined;
      options.push({ name: text, value });
      i++;
      continue;
    }
    if (spec.flags.includes(text) || spec.notWrapper?.includes(text)) {
      options.push({ name: text });
      continue;
    }
    // Clustered or attached short options: -u NAME as -uNAME, -0r, -I{}.
    const short = '-' + text[1];
    if (text.length > 2 && !text.startsWith('--')) {
      if (spec.valued.includes(short)) {
        options.push({ name: short, value: literalWord(text.slice(2)) });
        continue;
      }
      if (['-e', '-i', '-l'].includes(short) && spec === WRAPPERS.xargs) {
        options.push({ name: short, value: literalWord(text.slice(2)) });
        continue;
      }
      const cluster = text.slice(1).split('').map((c) => '-' + c);
      if (cluster.every((c) => spec.flags.includes(c) || spec.notWrapper?.includes(c))) {
        for (const c of cluster) options.push({ name: c });
        continue;
      }
    }
    return undefined;
  }
  return { options, next: i };
}

export function stripWrapper(name: string, words: readonly ShellWord[], state: WalkState): Stripped {
  const spec = WRAPPERS[name]!;
  const read = readOptions(spec, words);
  if (!read) return { kind: 'unknown' };
  const { options } = read;
  let next = read.next;
  if (options.some((o) => spec.notWrapper?.includes(o.name))) return { kind: 'not-wrapper' };
  const effects: Action[] = [];
  const environment: Unresolved[] = [];
  let bases: Bases | undefined;

  if (name === 'time') {
    for (const o of options) if ((o.name === '-o' || o.name === '--output') && o.value) effects.push(writeAction(o.value, state));
  }
  if (name === 'env') {
    for (const o of options) {
      if (o.name === '-S' || o.name === '--split-string' || o.name === '-P') return { kind: 'unknown' };
      if (o.name === '-C' || o.name === '--chdir') bases = basesAfterCdWord(state.bases, o.value, state);
    }
    // NAME=value words after the options set the inner command's environment.
    while (next < words.length) {
      const text = words[next]!.literal;
      const eq = text?.indexOf('=') ?? -1;
      if (text === undefined || eq <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(text.slice(0, eq))) break;
      environment.push(...assignmentProblems([{ name: text.slice(0, eq), value: literalWord(text.slice(eq + 1)), text }]));
      next++;
    }
    if (words[next]?.literal === undefined && next < words.length) return { kind: 'unknown' };
  }
  if (name === 'xargs') return stripXargs(options, words.slice(next), state);
  next += spec.fixed ?? 0;
  if (next > words.length) return { kind: 'unknown' };
  return { kind: 'stripped', inner: words.slice(next), environment, effects, ...(bases !== undefined ? { bases } : {}) };
}

function basesAfterCdWord(bases: Bases, word: ShellWord | undefined, state: WalkState): Bases {
  return basesAfterCd(bases, word?.literal, state.ctx);
}

function writeAction(word: ShellWord, state: WalkState): Action {
  const attr = literalWordPath(word, state.bases, state.ctx);
  return { cap: 'file.write', paths: [attr] };
}

/**
 * `xargs [opts] CMD ARGS` runs `CMD ARGS …` with words read from its input: the inner
 * command's tail is unknown (or, with -I, the replaced words are).
 */
function stripXargs(options: ReadOption[], rest: readonly ShellWord[], state: WalkState): Stripped {
  const effects: Action[] = [];
  let replace: string | undefined;
  for (const o of options) {
    if ((o.name === '-a' || o.name === '--arg-file') && o.value) {
      const attr = literalWordPath(o.value, state.bases, state.ctx);
      effects.push({ cap: 'file.read', paths: [attr] });
    }
    if (o.name === '-I') replace = o.value?.literal ?? '';
    if ((o.name === '-i' || o.name === '--replace') && replace === undefined) replace = o.value?.literal || '{}';
    if (o.name === '--process-slot-var') return { kind: 'unknown' };
  }
  const command = rest.length > 0 ? [...rest] : [literalWord('echo')];
  let inner: ShellWord[];
  if (replace !== undefined && replace !== '') {
    const marker = replace;
    inner = command.map((w) => (w.literal !== undefined && w.literal.includes(marker) ? unknownWord(w.text, 'one') : w));
  } else {
    inner = [...command, unknownWord('…', 'many')];
  }
  if (inner[0]?.literal === undefined) return { kind: 'unknown' };
  return { kind: 'stripped', inner, environment: [], effects };
}
