// Tests build rules from their text with the compiler's own rule parser, so a test's
// rule means what the same text means in a policy file.
import { parseRuleText } from '../src/compiler/rule-text.js';
import type { RuleSpec } from '../src/rules/types.js';

export function parseRule(text: string, keyword: 'allow' | 'use' | 'deny' | 'confirm' = 'allow'): RuleSpec {
  const parsed = parseRuleText(text, keyword);
  if (!parsed.rule) throw new Error(`bad rule ${JSON.stringify(text)}: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
  return parsed.rule;
}
