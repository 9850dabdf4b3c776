import { describe, expect, it } from 'vitest';
import { parse } from '../../src/compiler/parser.js';
import { RULES, validate } from '../../src/compiler/validate/index.js';
import { scopesRule } from '../../src/compiler/validate/scopes.js';
import { budgetRule } from '../../src/compiler/validate/budget.js';

// Each validation rule runs on its own: a rule's diagnostics do not depend on the others.
const codes = (text: string, rules = RULES) => validate(parse(text).doc, { rules }).map((d) => `${d.code} ${d.line}:${d.column}`);

describe('validation rules one at a time', () => {
  const text = 'task t v0\ngoal "g"\nbudget calls=1.5\nreturn missing\n';

  it('the scopes rule alone reports only the unknown name', () => {
    expect(codes(text, [scopesRule])).toEqual(['AEX021 4:8']);
  });

  it('the budget rule alone reports only the budget', () => {
    expect(codes(text, [budgetRule])).toEqual(['AEX034 3:14']);
  });

  it('no rules → no diagnostics; all rules → the union of each rule alone', () => {
    expect(codes(text, [])).toEqual([]);
    const union = RULES.flatMap((r) => codes(text, [r])).sort();
    expect(codes(text).sort()).toEqual(union);
  });
});
