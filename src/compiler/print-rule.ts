import { formatRule } from '../rules/format.js';
import type { WhereTest } from '../rules/types.js';

// Canonical text of a parsed rule (docs/language.md), for fmt, messages and the IR's
// duplicate check: the rule library's formatRule, so a rule reads the same in a
// formatted file, a refusal text and `aex effective`.

export function printRuleText(tool: string, qualifier: string | undefined, where: readonly WhereTest[] | undefined): string {
  // Every qualifier field prints the same way; `path` stands for whichever it is.
  return formatRule({ tool, ...(qualifier !== undefined ? { path: qualifier } : {}), ...(where?.length ? { where: [...where] } : {}) });
}
