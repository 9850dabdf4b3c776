import type { ValidationRule } from './context.js';

/** AEX034 budget value not a non-negative integer, AEX035 keys other than `calls`. */
export const budgetRule: ValidationRule = {
  name: 'budget',
  run(ctx) {
    for (const s of ctx.doc.body) {
      if (s.type !== 'budget') continue;
      for (const it of s.items) {
        if (it.value === null || !Number.isSafeInteger(it.value) || it.value < 0 || /[.eE]/.test(it.raw)) {
          const shown = it.raw === '' ? 'nothing' : `"${it.raw}"`;
          ctx.report('AEX034', 'error', `budget ${it.key} must be a non-negative integer, got ${shown}`, it.valuePos);
        }
        if (it.key !== 'calls') {
          ctx.report('AEX035', 'warning', `budget key "${it.key}" is recorded but not enforced; only calls is`, it.pos);
        }
      }
    }
  },
};
