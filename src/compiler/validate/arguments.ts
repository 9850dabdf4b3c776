import type { ValidationRule } from './context.js';

/** AEX026 duplicate argument name in one `do`. */
export const argumentsRule: ValidationRule = {
  name: 'arguments',
  run(ctx) {
    for (const s of ctx.statementsOf('do')) {
      const args = s.args;
      if (args.length < 2) continue;
      // An argument is reported when an earlier one has its name: compared pairwise, as a
      // call has few arguments (no set to build per call).
      for (let i = 1; i < args.length; i++) {
        const name = args[i]!.name;
        for (let j = 0; j < i; j++) {
          if (args[j]!.name === name) {
            ctx.report('AEX026', 'error', `argument "${name}" is given twice`, args[i]!.pos);
            break;
          }
        }
      }
    }
  },
};
