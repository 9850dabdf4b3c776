// The one reader of the raw command line. Commands read their options through cac; this
// is for the few things cac cannot give verbatim:
//  - cac (through mri) turns option values that look like numbers into numbers, so
//    `--key 0123` would arrive as 123 and `--id 1e3` as 1000: secrets, ids and file
//    names are taken from the argv text instead;
//  - every value of a repeatable option, in order (`--input A=1 --input=B=2`);
//  - the arguments after a command name that hands its argv on (`aex gate …`), and an
//    argv stored by an earlier run (`aex resume` reads the launch record's).
// Nothing after `--` is ever read as an option: it belongs to an upstream command.

type Names = string | readonly string[];

function flagsOf(names: Names): string[] {
  return (typeof names === 'string' ? [names] : names).map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
}

/** Every verbatim value of an option in argv, in order; `--name` with no value gives ''. */
export function rawValues(names: Names, argv: readonly string[] = process.argv): string[] {
  const flags = flagsOf(names);
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    for (const flag of flags) {
      if (arg === flag) {
        // A following word that looks like another option is not this one's value
        // (cac reads it the same way).
        const next = argv[i + 1];
        if (next !== undefined && !(next.startsWith('-') && next.length > 1)) {
          out.push(next);
          i++;
        } else {
          out.push('');
        }
        break;
      }
      if (arg.startsWith(flag + '=')) {
        out.push(arg.slice(flag.length + 1));
        break;
      }
    }
  }
  return out;
}

/** The last verbatim value of an option in argv, undefined when it is not there. */
export function rawOption(names: Names, argv: readonly string[] = process.argv): string | undefined {
  const all = rawValues(names, argv);
  return all.length > 0 ? all[all.length - 1] : undefined;
}

/** True when a flag without a value (`--log-json`, `-h`) is in argv before `--`. */
export function hasFlag(names: Names, argv: readonly string[] = process.argv): boolean {
  const flags = flagsOf(names);
  for (const arg of argv) {
    if (arg === '--') return false;
    if (flags.includes(arg)) return true;
  }
  return false;
}

/** The arguments after the first `command` word of argv (all of them, `--` included). */
export function argsAfter(command: string, argv: readonly string[] = process.argv): string[] {
  const i = argv.indexOf(command);
  return i >= 0 ? argv.slice(i + 1) : [];
}

/** The option's value as a string: the raw argv text when present, else cac's value. */
export function stringOption(value: unknown, names: Names, argv: readonly string[] = process.argv): string | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  const raw = rawOption(names, argv);
  if (raw !== undefined) return raw;
  if (value === true) return '';
  if (Array.isArray(value)) return value.length ? String(value[value.length - 1]) : undefined;
  return String(value);
}
