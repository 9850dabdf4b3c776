// `aex serve` shares file-system reads and commits calls in groups; neither may ever answer
// more permissively than a fresh read (`aex gate`, one process per call) would. Each attack
// changes the disk between two calls, or while calls are in flight, and checks that the
// next answer is the fresh one: a new deny rule, a revoked grant, a policy planted above
// the project root, and a budget that concurrent calls of one session must not overrun.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServe, type RunningServer } from '../../src/serve/server.js';
import { runGate } from '../../src/gate/bundle-entry.js';
import { parseGateArgs } from '../../src/gate/options.js';
import { callsSpent } from '../../src/runtime/state/budget.js';
import { projectStateDirectory } from '../../src/runtime/state-dir.js';
import { createGrant, revokeGrant } from '../../src/grants/store.js';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { ReadAfterReceipt } from '../../src/serve/read-after-receipt.js';
import { gate } from '../gate/helpers.js';

const TOKEN = 'fresh-reads-token-0123456789';
let base: string;
let env: NodeJS.ProcessEnv;
let srv: RunningServer;
let n = 0;

beforeAll(async () => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-serve-fresh-')));
  env = { ...process.env, AEX_STATE_DIR: path.join(base, 'state') };
  for (const k of ['CLAUDE_PROJECT_DIR', 'CLAUDE_CODE_ENTRYPOINT', 'GEMINI_PROJECT_DIR', 'GEMINI_CWD', 'CODEX_PROJECT_DIR', 'CURSOR_PROJECT_DIR']) delete env[k];
  srv = await startServe({ listen: { host: '127.0.0.1', port: 0 }, token: TOKEN, env, processCwd: base });
});
afterAll(async () => {
  await srv.close();
  rmSync(base, { recursive: true, force: true });
});

/** A fresh project `<base>/wN/project` (its parent holds no policy) with `policy`. */
function project(policy: string): { outer: string; dir: string } {
  const outer = path.join(base, `w${++n}`);
  const dir = path.join(outer, 'project');
  mkdirSync(path.join(dir, '.aex'), { recursive: true });
  writeFileSync(path.join(dir, '.aex', 'policy.aex'), policy);
  return { outer, dir };
}
const policyText = (...rules: string[]) => ['policy p v1', 'goal "fresh reads"', ...rules, ''].join('\n');

const payload = (cwd: string, tool_name: string, tool_input: Record<string, unknown>, session = 's1') =>
  JSON.stringify({ session_id: session, cwd, hook_event_name: 'PreToolUse', tool_name, tool_input, tool_use_id: 'toolu_1', permission_mode: 'default' });
async function decide(body: string): Promise<string> {
  const r = await fetch(`${srv.url}/hook/claude-code`, { method: 'POST', body, headers: { authorization: `Bearer ${TOKEN}` } });
  return JSON.parse(await r.text()).hookSpecificOutput.permissionDecision as string;
}
/** What a fresh gate process decides for the same payload. */
async function fresh(body: string): Promise<string> {
  const out = await runGate(parseGateArgs([]), body, base, env);
  return JSON.parse(out.stdout).hookSpecificOutput.permissionDecision as string;
}
/** Many copies at once: they arrive together and share reads and a group commit. */
const together = (body: string, k: number) => Promise.all(Array.from({ length: k }, () => decide(body)));

describe('aex serve sees every change a fresh read would', () => {
  it('a new deny rule in the policy file decides the next call, also right after a burst that shared its reads', async () => {
    const p = project(policyText('allow shell.exec:"git *"'));
    const body = payload(p.dir, 'Bash', { command: 'git status' });
    expect(await together(body, 8)).toEqual(Array(8).fill('allow'));
    writeFileSync(path.join(p.dir, '.aex', 'policy.aex'), policyText('allow shell.exec:"git *"', 'deny shell.exec:"git status"'));
    expect(await decide(body)).toBe('deny');
    expect(await fresh(body)).toBe('deny');
    // A change of the policy while a burst is in flight: every call that arrives after it is denied.
    writeFileSync(path.join(p.dir, '.aex', 'policy.aex'), policyText('allow shell.exec:"git *"'));
    const first = together(body, 8);
    writeFileSync(path.join(p.dir, '.aex', 'policy.aex'), policyText('deny shell.exec:"git *"'));
    await first;
    expect(await together(body, 4)).toEqual(Array(4).fill('deny'));
  });

  it('a revoked grant no longer allows the next call', async () => {
    const p = project(policyText('allow file.read:./**'));
    const body = payload(p.dir, 'Bash', { command: 'make build' });
    expect(await decide(body)).toBe('deny');
    const g = createGrant(p.dir, 'shell.exec:"make build"', { env });
    expect(await together(body, 6)).toEqual(Array(6).fill('allow'));
    revokeGrant(p.dir, g.id, { env });
    expect(await decide(body)).toBe('deny');
    expect(await fresh(body)).toBe('deny');
  });

  it('a grant for another session, or an expired one, is judged per call even when the folder read is shared', async () => {
    const p = project(policyText('allow file.read:./**'));
    createGrant(p.dir, 'shell.exec:"make a"', { env, session: 'mine' });
    createGrant(p.dir, 'shell.exec:"make b"', { env, forMs: 1, now: Date.now() - 10_000 });
    const [mine, theirs, expired] = await Promise.all([
      decide(payload(p.dir, 'Bash', { command: 'make a' }, 'mine')),
      decide(payload(p.dir, 'Bash', { command: 'make a' }, 'theirs')),
      decide(payload(p.dir, 'Bash', { command: 'make b' }, 'mine')),
    ]);
    expect([mine, theirs, expired]).toEqual(['allow', 'deny', 'deny']);
  });

  it('a policy planted above the root moves the root there, as a fresh walk does, at the next call', async () => {
    const p = project(policyText('allow shell.exec:"git *"'));
    const sub = path.join(p.dir, 'src');
    mkdirSync(sub);
    const body = payload(sub, 'Bash', { command: 'git status' });
    expect(await together(body, 6)).toEqual(Array(6).fill('allow'));
    // The outermost ancestor holding a policy is the root: the planted one now decides.
    writeFileSync(path.join(p.outer, 'aex.policy.aex'), policyText('deny shell.exec:"git *"'));
    expect(await decide(body)).toBe('deny');
    expect(await fresh(body)).toBe('deny');
    // And removing it gives the project back its own root.
    rmSync(path.join(p.outer, 'aex.policy.aex'));
    expect(await decide(body)).toBe('allow');
    // The same with the other spelling, `.aex/policy.aex`, in a folder that had no `.aex` yet.
    mkdirSync(path.join(p.outer, '.aex'));
    writeFileSync(path.join(p.outer, '.aex', 'policy.aex'), policyText('deny shell.exec:"git *"'));
    expect(await decide(body)).toBe('deny');
  });

  it('a removed policy file is noticed: every call is refused, as with no policy', async () => {
    const p = project(policyText('allow shell.exec:"git *"'));
    const body = payload(p.dir, 'Bash', { command: 'git status' });
    expect(await decide(body)).toBe('allow');
    rmSync(path.join(p.dir, '.aex', 'policy.aex'));
    expect(await decide(body)).toBe('deny');
    expect(await fresh(body)).toBe('deny');
  });

  it('calls that arrive together share their reads', async () => {
    const p = project(policyText('allow shell.exec:"git *"'));
    const body = payload(p.dir, 'Bash', { command: 'git status' });
    await decide(body);
    const before = srv.lookups.reads;
    await together(body, 12);
    // Without sharing: 12 calls x (2 real paths, root walk, discovery, a stamp, grants) = 72 reads.
    expect(srv.lookups.reads - before).toBeLessThan(40);
  });
});

