import type { ValidationRule } from './context.js';
import { parseCommandPattern } from '../../rules/command-pattern.js';
import { qualifierField } from '../rule-spec.js';
import { kindMismatch } from './qualifier-kind.js';

// AEX016 (warning) for command patterns: a command pattern covers the whole command
// (docs/language.md), so a deny or confirm pattern that is one glob word, such as `rm*`,
// matches the program run with no arguments at all — not `rm -rf /`. An AEX 1 author
// wrote `deny shell.exec:rm*` meaning "every rm command"; AEX 2 reads it as "one word".
// Both readings are plausible and the narrow one leaves the danger allowed, so `aex
// check` says which one AEX takes. A plain one-word pattern (`deny shell.exec:sh`, a
// shell reading its standard input) is a deliberate exact match and is not warned about.

/** Why a deny/confirm command pattern has two readings, or null. */
export function commandReadings(pattern: string): string | null {
  let words: string[];
  try {
    words = parseCommandPattern(pattern);
  } catch {
    return null; // AEX014 reports it
  }
  if (words.length !== 1 || words[0] === '*' || !/[*?]/.test(words[0]!)) return null;
  const w = words[0]!;
  return `"${pattern}" is one word: it matches "${w}" run with no arguments only; write "${w} *" for ${w} with any arguments`;
}

/** AEX016 a one-word command pattern in a deny or confirm rule. */
export const denyCommandReadingsRule: ValidationRule = {
  name: 'deny-command-readings',
  run(ctx) {
    for (const [keyword, rules] of [['deny', ctx.denyRules], ['confirm before', ctx.confirmRules]] as const) {
      for (const r of rules) {
        const q = r.qualifier;
        if (!q || q.value === '' || qualifierField(r.tool, q.value) !== 'command' || kindMismatch(r.tool, q.value)) continue;
        const why = commandReadings(q.value);
        if (why) ctx.report('AEX016', 'warning', `\`${keyword} ${r.text}\`: ${why}`, q.pos);
      }
    }
  },
};
