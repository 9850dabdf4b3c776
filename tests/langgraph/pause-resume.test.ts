// Durable pause and resume on the LangGraph backend (docs/langgraph.md): a confirmation nobody can
// answer pauses the run in a SQLite checkpoint; a later resume (this process or another)
// continues it with the same audit numbering, and the concatenated audit equals what the
// native interpreter writes when the same answer comes from a handler.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import type { IRDocument } from '../../src/ir/types.js';
import { MemorySink } from '../../src/runtime/audit/sinks.js';
import { runIR } from '../../src/runtime/interpreter.js';
import type { ToolRegistry } from '../../src/runtime/tools/types.js';
import { readThread, resumeWithLangGraph, runWithLangGraph, ResumeError } from '../../src/backends/langgraph/index.js';
import { aexInProcess } from '../helpers/in-process-cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'aex-lg-pause-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function compile(src: string, file = 'contract.aex'): IRDocument {
  const r = compileSource(src, { path: file });
  if (!r.ok || !r.ir) throw new Error(r.diagnostics.map((d) => `${d.code} ${d.line}: ${d.message}`).join('; '));
  return r.ir;
}

const CONTRACT = `task pay v0
goal "pay after a confirmation"

use lookup, pay, notify
confirm before pay

need who: str
budget calls=3

do lookup(name=who) -> account
do pay(to=account, amount=10) -> receipt
do notify(text=receipt)
return {account: account, receipt: receipt}
`;

function tools(log: string[]): ToolRegistry {
  return {
    lookup: async (a) => {
      log.push('lookup');
      return `acct-${String(a.name)}`;
    },
    pay: async (a) => {
      log.push('pay');
      return `paid ${String(a.to)}`;
    },
    notify: async () => {
      log.push('notify');
      return null;
    },
  };
}

const strip = (events: Array<Record<string, unknown>>) => events.map(({ ts: _ts, duration_ms: _d, run_id: _r, prev: _prev, ...rest }) => rest);

async function native(ir: IRDocument, answer: boolean) {
  const sink = new MemorySink();
  const result = await runIR(ir, { inputs: { who: 'ann' }, tools: tools([]), builtins: false, sinks: [sink], confirm: () => answer });
  return { result, events: strip(sink.events) };
}

let n = 0;
const cpFile = () => path.join(tmp, `cp-${++n}.sqlite`);

