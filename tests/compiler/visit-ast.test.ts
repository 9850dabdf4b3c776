import { describe, expect, it } from 'vitest';
import type { Stmt } from '../../src/compiler/ast.js';
import { parse } from '../../src/compiler/parser.js';
import { createContext } from '../../src/compiler/validate/context.js';
import { BREAK, childStatements, mapStatements, visitStatements, type StmtMapper } from '../../src/compiler/visit-ast.js';

// The one walk over AST statements: validation, lowering and the formatter rely on the
// order its callbacks run in.

const SOURCE = `task t v1
goal "g"
use a.b
need xs: list[str]
do a.b() -> r
if r
  for x in xs
    do a.b(v=x)
    use c.d
  check r
return r
`;

const body = (): Stmt[] => parse(SOURCE).doc.body;
const label = (s: Stmt) => `${s.type}@${s.pos.line}`;

describe('visitStatements', () => {
  it('enters each statement before its children, in source order, and leaves it after them', () => {
    const seen: string[] = [];
    visitStatements(body(), {
      enter: (s, d) => void seen.push(`${label(s)} ${d}`),
      leave: (s) => void (s.type === 'if' && seen.push('leave if')),
      for: { enter: (s) => void seen.push(`for ${s.variable}`), leave: () => void seen.push('for.leave') },
      do: (s) => void seen.push(`do ${s.tool}`),
    });
    expect(seen).toEqual([
      'header@1 0', 'goal@2 0', 'rules@3 0', 'need@4 0',
      'do@5 0', 'do a.b',
      'if@6 0',
      'for@7 1', 'for x',
      'do@8 2', 'do a.b',
      'rules@9 2', // a nested declaration is visited too (validation reports it)
      'for.leave',
      'check@10 1',
      'leave if',
      'return@11 0',
    ]);
  });

  it('false skips a statement\'s children; BREAK ends the walk', () => {
    const skipped: string[] = [];
    visitStatements(body(), { enter: (s) => void skipped.push(label(s)), for: () => false });
    expect(skipped).toEqual(['header@1', 'goal@2', 'rules@3', 'need@4', 'do@5', 'if@6', 'for@7', 'check@10', 'return@11']);
    const stopped: string[] = [];
    visitStatements(body(), { enter: (s) => (stopped.push(label(s)), s.type === 'for' ? BREAK : undefined) });
    expect(stopped).toEqual(['header@1', 'goal@2', 'rules@3', 'need@4', 'do@5', 'if@6', 'for@7']);
  });

  it('is the order validation rules see through forEachStatement', () => {
    const doc = parse(SOURCE).doc;
    const viaVisitor: string[] = [];
    visitStatements(doc.body, { enter: (s, d) => void viaVisitor.push(`${label(s)} ${d}`) });
    const viaContext: string[] = [];
    createContext(doc, []).forEachStatement((s, d) => viaContext.push(`${label(s)} ${d}`));
    expect(viaContext).toEqual(viaVisitor);
  });

  it('knows which statements hold a block', () => {
    const stmts = body();
    expect(stmts.filter((s) => childStatements(s)).map(label)).toEqual(['if@6']);
    expect(childStatements(stmts[5]!)?.map(label)).toEqual(['for@7', 'check@10']);
  });
});

describe('mapStatements', () => {
  it('gives each block statement what its children became; undefined leaves a statement out', () => {
    const none = () => undefined;
    const outline: StmtMapper<string> = {
      header: none, goal: none, rules: (s) => `${s.keyword}`, confirm: none, shell: none, need: none, budget: none,
      make: none,
      do: (s) => s.tool,
      check: () => 'check',
      return: () => 'return',
      if: (_s, c) => `if [${c.join('; ')}]`,
      for: (s, c) => `for ${s.variable} [${c.join('; ')}]`,
    };
    expect(mapStatements(body(), outline)).toEqual(['use', 'a.b', 'if [for x [a.b; use]; check]', 'return']);
  });
});
