// `aex resume` trusts nothing in a checkpoint file: an agent (or anyone) that edits the
// SQLite file so the pending call becomes `tests.run sh -c …`, the budget is reset, the
// scopes point the call elsewhere, or the launch record imports another module, is
// refused — by the kernel deciding the pending call again against the contract's own
// step, and by the seal of the saved state (an HMAC when a key is configured).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import type { IRDocument } from '../../src/ir/types.js';
import { MemorySink } from '../../src/runtime/audit/sinks.js';
import type { ToolRegistry } from '../../src/runtime/tools/types.js';
import { builtinTools } from '../../src/runtime/tools/builtins.js';
import { readThread, resumeWithLangGraph, runWithLangGraph } from '../../src/backends/langgraph/index.js';
import { threadSeal } from '../../src/backends/langgraph/seal.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'aex-resume-attack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const CONTRACT = `task pay v0
goal "pay after a confirmation"
use lookup, pay
confirm before pay
budget calls=2
do lookup(name="ann") -> account
do pay(to=account, amount=10) -> receipt
return receipt
`;

function compile(src: string): IRDocument {
  const r = compileSource(src, { path: path.join(tmp, 'pay.aex') });
  if (!r.ok || !r.ir) throw new Error(r.diagnostics.map((d) => d.message).join('; '));
  return r.ir;
}

function tools(log: string[]): ToolRegistry {
  return {
    ...builtinTools(),
    lookup: async (a) => `acct-${String(a.name)}`,
    pay: async (a) => {
      log.push(`pay ${String(a.to)}`);
      return `paid ${String(a.to)}`;
    },
  };
}

type Values = Record<string, unknown>;

/** Edits the latest saved checkpoint of the file as an attacker with write access would. */
function tamper(file: string, edit: (values: Values) => void): void {
  const db = new Database(file);
  try {
    const row = db.prepare('SELECT rowid, checkpoint FROM checkpoints ORDER BY rowid DESC LIMIT 1').get() as { rowid: number; checkpoint: Buffer | string };
    const cp = JSON.parse(String(row.checkpoint)) as { channel_values: Values };
    edit(cp.channel_values);
    db.prepare('UPDATE checkpoints SET checkpoint = ? WHERE rowid = ?').run(Buffer.from(JSON.stringify(cp)), row.rowid);
  } finally {
    db.close();
  }
}

/** The attacker also recomputes the unkeyed seal (anyone can: it is a plain SHA-256). */
async function reseal(file: string, threadId: string): Promise<void> {
  const rec = (await readThread(file, threadId))!;
  const db = new Database(file);
  try {
    const row = db.prepare('SELECT checkpoint FROM checkpoints ORDER BY rowid DESC LIMIT 1').get() as { checkpoint: Buffer | string };
    const values = (JSON.parse(String(row.checkpoint)) as { channel_values: Values }).channel_values;
    const next = Object.keys(values).filter((k) => k.startsWith('branch:to:') && values[k] !== undefined).map((k) => k.slice('branch:to:'.length));
    db.prepare('UPDATE aex_threads SET state_seal = ? WHERE thread_id = ?').run(threadSeal(rec, { values, next: next.slice(-1) }), threadId);
  } finally {
    db.close();
  }
}

const pendingOf = (v: Values) => JSON.parse((v.pending as { aexJson: string }).aexJson) as Record<string, unknown>;
const setPending = (v: Values, p: Record<string, unknown>) => {
  v.pending = { aexJson: JSON.stringify(p) };
};

let n = 0;
async function paused(key?: Buffer) {
  const file = path.join(tmp, `cp-${++n}.sqlite`);
  const r = await runWithLangGraph(compile(CONTRACT), { tools: tools([]), builtins: false, checkpoint: file, cwd: tmp, ...(key ? { stateKey: key } : {}) });
  if (r.status !== 'interrupted') throw new Error('expected a pause');
  return { file, threadId: r.threadId };
}

async function resume(file: string, threadId: string, key?: Buffer) {
  const log: string[] = [];
  const sink = new MemorySink();
  const run = resumeWithLangGraph(compile(CONTRACT), { checkpoint: file, threadId, answer: true, tools: tools(log), builtins: false, sinks: [sink], cwd: tmp, ...(key ? { stateKey: key } : {}) });
  return { run, log, sink };
}

const SH = (marker: string) => ({ tool: 'tests.run', args: { cmd: ['sh', '-c', `touch ${marker}`] } });

