// The known-program table (docs/shell.md) lives in programs.json as data; this module
// types it, resolves its shared entries and checks each entry before its first use, so a
// malformed entry is an error (the call is then denied) rather than a silently ignored effect.

import table from './programs.json' with { type: 'json' };

/** What an operand or option value is. */
export type Effect =
  | 'read'
  | 'write'
  | 'reach'
  | 'reach-write'
  | 'dest'
  | 'url'
  | 'host'
  | 'proxy'
  | 'remote-read'
  | 'remote-write'
  | 'read-at'
  | 'form-at'
  | 'none';

export interface OptionSpec {
  /** Takes a value: the next word (or attached), only attached (`-i.bak`, `--x=v`), or two words. */
  value?: 'next' | 'attached' | 2;
  /** What the value is (for two-word options: the second word). */
  effect?: Effect;
  /** The option makes the program recurse: file operands become reach. */
  recursive?: boolean;
  /** Recursion when the value equals this (`grep -d recurse`). */
  recursiveValue?: string;
  /** The option makes file operands written (`sed -i`, `rsync --remove-source-files`). */
  write?: boolean;
  /** Gives the pattern or script, so no leading operand is skipped (`grep -e P`). */
  explicitPattern?: boolean;
  /** Names the destination directory: every operand is a source (`cp -t DIR`). */
  target?: boolean;
  /** The destination is never treated as a directory (`cp -T`). */
  noTargetDirectory?: boolean;
  /** `install -d`: every operand is written. */
  allWrite?: boolean;
  /** The option makes the program run or read something AEX cannot see. */
  dynamic?: boolean;
  /** The option names further operands in a file AEX does not read. */
  dynamicOperands?: boolean;
  /** `jq --args`: the remaining operands are values, not files. */
  stopOperands?: boolean;
  /** `curl -O`: writes the URL's file name in the working directory. */
  remoteName?: boolean;
  /** `ssh -o`: an ssh option, some of which run local commands. */
  sshOption?: boolean;
  /** `sed -e`: the value is a sed script. */
  sedScript?: boolean;
  /** `nc -l`: listens instead of connecting. */
  listen?: boolean;
}

export interface ProgramSpec {
  options: Record<string, OptionSpec>;
  /** Effect of each operand. */
  operands: Effect;
  /** Leading operands that are not files (grep's pattern, sed's script, chmod's mode). */
  skip?: number;
  /** Effect of the first operand after the skipped ones (ssh's host). */
  first?: Effect;
  /** Effect of the second operand (uniq's and xxd's output file). */
  second?: Effect;
  /** Effect of the last operand when there are at least two (cp's destination). */
  last?: Effect;
  /** `NAME=value` operands (dd's if= and of=). */
  assignments?: Record<string, Effect>;
  /** Always recursive (rg, tree, du, mv). */
  recursive?: boolean;
  /** Operand assumed when none is given. */
  defaultOperand?: string;
  /** Operand assumed when none is given and the program recurses (grep -r). */
  defaultWhenRecursive?: string;
  /** wget: writes what it downloads into the working directory. */
  downloads?: boolean;
  /** sed: the first operand is a sed script. */
  sedScript?: boolean;
  /** Described by its own module (find, git). */
  special?: 'find' | 'git';
}

const EFFECTS = new Set<string>([
  'read', 'write', 'reach', 'reach-write', 'dest', 'url', 'host', 'proxy', 'remote-read', 'remote-write',
  'read-at', 'form-at', 'none',
]);
const OPTION_FLAGS = [
  'recursive', 'write', 'explicitPattern', 'target', 'noTargetDirectory', 'allWrite', 'dynamic',
  'dynamicOperands', 'stopOperands', 'remoteName', 'sshOption', 'sedScript', 'listen',
];
const PROGRAM_KEYS = new Set([
  'options', 'operands', 'skip', 'first', 'second', 'last', 'assignments', 'recursive', 'defaultOperand',
  'defaultWhenRecursive', 'downloads', 'sedScript', 'special', '$ref',
]);

export interface HarmlessEnvironment {
  names: ReadonlySet<string>;
  prefixes: readonly string[];
}

interface Table {
  programs: Map<string, ProgramSpec>;
  harmless: HarmlessEnvironment;
}

/** The table's parts, each program entry checked the first time it is looked up. */
interface LazyTable {
  raw: Record<string, unknown>;
  shared: Record<string, unknown>;
  checked: Map<string, ProgramSpec | undefined>;
  harmless: HarmlessEnvironment;
}

let loaded: LazyTable | undefined;

// A shell call looks up a handful of programs; checking all of them at load would cost
// every gate call the whole table. Each entry is still checked before its first use,
// and tests/describe/shell checks the whole table with checkTable.
function tableOrLoad(): LazyTable {
  if (loaded) return loaded;
  const root = asRecord(table as unknown, 'programs.json');
  const harmlessRaw = asRecord(root.harmlessEnvironment, 'harmlessEnvironment');
  loaded = {
    raw: asRecord(root.programs, 'programs'),
    shared: asRecord(root.shared ?? {}, 'shared'),
    checked: new Map(),
    harmless: {
      names: new Set(stringList(harmlessRaw.names, 'harmlessEnvironment.names')),
      prefixes: stringList(harmlessRaw.prefixes, 'harmlessEnvironment.prefixes'),
    },
  };
  return loaded;
}

