import type { RuleSpec } from '../rules/types.js';
import { diag, type Diagnostic } from './diagnostics.js';
import { parse } from './parser.js';
import { ruleSpecOf } from './rule-spec.js';
import { ruleProblemAt } from './validate/rule-syntax.js';
import { kindMismatch } from './validate/qualifier-kind.js';
import { globReadings } from './validate/deny-glob-readings.js';
import { commandReadings } from './validate/deny-command-readings.js';
import { qualifierField } from '../rules/qualifier.js';

// One rule written as a string (JSON policies, docs/design.md#rules-and-permissions): read by the same lexer and
// grammar as a rule in an .aex file, so `"shell.exec:\"git status\""` means in JSON
// exactly what `shell.exec:"git status"` means in a policy.

export interface ParsedRuleText {
  /** The rule, when the text has no error. */
  rule?: RuleSpec;
  /** Errors (AEX014, AEX018, AEX100…) and warnings (AEX016), columns within `text`. */
  diagnostics: Diagnostic[];
}

const PREFIX = 'deny ';

/**
 * Parses one rule. `keyword` only matters for warnings (AEX016 is about deny rules).
 * Never throws; a text that is not exactly one rule gets an error diagnostic.
 */
export function parseRuleText(text: string, keyword: 'allow' | 'use' | 'deny' | 'confirm' = 'allow'): ParsedRuleText {
  const at = (line: number, column: number) => ({ line, column: Math.max(1, column - PREFIX.length) });
  const error = (message: string, column = 1, code = 'AEX014'): ParsedRuleText => ({ diagnostics: [diag(code, 'error', message, 1, column)] });
  if (typeof text !== 'string' || text.trim() === '') return error('empty rule');
  if (/[\r\n\u2028\u2029]/.test(text)) return error('a rule is one line: quote a qualifier that holds a line break ("\\n")');
  if (text !== text.trim()) return error('a rule has no leading or trailing spaces');
  const parsed = parse(PREFIX + text);
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) return { diagnostics: errors.map((d) => ({ ...d, ...at(d.line, d.column) })) };
  const stmt = parsed.doc.body[0];
  if (!stmt || stmt.type !== 'rules' || parsed.doc.body.length !== 1) return error('not a rule');
  // `#` outside quotes starts a comment in .aex text; in a JSON string it would cut the rule short.
  if (stmt.comments.trailing || stmt.comments.inner.length) {
    const c = stmt.comments.trailing ?? stmt.comments.inner[0]!;
    return error('"#" would start a comment here; quote the qualifier that holds it', at(c.line, c.col).column);
  }
  if (stmt.rules.length !== 1) return error('one rule per string: write each rule as its own string', at(1, stmt.rules[1]!.pos.column).column);
  const node = stmt.rules[0]!;
  const problem = ruleProblemAt(node);
  if (problem) return error(problem.message, at(problem.pos.line, problem.pos.column).column);
  const mismatch = node.qualifier ? kindMismatch(node.tool, node.qualifier.value) : null;
  if (mismatch) return error(mismatch, at(node.qualifier!.pos.line, node.qualifier!.pos.column).column, 'AEX018');
  const diagnostics: Diagnostic[] = [];
  const q = node.qualifier;
  const field = q ? qualifierField(node.tool, q.value) : undefined;
  const why = !q ? null : keyword === 'deny' && field === 'path' ? globReadings(q.value) : (keyword === 'deny' || keyword === 'confirm') && field === 'command' ? commandReadings(q.value) : null;
  if (why) diagnostics.push(diag('AEX016', 'warning', why, 1, at(q!.pos.line, q!.pos.column).column));
  return { rule: ruleSpecOf(node), diagnostics };
}