describe('a tampered checkpoint is refused (in process)', () => {
  it('an untouched thread resumes (with and without a key)', async () => {
    for (const key of [undefined, Buffer.from('k'.repeat(32))]) {
      const { file, threadId } = await paused(key);
      const { run, log } = await resume(file, threadId, key);
      expect((await run).status).toBe('success');
      expect(log).toEqual(['pay acct-ann']);
    }
  });

  it('pending call rewritten to tests.run sh -c, seal recomputed (no key): the kernel refuses it, nothing runs', async () => {
    const { file, threadId } = await paused();
    const marker = path.join(tmp, `pwned-${n}`);
    tamper(file, (v) => setPending(v, { ...pendingOf(v), ...SH(marker), request: { ...SH(marker), line: 7 } }));
    await reseal(file, threadId);
    const { run, log, sink } = await resume(file, threadId);
    const r = await run;
    expect(r.status).toBe('blocked');
    expect(r.issues.join()).toMatch(/AEX070: the saved call \(tests\.run\) is not the call line 7 of the contract makes/);
    expect(sink.events.some((e) => e.event === 'tool.denied' && e.reason === 'checkpoint_mismatch')).toBe(true);
    expect(sink.events.some((e) => e.event === 'tool.allowed')).toBe(false);
    expect(existsSync(marker)).toBe(false);
    expect(log).toEqual([]);
  });

  it('pending call rewritten without recomputing the seal: refused before anything runs', async () => {
    const { file, threadId } = await paused();
    const marker = path.join(tmp, `pwned-${n}`);
    tamper(file, (v) => setPending(v, { ...pendingOf(v), ...SH(marker) }));
    const { run } = await resume(file, threadId);
    await expect(run).rejects.toThrow(/does not match its seal: the checkpoint file was changed/);
    expect(existsSync(marker)).toBe(false);
    expect((await readThread(file, threadId))?.status).toBe('interrupted');
  });

  it('with a key: scopes redirected consistently with the pending call, seal recomputed without the key → refused', async () => {
    const key = Buffer.from('a-key-the-agent-never-sees-000000');
    const { file, threadId } = await paused(key);
    tamper(file, (v) => {
      v.scopes = { aexJson: JSON.stringify([{ account: 'acct-mallory' }]) };
      const p = pendingOf(v);
      setPending(v, { ...p, args: { to: 'acct-mallory', amount: 10 } });
    });
    await reseal(file, threadId);
    const { run, log } = await resume(file, threadId, key);
    await expect(run).rejects.toThrow(/hmac|key|seal/i);
    expect(log).toEqual([]);
  });

  it('with a key: a reset budget is refused; a resume without the key is refused', async () => {
    const key = Buffer.from('another-key-000000000000000000000');
    const { file, threadId } = await paused(key);
    const noKey = await resume(file, threadId);
    await expect(noKey.run).rejects.toThrow(/sealed with a key; give the same --audit-key-file/);
    tamper(file, (v) => {
      v.callsUsed = 0;
    });
    const { run } = await resume(file, threadId, key);
    await expect(run).rejects.toThrow(/does not match its seal/);
  });

  it('a keyed resume of an unkeyed thread is refused (a stripped seal cannot downgrade)', async () => {
    const { file, threadId } = await paused();
    const { run } = await resume(file, threadId, Buffer.from('k'.repeat(32)));
    await expect(run).rejects.toThrow(/carries no keyed seal/);
  });
});

describe('a tampered checkpoint is refused (through the CLI, as an agent would meet it)', () => {
  const bin = path.resolve(__dirname, '../../bin/aex.js');
  const aex = (args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', input: '', env: { ...process.env, NO_COLOR: '1', ...env } });

  function project(): string {
    const dir = mkdtempSync(path.join(tmp, 'cli-'));
    writeFileSync(path.join(dir, 'pay.aex'), CONTRACT);
    writeFileSync(path.join(dir, 'tools.mjs'), "export default { lookup: async (a) => 'acct-' + a.name, pay: async (a) => 'paid ' + a.to };\n");
    writeFileSync(path.join(dir, 'evil.mjs'), `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(path.join(dir, 'imported'))}, 'x'); export default {};\n`);
    writeFileSync(path.join(dir, 'key'), 'cli-key-0123456789abcdef0123456789\n');
    return dir;
  }

  function pause(dir: string): string {
    const r = aex(['run', 'pay.aex', '--backend', 'langgraph', '--checkpoint', 'st.sqlite', '--tools', 'tools.mjs', '--audit', 'audit.jsonl', '--audit-key-file', 'key'], dir);
    expect(r.status).toBe(3);
    return /thread ([0-9a-f-]{36})/.exec(r.stderr)![1]!;
  }

  it('pending call → tests.run sh -c: refused, exit 1, nothing runs, the audit is unchanged', () => {
    const dir = project();
    const thread = pause(dir);
    const marker = path.join(dir, 'pwned');
    tamper(path.join(dir, 'st.sqlite'), (v) => setPending(v, { ...pendingOf(v), ...SH(marker) }));
    const before = readFileSync(path.join(dir, 'audit.jsonl'), 'utf8');
    const r = aex(['resume', '--checkpoint', 'st.sqlite', '--thread', thread, '--approve', '--audit-key-file', 'key'], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error refusing to resume thread ".*": its saved state .* does not match its seal/m);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(marker)).toBe(false);
    expect(readFileSync(path.join(dir, 'audit.jsonl'), 'utf8')).toBe(before);
  }, 60_000);

  it('launch record → --tools evil.mjs: refused before the module is imported', () => {
    const dir = project();
    const thread = pause(dir);
    const db = new Database(path.join(dir, 'st.sqlite'));
    const rec = db.prepare('SELECT launch FROM aex_threads WHERE thread_id = ?').get(thread) as { launch: string };
    const launch = JSON.parse(rec.launch) as { argv: string[] };
    launch.argv = launch.argv.map((a) => (a === 'tools.mjs' ? 'evil.mjs' : a));
    db.prepare('UPDATE aex_threads SET launch = ? WHERE thread_id = ?').run(JSON.stringify(launch), thread);
    db.close();
    const r = aex(['resume', '--checkpoint', 'st.sqlite', '--thread', thread, '--approve'], dir, { AEX_AUDIT_KEY_FILE: path.join(dir, 'key') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/does not match its seal/);
    expect(existsSync(path.join(dir, 'imported'))).toBe(false);
  }, 60_000);
});
