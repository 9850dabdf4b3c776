// cac (through mri) turns option values that look like numbers into numbers, so
// `--key 0123` would arrive as 123 and `--id 1e3` as 1000. Secrets and names must be
// taken verbatim: this reads the last occurrence of an option from the raw argv.

export function rawOption(names: string[], argv: readonly string[] = process.argv): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') break;
    for (const name of names) {
      const flag = name.length === 1 ? `-${name}` : `--${name}`;
      if (arg === flag) {
        const next = argv[i + 1];
        if (next !== undefined && !(next.startsWith('-') && next.length > 1)) {
          found = next;
          i++;
        } else {
          found = '';
        }
      } else if (arg.startsWith(flag + '=')) {
        found = arg.slice(flag.length + 1);
      }
    }
  }
  return found;
}

/** The option's value as a string: the raw argv text when present, else cac's value. */
export function stringOption(value: unknown, names: string[], argv: readonly string[] = process.argv): string | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  const raw = rawOption(names, argv);
  if (raw !== undefined) return raw;
  if (value === true) return '';
  if (Array.isArray(value)) return value.length ? String(value[value.length - 1]) : undefined;
  return String(value);
}
