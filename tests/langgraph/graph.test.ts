// The shape of the graph taskToLangGraph builds, and its behaviour when used directly as
// a LangGraph graph (no runWithLangGraph driver).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, INTERRUPT, isInterrupted, MemorySaver } from '@langchain/langgraph';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import type { IRDocument } from '../../src/ir/types.js';
import { MemorySink } from '../../src/runtime/audit/sinks.js';
import { runIR } from '../../src/runtime/interpreter.js';
import { confirmAnswerOf, graphMermaid, recursionLimitFor, taskToLangGraph } from '../../src/backends/langgraph/index.js';

function compile(src: string): IRDocument {
  const r = compileSource(src, { path: 'g.aex' });
  if (!r.ok || !r.ir) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.line}: ${d.message}`).join('; '));
  return r.ir;
}

const NESTED = `task nested v0
goal "nested control"

use noop, write
confirm before write

need items: list[str]

for i in items
  if i has "7"
    do noop(i=i)
do write(x=1)
return "done"
`;

const strip = (events: Array<Record<string, unknown>>) => events.map(({ ts: _ts, prev: _prev, ...rest }) => rest);

describe('graph structure', () => {
  const ir = compile(NESTED);

  it('node ids are <op>_<line>_<column>, with parts for gates, loops and bodies, in source order', () => {
    const g = taskToLangGraph(ir, { builtins: false });
    expect(g.aex.nodes).toEqual([
      'run_start',
      'for_9_1',
      'for_9_1_next',
      'if_10_3',
      'if_10_3_end',
      // Any confirm rule gives every call a confirmation node: whether a call needs one is
      // the kernel's verdict on what it does, known only when it runs.
      'call_11_5',
      'call_11_5_confirm',
      'call_11_5_execute',
      'call_12_1',
      'call_12_1_confirm',
      'call_12_1_execute',
      'return_13_1',
      'run_finish',
    ]);
    // Deterministic: a second build gives the same ids and the same drawing.
    expect(taskToLangGraph(ir, { builtins: false }).aex.nodes).toEqual(g.aex.nodes);
  });

  it('graphMermaid draws every edge: the Command targets every node declares', async () => {
    const m = await graphMermaid(ir);
    expect(m).toMatch(/^%%\{init/);
    for (const edge of [
      '__start__ --> run_start;',
      'for_9_1 -.-> if_10_3;',
      'for_9_1 -.-> call_12_1;',
      'if_10_3 -.-> call_11_5;',
      'if_10_3 -.-> for_9_1_next;',
      'call_11_5 -.-> if_10_3_end;',
      'if_10_3_end -.-> for_9_1_next;',
      'for_9_1_next -.-> if_10_3;',
      'call_12_1 -.-> call_12_1_confirm;',
      'call_12_1_confirm -.-> call_12_1_execute;',
      'return_13_1 -.-> run_finish;',
      'run_finish -.-> __end__;',
    ]) {
      expect(m).toContain(edge);
    }
    expect(await graphMermaid(ir)).toBe(m);
  });

  it('a call no confirm rule can match gets no gate node; steps after a return get no node', () => {
    const g = taskToLangGraph(compile('task t v0\ngoal "g"\nuse a\n\ndo a()\nreturn 1\n'), { builtins: false });
    expect(g.aex.nodes).toEqual(['run_start', 'call_5_1', 'return_6_1', 'run_finish']);
  });

  it('refuses a policy document', () => {
    const pol = compileSource('policy p v0\ngoal "g"\nallow a\n', { path: 'p.aex' });
    expect(() => taskToLangGraph(pol.ir!, {})).toThrow(/policy/);
  });

  it('the recursion limit is derived from the contract and its inputs', () => {
    const loop = compile('task l v0\ngoal "g"\nuse a\nneed xs: list[int]\n\nfor x in xs\n  do a(x=x)\nreturn 1\n');
    const n = recursionLimitFor(loop, { xs: Array.from({ length: 5000 }, (_, i) => i) });
    expect(n).toBeGreaterThanOrEqual(2 + 1 + 5000 * 4 + 1);
    expect(recursionLimitFor(loop, { xs: [] })).toBe(25);
    expect(recursionLimitFor(loop)).toBeGreaterThan(100_000); // unknown length: generous default
  });
});

describe('the compiled graph used directly', () => {
  it('runs a loop far beyond LangGraph\'s default recursion limit of 25 without extra config', async () => {
    const loop = compile('task l v0\ngoal "g"\nuse a\nneed xs: list[int]\n\nfor x in xs\n  do a(x=x)\nreturn "ok"\n');
    const calls: unknown[] = [];
    const g = taskToLangGraph(loop, { builtins: false, tools: { a: async (args) => calls.push(args.x) } });
    const out = await g.invoke({ inputs: { xs: Array.from({ length: 40 }, (_, i) => i) } });
    expect(out.result).toMatchObject({ status: 'success', output: 'ok' });
    expect(calls.length).toBe(40);
  });

  it('with a confirm handler the gate asks it (no interrupt, no checkpointer) and the audit equals native', async () => {
    const ir = compile(NESTED);
    const inputs = { items: ['a7', 'b', 'c7'] };
    for (const answer of [true, false]) {
      const sink = new MemorySink();
      const g = taskToLangGraph(ir, { builtins: false, tools: { noop: async () => 1, write: async () => 2 }, sinks: [sink], confirm: () => answer });
      const out = await g.invoke({ inputs });
      const nativeSink = new MemorySink();
      const want = await runIR(ir, { inputs, builtins: false, tools: { noop: async () => 1, write: async () => 2 }, sinks: [nativeSink], confirm: () => answer });
      expect(out.result).toEqual(want);
      expect(strip(sink.events)).toEqual(strip(nativeSink.events));
    }
  });

  it('an unclear resume value is a refusal (confirm.failed), never an approval', async () => {
    expect(confirmAnswerOf(true)).toBe(true);
    expect(confirmAnswerOf({ approved: false })).toBe(false);
    expect(confirmAnswerOf('yes')).toMatchObject({ error: expect.stringMatching(/unrecognised/) });
    const ir = compile(NESTED);
    const sink = new MemorySink();
    let wrote = 0;
    const g = taskToLangGraph(ir, { builtins: false, tools: { noop: async () => 1, write: async () => ++wrote }, sinks: [sink], checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: 'x' } };
    const paused = await g.invoke({ inputs: { items: [] } }, config);
    const interrupts = isInterrupted(paused) ? paused[INTERRUPT] : undefined;
    expect(interrupts?.[0]?.value).toMatchObject({ type: 'aex.confirm', tool: 'write' });
    const out = await g.invoke(new Command({ resume: 'yes' }), config);
    expect(out.result).toMatchObject({ status: 'blocked', reasons: [{ code: 'AEX053' }] });
    expect(wrote).toBe(0);
    expect(sink.events.map((e) => e.event).slice(-2)).toEqual(['confirm.failed', 'run.finished']);
  });

  it('a thread saved by one contract cannot be continued by the graph of another', async () => {
    const saver = new MemorySaver();
    const config = { configurable: { thread_id: 't' } };
    const a = taskToLangGraph(compile(NESTED), { builtins: false, tools: { noop: async () => 1, write: async () => 2 }, checkpointer: saver });
    await a.invoke({ inputs: { items: [] } }, config);
    const b = taskToLangGraph(compile(NESTED.replace('x=1', 'x=2')), { builtins: false, tools: { noop: async () => 1, write: async () => 2 }, checkpointer: saver });
    await expect(b.invoke(new Command({ resume: true }), config)).rejects.toThrow(/different contract or policy/);
  });
});

describe('the CLI', () => {
  const repo = path.resolve(__dirname, '../..');
  const bin = path.join(repo, 'bin', 'aex.js');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'aex-lg-cli-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const aex = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: tmp, encoding: 'utf8', input: '' });

  it('aex run --backend langgraph: same stdout, exit code and audit file as native', () => {
    writeFileSync(path.join(tmp, 'n.aex'), NESTED);
    writeFileSync(path.join(tmp, 'tools.mjs'), 'export default { noop: async (a) => ({ got: a.i }), write: async () => "written" };\n');
    const common = ['run', 'n.aex', '--tools', 'tools.mjs', '--input', 'items=["17","2","7"]', '--auto-confirm', '--json'];
    const native = aex([...common, '--audit', 'native.jsonl']);
    const lg = aex([...common, '--audit', 'lg.jsonl', '--backend', 'langgraph']);
    expect(native.status).toBe(0);
    expect(lg.status).toBe(native.status);
    expect(lg.stdout).toBe(native.stdout);
    const read = (f: string) =>
      readFileSync(path.join(tmp, f), 'utf8')
        .trim()
        .split('\n')
        .map((l) => strip([JSON.parse(l) as Record<string, unknown>])[0]);
    expect(read('lg.jsonl')).toEqual(read('native.jsonl'));
    expect(read('lg.jsonl').length).toBeGreaterThan(10);
  }, 60_000);

  it('aex compile --graph prints the Mermaid drawing', () => {
    writeFileSync(path.join(tmp, 'g.aex'), NESTED);
    const r = aex(['compile', 'g.aex', '--graph']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('for_9_1_next -.-> if_10_3;');
  }, 60_000);
});
