import type { RuleNode } from '../ast.js';
import type { ValidationRule } from './context.js';
import { walk } from './context.js';

const TOOL_PATTERN = /^(\*|[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*(\.\*)?)$/;

export function ruleProblem(r: RuleNode): string | null {
  if (!TOOL_PATTERN.test(r.tool)) {
    return `malformed tool pattern "${r.tool}": use a tool name, NAME.*, or *`;
  }
  if (r.path !== undefined) {
    if (r.path === '') return `empty path glob after "${r.tool}:"`;
    if (r.path.includes('\0')) return 'path glob contains a NUL byte';
  }
  return null;
}

/** AEX014 malformed tool pattern or path glob in use/allow/deny/confirm. */
export const ruleSyntaxRule: ValidationRule = {
  name: 'rule-syntax',
  run(ctx) {
    walk(ctx.doc.body, (s) => {
      const rules = s.type === 'rules' ? s.rules : s.type === 'confirm' ? [s.rule] : [];
      for (const r of rules) {
        const problem = ruleProblem(r);
        if (problem) ctx.report('AEX014', 'error', problem, r.pos);
      }
    });
  },
};
