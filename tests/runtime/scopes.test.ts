import { describe, expect, it } from 'vitest';
import { runIR } from '../../src/runtime/interpreter.js';
import { MemorySink } from '../../src/runtime/audit/sinks.js';
import { loc, taskIR } from './helpers.js';
import type { ToolRegistry } from '../../src/runtime/tools/types.js';

const echo: ToolRegistry = { echo: async (args) => args };

describe('lexical scopes (docs/design.md#runtime-semantics)', () => {
  it('a bind inside an if body is invisible after the body; undefined becomes null at the boundary', async () => {
    const ir = taskIR([
      {
        op: 'if',
        cond: { op: 'truthy', subject: { ref: 'flag' } },
        text: 'flag',
        then: [{ op: 'call', tool: 'echo', args: [{ name: 'v', value: { lit: 'inner' } }], bind: 'x', loc: loc(3) }],
        loc: loc(2),
      },
      { op: 'return', value: { object: [{ key: 'x', value: { ref: 'x' } }] }, loc: loc(4) },
    ], { needs: [{ name: 'flag', type: { base: 'bool' }, optional: false, loc: loc(1) }] });
    const r = await runIR(ir, { inputs: { flag: true }, tools: echo, builtins: false });
    expect(r).toEqual({ status: 'success', issues: [], reasons: [], output: { x: null } });
  });

  it('the loop variable and binds in the body live only in their iteration', async () => {
    const sink = new MemorySink();
    const ir = taskIR([
      {
        op: 'for',
        var: 'item',
        iter: { ref: 'items' },
        body: [
          // `prev` is bound later in the body, so in a fresh frame it is always null here.
          { op: 'call', tool: 'echo', args: [{ name: 'item', value: { ref: 'item' } }, { name: 'prev', value: { ref: 'prev' } }], bind: 'prev', loc: loc(3) },
        ],
        loc: loc(2),
      },
      { op: 'return', value: { list: [{ ref: 'item' }, { ref: 'prev' }] }, loc: loc(4) },
    ], { needs: [{ name: 'items', type: { base: 'list', item: { base: 'str' } }, optional: false, loc: loc(1) }] });
    const r = await runIR(ir, { inputs: { items: ['a', 'b'] }, tools: echo, builtins: false, sinks: [sink] });
    expect(r.output).toEqual([null, null]);
    const args = sink.events.filter((e) => e.event === 'tool.allowed').map((e) => e.args);
    expect(args).toEqual([{ item: 'a', prev: null }, { item: 'b', prev: null }]);
  });

  it('inner binds shadow nothing outside: an outer name keeps its value after the loop', async () => {
    const ir = taskIR([
      { op: 'call', tool: 'echo', args: [{ name: 'v', value: { lit: 'outer' } }], bind: 'r', loc: loc(2) },
      {
        op: 'for', var: 'i', iter: { ref: 'items' }, loc: loc(3),
        body: [{ op: 'call', tool: 'echo', args: [{ name: 'v', value: { ref: 'i' } }], bind: 'r', loc: loc(4) }],
      },
      { op: 'return', value: { ref: 'r', path: ['v'] }, loc: loc(5) },
    ], { needs: [{ name: 'items', type: { base: 'list', item: { base: 'int' } }, optional: false, loc: loc(1) }] });
    const r = await runIR(ir, { inputs: { items: [1, 2] }, tools: echo, builtins: false });
    expect(r.output).toBe('outer');
  });

  it('undeclared inputs are invisible to the contract', async () => {
    const ir = taskIR([{ op: 'return', value: { list: [{ ref: 'x' }, { ref: 'extra' }] }, loc: loc(2) }], {
      needs: [{ name: 'x', type: { base: 'str' }, optional: false, loc: loc(1) }],
    });
    const r = await runIR(ir, { inputs: { x: 'a', extra: 'leak' }, builtins: false });
    expect(r.output).toEqual(['a', null]);
  });

  it('paths select own properties of plain objects and array elements only', async () => {
    const ir = taskIR([
      {
        op: 'return',
        value: {
          list: [
            { ref: 'j', path: ['a', 1] },
            { ref: 'j', path: ['a', 'length'] },
            { ref: 'j', path: ['constructor'] },
            { ref: 'j', path: ['s', 0] },
            { ref: 'j', path: ['a', 9] },
          ],
        },
        loc: loc(2),
      },
    ], { needs: [{ name: 'j', type: { base: 'json' }, optional: false, loc: loc(1) }] });
    const r = await runIR(ir, { inputs: { j: { a: [10, 20], s: 'str' } }, builtins: false });
    expect(r.output).toEqual([20, null, null, null, null]);
  });

  it('a run state is plain JSON throughout (LangGraph can checkpoint it)', async () => {
    const { startRun } = await import('../../src/runtime/steps/lifecycle.js');
    const { createRunEnv } = await import('../../src/runtime/run-options.js');
    const ir = taskIR([{ op: 'return', value: { lit: 1 }, loc: loc(2) }], {
      needs: [{ name: 'n', type: { base: 'int' }, optional: true, loc: loc(1) }],
    });
    const { env } = createRunEnv(ir, { builtins: false });
    const s = startRun(env, {});
    expect(s.kind).toBe('started');
    if (s.kind === 'started') expect(JSON.parse(JSON.stringify(s.state))).toEqual({ scopes: [{ n: null }], callsUsed: 0 });
  });
});