function programEntry(t: LazyTable, name: string): ProgramSpec | undefined {
  if (t.checked.has(name)) return t.checked.get(name);
  const spec = Object.hasOwn(t.raw, name) ? checkEntry(name, t.raw[name], t.shared) : undefined;
  t.checked.set(name, spec);
  return spec;
}

function checkEntry(name: string, entryRaw: unknown, shared: Record<string, unknown>): ProgramSpec {
  let entry = asRecord(entryRaw, name);
  if (typeof entry.$ref === 'string') entry = asRecord(shared[entry.$ref], `${name} → ${entry.$ref}`);
  return checkProgram(name, entry);
}

/** The table entry of a program by its name (the last path segment of argv[0]). */
export function knownProgram(name: string): ProgramSpec | undefined {
  return programEntry(tableOrLoad(), name);
}

export function knownProgramNames(): string[] {
  return Object.keys(tableOrLoad().raw);
}

/** docs/shell.md: names a command line may assign without making its action unresolved. */
export function isHarmlessVariable(name: string): boolean {
  const { names, prefixes } = tableOrLoad().harmless;
  return names.has(name) || prefixes.some((prefix) => name.startsWith(prefix) && name.length > prefix.length);
}

/** Checks the raw JSON and resolves `$ref` entries. Throws on the first malformed entry. */
export function checkTable(raw: unknown): Table {
  const root = asRecord(raw, 'programs.json');
  const programsRaw = asRecord(root.programs, 'programs');
  const shared = asRecord(root.shared ?? {}, 'shared');
  const harmlessRaw = asRecord(root.harmlessEnvironment, 'harmlessEnvironment');
  const programs = new Map<string, ProgramSpec>();
  for (const [name, entryRaw] of Object.entries(programsRaw)) programs.set(name, checkEntry(name, entryRaw, shared));
  const names = stringList(harmlessRaw.names, 'harmlessEnvironment.names');
  const prefixes = stringList(harmlessRaw.prefixes, 'harmlessEnvironment.prefixes');
  return { programs, harmless: { names: new Set(names), prefixes } };
}

function checkProgram(name: string, entry: Record<string, unknown>): ProgramSpec {
  for (const key of Object.keys(entry)) {
    if (!PROGRAM_KEYS.has(key)) throw new Error(`programs.json: ${name}: unknown key ${key}`);
  }
  if (entry.special !== undefined) {
    if (entry.special !== 'find' && entry.special !== 'git') throw new Error(`programs.json: ${name}: bad special`);
    return { options: {}, operands: 'none', special: entry.special };
  }
  const options: Record<string, OptionSpec> = {};
  for (const [option, specRaw] of Object.entries(asRecord(entry.options, `${name}.options`))) {
    if (!option.startsWith('-')) throw new Error(`programs.json: ${name}: option ${option} must start with -`);
    options[option] = checkOption(`${name} ${option}`, asRecord(specRaw, `${name} ${option}`));
  }
  const spec: ProgramSpec = { options, operands: effect(entry.operands, `${name}.operands`) };
  for (const key of ['first', 'second', 'last'] as const) {
    if (entry[key] !== undefined) spec[key] = effect(entry[key], `${name}.${key}`);
  }
  if (entry.skip !== undefined) {
    if (!Number.isInteger(entry.skip) || (entry.skip as number) < 0) throw new Error(`programs.json: ${name}: bad skip`);
    spec.skip = entry.skip as number;
  }
  if (entry.assignments !== undefined) {
    spec.assignments = {};
    for (const [key, value] of Object.entries(asRecord(entry.assignments, `${name}.assignments`))) {
      spec.assignments[key] = effect(value, `${name}.assignments.${key}`);
    }
  }
  for (const key of ['defaultOperand', 'defaultWhenRecursive'] as const) {
    if (entry[key] !== undefined) spec[key] = stringValue(entry[key], `${name}.${key}`);
  }
  for (const key of ['recursive', 'downloads', 'sedScript'] as const) {
    if (entry[key] !== undefined) spec[key] = booleanValue(entry[key], `${name}.${key}`);
  }
  return spec;
}

function checkOption(where: string, raw: Record<string, unknown>): OptionSpec {
  const spec: OptionSpec = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === 'value') {
      if (value !== 'next' && value !== 'attached' && value !== 2) throw new Error(`programs.json: ${where}: bad value`);
      spec.value = value;
    } else if (key === 'effect') {
      spec.effect = effect(value, where);
    } else if (key === 'recursiveValue') {
      spec.recursiveValue = stringValue(value, where);
    } else if (OPTION_FLAGS.includes(key)) {
      (spec as Record<string, unknown>)[key] = booleanValue(value, `${where}.${key}`);
    } else {
      throw new Error(`programs.json: ${where}: unknown key ${key}`);
    }
  }
  if ((spec.effect || spec.recursiveValue) && !spec.value) throw new Error(`programs.json: ${where}: effect without value`);
  return spec;
}

function effect(value: unknown, where: string): Effect {
  if (typeof value !== 'string' || !EFFECTS.has(value)) throw new Error(`programs.json: ${where}: bad effect ${String(value)}`);
  return value as Effect;
}

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`programs.json: ${where} must be an object`);
  return value as Record<string, unknown>;
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`programs.json: ${where} must be strings`);
  return value as string[];
}

function stringValue(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`programs.json: ${where} must be a string`);
  return value;
}

function booleanValue(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw new Error(`programs.json: ${where} must be true or false`);
  return value;
}
