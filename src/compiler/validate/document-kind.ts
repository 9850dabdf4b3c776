import type { ValidationRule } from './context.js';

const TASK_ONLY = new Set(['need', 'do', 'make', 'check', 'return', 'if', 'for']);

/** AEX120 task-only statement in a policy, AEX121 `allow` in a task, AEX122 `use` in a policy. */
export const documentKindRule: ValidationRule = {
  name: 'document-kind',
  run(ctx) {
    if (!ctx.kind) return;
    // The top level only: the document's own statements.
    for (const s of ctx.doc.body) {
      if (ctx.kind === 'policy') {
        if (TASK_ONLY.has(s.type)) {
          const word = s.type;
          ctx.report('AEX120', 'error', `"${word}" is only allowed in a task; a policy has no inputs or steps`, s.pos);
        } else if (s.type === 'rules' && s.keyword === 'use') {
          ctx.report('AEX122', 'warning', '`use` in a policy is a deprecated alias of `allow`; write `allow`', s.pos);
        }
      } else if (s.type === 'rules' && s.keyword === 'allow') {
        ctx.report('AEX121', 'error', '`allow` is only allowed in a policy; a task requests tools with `use`', s.pos);
      }
    }
  },
};