describe('group commit in aex serve', () => {
  it('concurrent calls of one session never overrun the budget, and the audit chain stays whole', async () => {
    const p = project(policyText('allow shell.exec:"git *"', 'budget calls=5'));
    const body = payload(p.dir, 'Bash', { command: 'git status' }, 'burst');
    const batchesBefore = srv.batches.batches;
    const answers = await together(body, 12);
    expect(answers.filter((a) => a === 'allow').length).toBe(5);
    expect(answers.filter((a) => a === 'deny').length).toBe(7);
    const state = projectStateDirectory(p.dir, env);
    expect(callsSpent(state, 'burst')).toBe(5);
    // Fewer commits than calls: they were grouped.
    expect(srv.batches.batches - batchesBefore).toBeLessThan(12);
    // A gate process then finds the budget spent, and appends to the same chain.
    expect(await fresh(body)).toBe('deny');
    const auditDir = path.join(state, 'audit');
    const file = path.join(auditDir, readdirSync(auditDir).find((f) => f.includes('burst'))!);
    expect(verifyAuditFile(file)).toMatchObject({ ok: true });
  });

  it('shares one budget and one audit chain with gate processes running at the same time', async () => {
    const p = project(policyText('allow shell.exec:"git *"', 'budget calls=8'));
    const body = payload(p.dir, 'Bash', { command: 'git status' }, 'mixed');
    // Real gate processes (their own lock attempts) beside a burst of served calls.
    const [served, ...gated] = await Promise.all([together(body, 10), gate(body, [], base, 20_000, env), gate(body, [], base, 20_000, env), gate(body, [], base, 20_000, env)]);
    const gatedDecisions = gated.map((g) => JSON.parse(g.stdout).hookSpecificOutput.permissionDecision as string);
    const all = [...served, ...gatedDecisions];
    expect(all.filter((a) => a === 'allow').length).toBe(8);
    const state = projectStateDirectory(p.dir, env);
    expect(callsSpent(state, 'mixed')).toBe(8);
    expect(verifyAuditFile(path.join(state, 'audit', 'gate-mixed.jsonl'))).toMatchObject({ ok: true });
  });

  it('refuses every call of a batch whose audit cannot be written', async () => {
    const p = project(policyText('allow shell.exec:"git *"'));
    const state = projectStateDirectory(p.dir, env);
    // The session's audit file is a directory: no append can succeed.
    mkdirSync(path.join(state, 'audit', 'gate-broken.jsonl'), { recursive: true });
    const answers = await together(payload(p.dir, 'Bash', { command: 'git status' }, 'broken'), 5);
    expect(answers).toEqual(Array(5).fill('deny'));
  });
});

describe('ReadAfterReceipt', () => {
  it('gives a request only what was read after it arrived', () => {
    const m = new ReadAfterReceipt();
    let disk = 'old';
    const a = m.received();
    expect(m.get('k', a, () => disk)).toBe('old');
    const b = m.received();
    disk = 'new';
    // Read before b arrived: b reads again.
    expect(m.get('k', b, () => disk)).toBe('new');
    // a arrived before that read: it may share it.
    expect(m.get('k', a, () => 'unused')).toBe('new');
    expect(m.reads).toBe(2);
  });

  it('keeps no error', () => {
    const m = new ReadAfterReceipt();
    const a = m.received();
    expect(() => m.get('k', a, () => { throw new Error('EIO'); })).toThrow('EIO');
    expect(m.get('k', a, () => 'ok')).toBe('ok');
  });
});