describe('LangGraph pause and resume (in process)', () => {
  const ir = compile(CONTRACT);

  it('pauses at the confirmation with status interrupted and its thread id', async () => {
    const sink = new MemorySink();
    const log: string[] = [];
    const file = cpFile();
    const r = await runWithLangGraph(ir, { inputs: { who: 'ann' }, tools: tools(log), builtins: false, sinks: [sink], checkpoint: file });
    expect(r.status).toBe('interrupted');
    if (r.status !== 'interrupted') return;
    expect(r.threadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.waitingFor).toMatchObject({ type: 'aex.confirm', tool: 'pay', args: { to: 'acct-ann', amount: 10 }, line: 11, node: 'call_11_1_confirm' });
    expect(log).toEqual(['lookup']); // nothing ran past the gate
    expect(sink.events.map((e) => e.event)).toEqual(['run.started', 'tool.allowed', 'tool.result', 'confirm.required']);
    const rec = await readThread(file, r.threadId);
    expect(rec?.status).toBe('interrupted');
  });

  for (const answer of [true, false]) {
    it(`resume ${answer ? 'approve' : 'deny'}: the joined audit equals the native run with that answer`, async () => {
      const file = cpFile();
      const first = new MemorySink();
      const log: string[] = [];
      const paused = await runWithLangGraph(ir, { inputs: { who: 'ann' }, tools: tools(log), builtins: false, sinks: [first], checkpoint: file });
      if (paused.status !== 'interrupted') throw new Error('expected a pause');
      const second = new MemorySink();
      const done = await resumeWithLangGraph(ir, {
        checkpoint: file,
        threadId: paused.threadId,
        answer,
        tools: tools(log),
        builtins: false,
        sinks: [second],
      });
      const want = await native(ir, answer);
      expect(done).toEqual(want.result);
      expect(strip([...first.events, ...second.events])).toEqual(want.events);
      expect(log).toEqual(answer ? ['lookup', 'pay', 'notify'] : ['lookup']);
      expect((await readThread(file, paused.threadId))?.status).toBe('finished');
    });
  }

  it('a second resume of a finished thread is a clear error', async () => {
    const file = cpFile();
    const paused = await runWithLangGraph(ir, { inputs: { who: 'ann' }, tools: tools([]), builtins: false, checkpoint: file });
    if (paused.status !== 'interrupted') throw new Error('expected a pause');
    const opts = { checkpoint: file, threadId: paused.threadId, answer: true, tools: tools([]), builtins: false };
    await resumeWithLangGraph(ir, opts);
    await expect(resumeWithLangGraph(ir, opts)).rejects.toThrow(/already finished/);
    await expect(resumeWithLangGraph(ir, opts)).rejects.toBeInstanceOf(ResumeError);
  });

  it('a changed contract or policy is refused (the IR hash is part of the thread)', async () => {
    const file = cpFile();
    const paused = await runWithLangGraph(ir, { inputs: { who: 'ann' }, tools: tools([]), builtins: false, checkpoint: file });
    if (paused.status !== 'interrupted') throw new Error('expected a pause');
    const changed = compile(CONTRACT.replace('amount=10', 'amount=1000'));
    const log: string[] = [];
    await expect(
      resumeWithLangGraph(changed, { checkpoint: file, threadId: paused.threadId, answer: true, tools: tools(log), builtins: false }),
    ).rejects.toThrow(/contract changed/);
    const policy = { kind: 'policy' as const, name: 'p', allow: [{ tool: '*' }], deny: [], confirm: [], budget: { calls: 1 } };
    await expect(
      resumeWithLangGraph(ir, { checkpoint: file, threadId: paused.threadId, answer: true, tools: tools(log), builtins: false, policy }),
    ).rejects.toThrow(/permissions \(policy\) changed/);
    expect(log).toEqual([]);
    // The refusals leave the thread resumable with the right contract.
    const ok = await resumeWithLangGraph(ir, { checkpoint: file, threadId: paused.threadId, answer: true, tools: tools(log), builtins: false });
    expect(ok.status).toBe('success');
  });

  it('budget used before the pause stays used after it', async () => {
    const tight = compile(CONTRACT.replace('budget calls=3', 'budget calls=2'));
    const file = cpFile();
    const first = new MemorySink();
    const paused = await runWithLangGraph(tight, { inputs: { who: 'ann' }, tools: tools([]), builtins: false, sinks: [first], checkpoint: file });
    if (paused.status !== 'interrupted') throw new Error('expected a pause');
    const second = new MemorySink();
    const done = await resumeWithLangGraph(tight, { checkpoint: file, threadId: paused.threadId, answer: true, tools: tools([]), builtins: false, sinks: [second] });
    expect(done.status).toBe('blocked');
    expect(done.status === 'blocked' && done.reasons[0]?.code).toBe('AEX054');
    expect(second.events.find((e) => e.event === 'budget.exhausted')).toMatchObject({ tool: 'notify', calls_used: 2, budget: 2 });
    const sink = new MemorySink();
    const want = await runIR(tight, { inputs: { who: 'ann' }, tools: tools([]), builtins: false, sinks: [sink], confirm: () => true });
    expect(done).toEqual(want);
    expect(strip([...first.events, ...second.events])).toEqual(strip(sink.events));
  });

  it('pauses once per confirmation inside a loop, and resumes each time', async () => {
    const loop = compile(`task batch v0
goal "confirm every payment"

use pay
confirm before pay

need people: list[str]

for p in people
  do pay(to=p) -> r
return "done"
`);
    const file = cpFile();
    const sinks = [new MemorySink()];
    const paid: string[] = [];
    const reg: ToolRegistry = { pay: async (a) => paid.push(String(a.to)) };
    let r = await runWithLangGraph(loop, { inputs: { people: ['a', 'b', 'c'] }, tools: reg, builtins: false, sinks: [sinks[0]!], checkpoint: file });
    const answers = [true, false];
    const threadId = r.status === 'interrupted' ? r.threadId : '';
    for (const answer of answers) {
      expect(r.status).toBe('interrupted');
      const s = new MemorySink();
      sinks.push(s);
      r = await resumeWithLangGraph(loop, { checkpoint: file, threadId, answer, tools: reg, builtins: false, sinks: [s] });
    }
    expect(r.status).toBe('blocked');
    expect(paid).toEqual(['a']);
    const all = sinks.flatMap((s) => s.events);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    const nativeSink = new MemorySink();
    let k = 0;
    await runIR(loop, { inputs: { people: ['a', 'b', 'c'] }, tools: { pay: async () => 0 }, builtins: false, sinks: [nativeSink], confirm: () => answers[k++]! });
    expect(strip(all).map((e) => ({ ...e, result: undefined }))).toEqual(strip(nativeSink.events).map((e) => ({ ...e, result: undefined })));
  });
});

