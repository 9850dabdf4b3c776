// The canonical text of a rule (`aex fmt`, refusal texts, `aex effective`, provenance).

import type { JsonValue, RuleSpec, WhereTest } from './types.js';

const BARE_QUALIFIER = /^[A-Za-z0-9_./*?~@:+=%-]+$/;

/** A qualifier as written in a rule: bare when it is safe to read back, else a JSON string. */
export function formatQualifier(text: string): string {
  return BARE_QUALIFIER.test(text) ? text : JSON.stringify(text);
}

/** Compact JSON with ", " between items and ": " after keys. */
export function formatJsonValue(v: JsonValue): string {
  if (Array.isArray(v)) return `[${v.map(formatJsonValue).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .map((k) => `${JSON.stringify(k)}: ${formatJsonValue(v[k]!)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(v);
}

export function formatWhereTest(t: WhereTest): string {
  return `${t.arg.join('.')} ${t.op} ${formatJsonValue(t.value)}`;
}

const KEYWORD_TEXT: Record<NonNullable<RuleSpec['keyword']>, string> = {
  use: 'use',
  allow: 'allow',
  deny: 'deny',
  confirm: 'confirm before',
};

/**
 * `file.read:src/**`, `shell.exec:"git diff *"`, `mcp.slack.post where channel in
 * ["C1", "C2"] and n == 3`, conjunctions as `file.read:a/** & b/**`; with
 * `opts.keyword` and a rule keyword: `deny shell.exec:"rm -rf *"`.
 */
export function formatRule(rule: RuleSpec): string;
export function formatRule(rule: RuleSpec, opts: { keyword?: boolean }): string;
export function formatRule(rule: RuleSpec, opts?: unknown): string {
  // `rules.map(formatRule)` passes an index here: only an options object counts.
  const withKeyword = typeof opts === 'object' && opts !== null && (opts as { keyword?: boolean }).keyword === true;
  let out = rule.writtenTool ?? rule.tool;
  const q = rule.command ?? rule.host ?? rule.url;
  if (q !== undefined) out += ':' + formatQualifier(q);
  else if (rule.path !== undefined) out += ':' + [rule.path, ...(rule.alsoPaths ?? [])].map(formatQualifier).join(' & ');
  if (rule.where && rule.where.length > 0) out += ' where ' + rule.where.map(formatWhereTest).join(' and ');
  if (withKeyword && rule.keyword) out = `${KEYWORD_TEXT[rule.keyword]} ${out}`;
  return out;
}
