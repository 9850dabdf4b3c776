import type { TypeNode } from '../ast.js';
import type { ValidationRule } from './context.js';

const BASES = new Set(['str', 'num', 'int', 'bool', 'file', 'url', 'json']);

function checkType(t: TypeNode, outer: boolean, report: (code: string, msg: string, t: TypeNode) => void) {
  if (t.base === 'list') {
    if (!t.item) report('AEX032', 'unknown type "list": write list[TYPE]', t);
  } else if (!BASES.has(t.base) || t.item) {
    report('AEX032', `unknown type "${t.base}${t.item ? '[…]' : ''}"; expected str, num, int, bool, file, url, json or list[TYPE]`, t);
  }
  if (t.optional > 1) report('AEX033', 'at most one "?", at the outermost position of the type', t);
  else if (t.optional === 1 && !outer) report('AEX033', '"?" is only allowed at the outermost position (write list[str]?, not list[str?])', t);
  if (t.item) checkType(t.item, false, report);
}

/** AEX022 duplicate need, AEX032 unknown type, AEX033 misplaced `?`. */
export const needsRule: ValidationRule = {
  name: 'needs',
  run(ctx) {
    const seen = new Set<string>();
    for (const n of ctx.needs) {
      if (seen.has(n.name)) ctx.report('AEX022', 'error', `input "${n.name}" is declared twice`, n.namePos);
      seen.add(n.name);
      checkType(n.typeNode, true, (code, msg, t) => ctx.report(code, 'error', msg, t.pos));
    }
  },
};
