import type { Pos, RuleNode } from '../ast.js';
import type { ValidationRule } from './context.js';
import { ruleProblem as ruleLibraryProblem } from '../../rules/check-rule.js';
import { qualifierField } from '../rule-spec.js';
import { kindMismatch } from './qualifier-kind.js';

// AEX014: a rule that cannot be read (docs/language.md, docs/language.md) — its tool pattern, its
// qualifier or its `where` tests. Lowering leaves such rules out, and the document is
// refused, so nothing downstream ever guesses what a malformed rule meant.

/** A tool-pattern segment: a name that may hold `*` (any characters but `.`), never `**`. */
const SEGMENT = /^[A-Za-z_*][A-Za-z0-9_*-]*$/;

/** Why `pattern` is not a tool pattern (docs/design.md#rules-and-permissions, docs/language.md), or null. */
export function toolPatternProblem(pattern: string): string | null {
  if (pattern === '*') return null;
  const segs = pattern.split('.');
  const ok = segs.every((s) => SEGMENT.test(s) && !s.includes('**'));
  return ok ? null : `malformed tool pattern "${pattern}": use a tool name whose segments may hold "*" (mcp.fs.read_*), NAME.*, or *`;
}

/** Why `name` is not a concrete tool name (no wildcard), or null. */
export function toolNameProblem(name: string): string | null {
  const ok = name.split('.').every((s) => /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s));
  return ok ? null : `"${name}" is not a tool name: segments of letters, digits, "_" and "-" joined by "."`;
}

function qualifierProblem(r: RuleNode): string | null {
  const q = r.qualifier;
  if (!q) return null;
  if (q.value === '') return `empty qualifier after "${r.tool}:"`;
  if (q.value.includes('\0')) return 'qualifier contains a NUL byte';
  if (kindMismatch(r.tool, q.value)) return null; // AEX018 says what is wrong with it
  const field = qualifierField(r.tool, q.value);
  // A path glob is resolved against its layer's root only when loaded; one that cannot
  // match (`~user/…`) is AEX016's warning, not a syntax error.
  if (field === 'path') return null;
  const problem = ruleLibraryProblem({ tool: r.tool, [field]: q.value });
  return problem ? `malformed qualifier ${JSON.stringify(q.value)}: ${problem.message}` : null;
}

function whereProblem(r: RuleNode): { message: string; pos: Pos } | null {
  for (const t of r.where ?? []) {
    const arg = t.arg.join('.');
    if ((t.op === 'in' || t.op === 'not in') && !Array.isArray(t.value)) {
      return { message: `\`${arg} ${t.op}\` needs a list value, e.g. ["a", "b"]`, pos: t.pos };
    }
    if (t.op === 'matches' && typeof t.value !== 'string') {
      return { message: `\`${arg} matches\` needs a string glob, e.g. "secret-org/*"`, pos: t.pos };
    }
  }
  return null;
}

/** The first problem of a rule, or null when it is well formed. */
export function ruleProblemAt(r: RuleNode): { message: string; pos: Pos } | null {
  const tool = toolPatternProblem(r.tool);
  if (tool) return { message: tool, pos: r.pos };
  const q = qualifierProblem(r);
  // An empty qualifier has no text to point at: point at the rule.
  if (q) return { message: q, pos: r.qualifier!.value === '' ? r.pos : r.qualifier!.pos };
  return whereProblem(r);
}

/** AEX014 malformed tool pattern, qualifier or where test in use/allow/deny/confirm; malformed `shell` tool names. */
export const ruleSyntaxRule: ValidationRule = {
  name: 'rule-syntax',
  run(ctx) {
    for (const { stmt: s } of ctx.declarations) {
      if (s.type === 'shell') {
        for (const t of s.tools) {
          const problem = toolNameProblem(t.name);
          if (problem) ctx.report('AEX014', 'error', `${problem} (a \`shell\` declaration names concrete tools)`, t.pos);
        }
        continue;
      }
      if (s.type !== 'rules' && s.type !== 'confirm') continue;
      const rules = s.type === 'rules' ? s.rules : [s.rule];
      for (const r of rules) {
        const problem = ruleProblemAt(r);
        if (problem) ctx.report('AEX014', 'error', problem.message, problem.pos);
      }
    }
  },
};

/** A rule lowering may keep: well formed (AEX014) and of the right qualifier kind (AEX018). */
export function ruleUsable(r: RuleNode): boolean {
  return ruleProblemAt(r) === null && !(r.qualifier && kindMismatch(r.tool, r.qualifier.value));
}
