import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import type { Step } from '../../src/ir/types.js';
import { BREAK, childSteps, findStep, mapSteps, visitSteps, type StepMapper } from '../../src/ir/visit.js';

// The one walk over IR steps: the order its callbacks run in is a contract every IR
// walker (review, IR v0, LangGraph limits, the make-step check) relies on.

const SOURCE = `task t v1
goal "g"
use a.b, c.d
need xs: list[str]
do a.b() -> r
if r
  for x in xs
    do c.d(v=x)
    make m: note from x with:
      - say
  check r
return r
`;

function steps(): Step[] {
  const res = compileSource(SOURCE);
  expect(res.ir).not.toBeNull();
  return res.ir!.steps;
}

const label = (s: Step) => `${s.op}@${s.loc.line}`;

describe('visitSteps', () => {
  it('enters each step before its children, in document order, and leaves it after them', () => {
    const seen: string[] = [];
    visitSteps(steps(), {
      enter: (s, d) => void seen.push(`enter ${label(s)} ${d}`),
      leave: (s, d) => void seen.push(`leave ${label(s)} ${d}`),
      call: (s) => void seen.push(`call ${s.tool}`),
      if: { enter: () => void seen.push('if.enter'), leave: () => void seen.push('if.leave') },
      for: { leave: (s) => void seen.push(`for.leave ${s.var}`) },
    });
    expect(seen).toEqual([
      'enter call@5 0', 'call a.b', 'leave call@5 0',
      'enter if@6 0', 'if.enter',
      'enter for@7 1',
      'enter call@8 2', 'call c.d', 'leave call@8 2',
      'enter make@9 2', 'leave make@9 2',
      'for.leave x', 'leave for@7 1',
      'enter check@11 1', 'leave check@11 1',
      'if.leave', 'leave if@6 0',
      'enter return@12 0', 'leave return@12 0',
    ]);
  });

  it('false from an enter callback skips the children and the leave callbacks of that step only', () => {
    const seen: string[] = [];
    visitSteps(steps(), {
      enter: (s) => {
        seen.push(label(s));
        return s.op === 'for' ? false : undefined;
      },
      for: { leave: () => void seen.push('for.leave') },
      leave: (s) => void (s.op === 'for' && seen.push('leave for')),
    });
    expect(seen).toEqual(['call@5', 'if@6', 'for@7', 'check@11', 'return@12']);
  });

  it("false from a step's own callback skips its children too", () => {
    const seen: string[] = [];
    visitSteps(steps(), { enter: (s) => void seen.push(label(s)), if: () => false });
    expect(seen).toEqual(['call@5', 'if@6', 'return@12']);
  });

  it('BREAK ends the whole walk, from an enter or a leave callback', () => {
    const entered: string[] = [];
    visitSteps(steps(), { enter: (s) => (entered.push(label(s)), s.op === 'make' ? BREAK : undefined) });
    expect(entered).toEqual(['call@5', 'if@6', 'for@7', 'call@8', 'make@9']);
    const left: string[] = [];
    visitSteps(steps(), { leave: (s) => (left.push(label(s)), s.op === 'for' ? BREAK : undefined) });
    expect(left).toEqual(['call@5', 'call@8', 'make@9', 'for@7']);
  });
});

describe('findStep and childSteps', () => {
  it('finds the first matching step in visit order, nested ones included', () => {
    expect(findStep(steps(), (s) => s.op === 'make')?.loc.line).toBe(9);
    expect(findStep(steps(), (s) => s.op === 'call' && s.tool === 'c.d')?.loc.line).toBe(8);
    expect(findStep(steps(), (s) => s.op === 'call' && s.tool === 'nothing')).toBeUndefined();
    expect(findStep([], () => true)).toBeUndefined();
  });

  it('knows where each op keeps its nested block', () => {
    const [call, iff] = steps();
    expect(childSteps(call!)).toBeUndefined();
    expect(childSteps(iff!)?.map(label)).toEqual(['for@7', 'check@11']);
    expect(childSteps(childSteps(iff!)![0]!)?.map(label)).toEqual(['call@8', 'make@9']);
  });
});

describe('mapSteps', () => {
  const outline: StepMapper<string> = {
    call: (s) => s.tool,
    make: () => undefined, // left out
    check: (s) => `check ${s.text}`,
    return: () => 'return',
    if: (s, children) => `if ${s.text} [${children.join('; ')}]`,
    for: (s, children) => `for ${s.var} [${children.join('; ')}]`,
  };

  it('gives each block step what its children became; undefined leaves a step out', () => {
    expect(mapSteps(steps(), outline)).toEqual(['a.b', 'if r [for x [c.d]; check r]', 'return']);
  });

  it('maps children before the step that holds them', () => {
    const order: string[] = [];
    const record = (s: Step) => void order.push(label(s));
    mapSteps(steps(), { call: record, make: record, check: record, return: record, if: record, for: record });
    expect(order).toEqual(['call@5', 'call@8', 'make@9', 'for@7', 'check@11', 'if@6', 'return@12']);
  });
});

describe('layering', () => {
  it('the IR visitor imports nothing but the IR types, so the runtime and backends can use it', () => {
    const text = readFileSync(join(__dirname, '..', '..', 'src', 'ir', 'visit.ts'), 'utf8');
    const imports = [...text.matchAll(/^import[^'"]*['"]([^'"]+)['"]/gm)].map((m) => m[1]);
    expect(imports).toEqual(['./types.js']);
  });
});
