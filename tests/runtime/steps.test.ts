import { describe, expect, it } from 'vitest';
import { createRunEnv } from '../../src/runtime/run-options.js';
import { MemorySink } from '../../src/runtime/audit/sinks.js';
import { applyConfirmation, executeCall, prepareCall, askConfirmation } from '../../src/runtime/steps/call.js';
import { startRun } from '../../src/runtime/steps/lifecycle.js';
import type { CallStep } from '../../src/ir/types.js';
import type { RunState } from '../../src/runtime/steps/types.js';
import { loc, taskIR } from './helpers.js';

const write: CallStep = { op: 'call', tool: 'file.write', args: [{ name: 'path', value: { lit: 'a.txt' } }], bind: 'w', loc: loc(5) };

function setup(confirm?: (tool: string) => boolean) {
  const sink = new MemorySink();
  const ir = taskIR([write], {
    permissions: { use: [{ tool: 'file.*', loc: loc(1) }], deny: [], confirm: [{ tool: 'file.*', loc: loc(2) }] },
    budget: { calls: 1 },
  });
  const { env } = createRunEnv(ir, {
    tools: { 'file.write': async (args) => ({ wrote: args.path }) },
    builtins: false,
    sinks: [sink],
    ...(confirm ? { confirm } : {}),
  });
  const start = startRun(env, {});
  if (start.kind !== 'started') throw new Error('did not start');
  return { env, sink, state: start.state as RunState };
}

const events = (sink: MemorySink) => sink.events.map(({ ts: _t, seq: _s, ...e }) => e);

describe('the do step split in three (prepare / confirm / execute)', () => {
  it('prepareCall returns a plain-JSON PreparedCall and emits confirm.required before any pause', async () => {
    const { env, sink, state } = setup();
    const prep = await prepareCall(write, state, env);
    expect(prep).toEqual({
      kind: 'ready',
      call: {
        tool: 'file.write',
        args: { path: 'a.txt' },
        line: 5,
        bind: 'w',
        needsConfirmation: true,
        message: "confirmation required by 'confirm before file.*': a.txt",
        request: { tool: 'file.write', args: { path: 'a.txt' }, line: 5, message: "confirmation required by 'confirm before file.*': a.txt" },
        // The kernel's tool.allowed, emitted only when the call really runs.
        proceed: [
          {
            event: 'tool.allowed',
            tool: 'file.write',
            // Once approved, the call runs under the rule that allows it.
            rule: 'use file.*',
            layer: 'task',
            action: { cap: 'file.write', paths: ['a.txt'] },
            args: { path: 'a.txt' },
            line: 5,
          },
        ],
      },
    });
    expect(JSON.parse(JSON.stringify(prep))).toEqual(prep);
    expect(events(sink).at(-1)).toEqual({
      event: 'confirm.required',
      tool: 'file.write',
      rule: 'confirm before file.*',
      layer: 'task',
      action: { cap: 'file.write', paths: ['a.txt'] },
      args: { path: 'a.txt' },
      line: 5,
    });
    expect(state.callsUsed).toBe(0);
  });

  it('applyConfirmation maps every answer to its event and AEX053', async () => {
    const { env, sink, state } = setup();
    const prep = await prepareCall(write, state, env);
    if (prep.kind !== 'ready') throw new Error('blocked');
    expect(applyConfirmation(prep.call, true, env)).toEqual({ kind: 'continue' });
    expect(applyConfirmation(prep.call, false, env)).toMatchObject({ kind: 'blocked', reason: { code: 'AEX053', line: 5 } });
    expect(applyConfirmation(prep.call, { error: 'eof' }, env)).toMatchObject({ kind: 'blocked', reason: { code: 'AEX053' } });
    expect(applyConfirmation(prep.call, { refused: 'no_handler' }, env)).toMatchObject({ kind: 'blocked', reason: { code: 'AEX053' } });
    expect(events(sink).slice(-4)).toEqual([
      { event: 'confirm.approved', tool: 'file.write', line: 5 },
      { event: 'confirm.denied', tool: 'file.write', line: 5 },
      { event: 'confirm.failed', tool: 'file.write', error: 'eof', line: 5 },
      { event: 'confirm.denied', tool: 'file.write', reason: 'no_handler', line: 5 },
    ]);
  });

  it('askConfirmation: no handler → no_handler; a throwing handler → {error}', async () => {
    const a = setup();
    const p = await prepareCall(write, a.state, a.env);
    if (p.kind !== 'ready') throw new Error('blocked');
    expect(await askConfirmation(p.call, a.env)).toEqual({ refused: 'no_handler' });
    const b = setup(() => {
      throw new Error('tty gone');
    });
    expect(await askConfirmation(p.call, b.env)).toEqual({ error: 'tty gone' });
  });

  it('executeCall charges the budget, binds into the innermost scope; the next call hits the budget', async () => {
    const { env, sink, state } = setup(() => true);
    state.scopes.push({});
    const prep = await prepareCall(write, state, env);
    if (prep.kind !== 'ready') throw new Error('blocked');
    expect(await executeCall(prep.call, state, env)).toEqual({ kind: 'continue' });
    expect(state.callsUsed).toBe(1);
    expect(state.scopes).toEqual([{}, { w: { wrote: 'a.txt' } }]);
    const again = await prepareCall(write, state, env);
    expect(again).toMatchObject({ kind: 'blocked', reason: { code: 'AEX054', line: 5 } });
    expect(events(sink).at(-1)).toEqual({ event: 'budget.exhausted', tool: 'file.write', calls_used: 1, budget: 1, args: { path: 'a.txt' }, line: 5 });
  });
});