describe('LangGraph pause and resume across processes (the CLI)', () => {
  const repo = path.resolve(__dirname, '../..');
  const bin = path.join(repo, 'bin', 'aex.js');

  async function aex(args: string[], cwd: string) {
    const { spawnSync } = await import('node:child_process');
    const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', input: '', env: { ...process.env, NO_COLOR: '1' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }
  /** The CLI run inside this test process (tests/helpers/in-process-cli.ts): still another process than a spawned run. */
  const aexHere = (args: string[], cwd: string) => aexInProcess(args, { cwd });

  function project(): string {
    const dir = mkdtempSync(path.join(tmp, 'cli-'));
    writeFileSync(path.join(dir, 'pay.aex'), CONTRACT);
    writeFileSync(
      path.join(dir, 'tools.mjs'),
      `export default {
  lookup: async (a) => 'acct-' + a.name,
  pay: async (a) => 'paid ' + a.to,
  notify: async () => null,
};
`,
    );
    return dir;
  }

  async function pausedRun(dir: string, run = aex) {
    const r = await run(['run', 'pay.aex', '--backend', 'langgraph', '--checkpoint', 'state.sqlite', '--tools', 'tools.mjs', '--input', 'who=ann', '--audit', 'audit.jsonl'], dir);
    expect(r.code).toBe(3);
    const m = /thread ([0-9a-f-]{36})/.exec(r.stderr);
    expect(m).not.toBeNull();
    return m![1]!;
  }

  const auditOf = (dir: string) =>
    readFileSync(path.join(dir, 'audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('run pauses (exit 3), resume --approve in a fresh process finishes it and appends to the audit', async () => {
    const dir = project();
    const thread = await pausedRun(dir);
    expect(auditOf(dir).map((e) => e.event)).toEqual(['run.started', 'tool.allowed', 'tool.result', 'confirm.required']);
    const r = await aex(['resume', '--checkpoint', 'state.sqlite', '--thread', thread, '--approve'], dir);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ account: 'acct-ann', receipt: 'paid acct-ann' });
    const events = auditOf(dir);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const want = await native(compile(CONTRACT, 'pay.aex'), true);
    expect(strip(events).map(({ seq: _s, ...e }) => e)).toEqual(want.events.map(({ seq: _s, ...e }) => e));

    const again = await aexHere(['resume', '--checkpoint', 'state.sqlite', '--thread', thread, '--approve'], dir);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error Thread ".*" has already finished \(success\); there is nothing to resume\.\n$/);
  }, 60_000);

  it('resume --deny blocks with AEX053', async () => {
    const dir = project();
    const thread = await pausedRun(dir);
    const r = await aexHere(['resume', '--checkpoint', 'state.sqlite', '--thread', thread, '--deny', '--json'], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'blocked', reasons: [{ code: 'AEX053' }] });
    expect(auditOf(dir).slice(-2).map((e) => e.event)).toEqual(['confirm.denied', 'run.finished']);
  }, 60_000);

  it('resume after the contract file changed is refused and runs nothing', async () => {
    const dir = project();
    const thread = await pausedRun(dir);
    writeFileSync(path.join(dir, 'pay.aex'), CONTRACT.replace('amount=10', 'amount=99'));
    const before = auditOf(dir).length;
    const r = await aexHere(['resume', '--checkpoint', 'state.sqlite', '--thread', thread, '--approve'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error the contract changed since thread ".*" was started; refusing to resume it\.\n$/);
    expect(auditOf(dir).length).toBe(before);
  }, 60_000);

  it('bad resume invocations are one-line errors', async () => {
    const dir = project();
    const noAnswer = await aexHere(['resume', '--checkpoint', 'state.sqlite', '--thread', 'x'], dir);
    expect(noAnswer.code).toBe(1);
    expect(noAnswer.stderr).toBe('error Give --approve or --deny to answer the pending confirmation.\n');
    const missing = await aexHere(['resume', '--checkpoint', 'nope.sqlite', '--thread', 'x', '--approve'], dir);
    expect(missing.stderr).toBe('error Checkpoint file not found: nope.sqlite\n');
    await pausedRun(dir, aexHere);
    const unknown = await aexHere(['resume', '--checkpoint', 'state.sqlite', '--thread', 'not-a-thread', '--approve'], dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('error No thread "not-a-thread" in state.sqlite.\n');
  }, 60_000);
});
