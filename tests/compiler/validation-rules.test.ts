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

// Statement-by-statement cases of the rules that walk the tree (unreachable steps, scopes,
// arguments, permissions, nested declarations), with the exact diagnostics, in order.
describe('validation rules over nested blocks', () => {
  const all = (text: string) => validate(parse(text).doc).map((d) => `${d.code} ${d.line}:${d.column} ${d.message}`);

  it('AEX025: the first step after a return, once per block; declarations after it are not steps', () => {
    expect(all("task t v1\ngoal \"g\"\nuse a.b\nneed xs: list[str]\nfor x in xs\n  return x\n  do a.b()\n  do a.b()\nif xs has \"a\"\n  do a.b()\nreturn xs\nneed late: str\ndo a.b()\nfor y in xs\n  return y\n  do a.b()\n")).toEqual([
      "AEX025 7:3 unreachable statement after `return`",
      "AEX025 13:1 unreachable statement after `return`"
    ]);
  });

  it('a bind inside a block is not seen after it; unreachable inside a nested block', () => {
    expect(all("task t v1\ngoal \"g\"\nuse a.b\nneed xs: list[str]\nfor x in xs\n  if x has \"a\"\n    return x\n    do a.b() -> q\n  do a.b(v=q)\n  return x\nreturn xs\n")).toEqual([
      "AEX021 9:12 unknown name \"q\" in argument \"v\"; declare it with `need` or bind it earlier",
      "AEX025 8:5 unreachable statement after `return`"
    ]);
  });

  it('AEX026: every repetition of an argument name, in order', () => {
    expect(all("task t v1\ngoal \"g\"\nuse a.b\ndo a.b(x=1, y=2, x=3, x=4, y=5, z=6) -> r\ndo a.b(x=1, x=1)\nreturn r\n")).toEqual([
      "AEX026 4:18 argument \"x\" is given twice",
      "AEX026 4:23 argument \"x\" is given twice",
      "AEX026 4:28 argument \"y\" is given twice",
      "AEX026 5:13 argument \"x\" is given twice"
    ]);
  });

  it('scopes: rebinding, shadowing a need or an enclosing name, unknown names inside lists and objects', () => {
    expect(all("task t v1\ngoal \"g\"\nuse a.b\nneed xs: list[str]\nneed s: str\ndo a.b(v=xs) -> r\ndo a.b(v=r) -> r\ndo a.b(v=s) -> s\nfor xs in xs\n  do a.b(v=xs)\nfor s2 in s\n  do a.b(v=[s2, {k: nope, j: [r, nope2]}]) -> inner\nif r has inner\n  do a.b(v=inner) -> r\nfor r in xs\n  check r has missing\nmake m: doc from r, gone\n  - write\nreturn {a: m, b: inner}\n")).toEqual([
      "AEX023 7:16 \"r\" is bound again in the same block; the new value replaces the old",
      "AEX024 8:16 \"s\" shadows the input declared by `need s`",
      "AEX024 9:5 loop variable \"xs\" shadows the input declared by `need xs`",
      "AEX021 12:21 unknown name \"nope\" in argument \"v\"; declare it with `need` or bind it earlier",
      "AEX021 12:34 unknown name \"nope2\" in argument \"v\"; declare it with `need` or bind it earlier",
      "AEX024 15:5 loop variable \"r\" shadows a name from an enclosing block",
      "AEX021 19:12 unknown name \"m\" in return value; declare it with `need` or bind it earlier",
      "AEX021 19:18 unknown name \"inner\" in return value; declare it with `need` or bind it earlier"
    ]);
  });

  it('AEX010 and AEX011 for every call of a tool, however often it is called', () => {
    expect(all("task t v1\ngoal \"g\"\nuse a.b, c.*\ndeny c.d\ndo a.b()\ndo c.d()\ndo x.y()\ndo c.d()\ndo x.y()\ndo c.e()\nreturn 1\n")).toEqual([
      "AEX011 6:1 tool \"c.d\" is denied by `deny c.d`",
      "AEX010 7:1 tool \"x.y\" is not requested by any `use` rule",
      "AEX011 8:1 tool \"c.d\" is denied by `deny c.d`",
      "AEX010 9:1 tool \"x.y\" is not requested by any `use` rule"
    ]);
  });

  it('AEX100 and AEX044: declarations nested in a block, in document order', () => {
    expect(all("task t v1\ngoal \"g\"\nuse a.b\nneed xs: list[str]\nfor x in xs\n  use a.b\n  confirm before a.b\n  need y: str\n  budget calls=1\n  goal \"again\"\n  do a.b()\nreturn xs\n")).toEqual([
      "AEX100 6:3 \"use\" is a declaration and must be at the top level, not inside a block",
      "AEX044 7:3 `confirm before` is a declaration: write it at the top level; it applies to the whole run",
      "AEX100 8:3 \"need\" is a declaration and must be at the top level, not inside a block",
      "AEX100 9:3 \"budget\" is a declaration and must be at the top level, not inside a block",
      "AEX100 10:3 \"goal\" is a declaration and must be at the top level, not inside a block"
    ]);
  });
});
