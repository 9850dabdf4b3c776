// `aex serve` in process: the same answers as `aex gate`, its token, policy reload, the thin
// client (`aex gate --server`) and its fail-closed behaviour, and one real process for SIGTERM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServe, type RunningServer } from '../../src/serve/server.js';
import { runGate } from '../../src/gate/bundle-entry.js';
import { parseGateArgs } from '../../src/gate/options.js';
import { callsSpent } from '../../src/runtime/state/budget.js';
import { projectStateDirectory } from '../../src/runtime/state-dir.js';
import { parseListen } from '../../src/serve/main.js';
import { tokenMatches } from '../../src/serve/auth.js';
import { BIN } from './helpers.js';

const TOKEN = 'test-token-0123456789';
let base: string;
let project: string;
let env: NodeJS.ProcessEnv;
let srv: RunningServer;

const POLICY = ['policy served v1', 'goal "serve tests"', 'allow file.read:./**, shell.exec:"git *"', 'deny shell.exec:"rm *"', 'budget calls=100', ''].join('\n');

beforeAll(async () => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-serve-')));
  project = path.join(base, 'project');
  mkdirSync(path.join(project, '.aex'), { recursive: true });
  writeFileSync(path.join(project, '.aex', 'policy.aex'), POLICY);
  env = { ...process.env, AEX_STATE_DIR: path.join(base, 'state') };
  delete env.CLAUDE_PROJECT_DIR;
  delete env.CLAUDE_CODE_ENTRYPOINT;
  srv = await startServe({ listen: { host: '127.0.0.1', port: 0 }, token: TOKEN, env, processCwd: base });
});
afterAll(async () => {
  await srv.close();
  rmSync(base, { recursive: true, force: true });
});

const payload = (tool_name: string, tool_input: Record<string, unknown>, session = 's1') =>
  JSON.stringify({ session_id: session, cwd: project, hook_event_name: 'PreToolUse', tool_name, tool_input, tool_use_id: 'toolu_1', permission_mode: 'default' });

async function post(body: string, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }, host = 'claude-code') {
  const r = await fetch(`${srv.url}/hook/${host}`, { method: 'POST', body, headers });
  return { status: r.status, text: await r.text() };
}

describe('aex serve answers Claude Code http hooks', () => {
  it('gives the same decision as the gate, as the body', async () => {
    const body = payload('Bash', { command: 'git status' });
    const served = await post(body);
    const gated = await runGate(parseGateArgs([]), body, base, env);
    expect(served.status).toBe(200);
    expect(JSON.parse(served.text).hookSpecificOutput.permissionDecision).toBe('allow');
    expect(served.text).toBe(gated.stdout);
  });

  it('denies by rule, and a compound line with one denied part', async () => {
    const r = await post(payload('Bash', { command: 'git status && rm -rf build' }));
    expect(JSON.parse(r.text).hookSpecificOutput).toMatchObject({ permissionDecision: 'deny' });
    expect(r.text).toContain(`denied by 'deny shell.exec:\\"rm *\\"'`);
  });

  it('answers a payload it cannot read with a deny (an http hook has no blocking exit code)', async () => {
    const r = await post('{"tool_name": ');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text).hookSpecificOutput).toMatchObject({ permissionDecision: 'deny', permissionDecisionReason: 'AEX: invalid JSON in the request body' });
  });

  it('refuses requests without the bearer token, or with a wrong one', async () => {
    expect((await post(payload('Read', { file_path: path.join(project, 'x') }), {})).status).toBe(401);
    expect((await post(payload('Read', { file_path: path.join(project, 'x') }), { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await post(payload('Read', { file_path: path.join(project, 'x') }), { authorization: TOKEN })).status).toBe(401);
    expect(tokenMatches(TOKEN, TOKEN)).toBe(true);
    expect(tokenMatches(TOKEN, TOKEN.slice(0, -1))).toBe(false);
  });

  it('refuses a host it does not serve and other paths', async () => {
    expect((await post(payload('Read', {}), undefined, 'nope')).status).toBe(404);
    expect((await fetch(`${srv.url}/other`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });

  it('loads a policy once and reloads it when its file changes', async () => {
    const read = payload('Read', { file_path: path.join(project, 'a.txt') });
    await post(read);
    const loads = srv.policies.loads;
    await post(read);
    expect(srv.policies.loads).toBe(loads);
    writeFileSync(path.join(project, '.aex', 'policy.aex'), POLICY.replace('allow file.read:./**, ', 'deny file.read:./**\nallow '));
    const after = await post(read);
    expect(srv.policies.loads).toBe(loads + 1);
    expect(JSON.parse(after.text).hookSpecificOutput.permissionDecision).toBe('deny');
    writeFileSync(path.join(project, '.aex', 'policy.aex'), POLICY);
    expect(JSON.parse((await post(read)).text).hookSpecificOutput.permissionDecision).toBe('allow');
  });

  it('charges the same budget ledger as the gate', async () => {
    const body = payload('Bash', { command: 'git log' }, 'shared-ledger');
    await post(body);
    await runGate(parseGateArgs([]), body, base, env);
    await post(body);
    expect(callsSpent(projectStateDirectory(project, env), 'shared-ledger')).toBe(3);
  });
});

describe('aex gate --server (the thin client)', () => {
  const tokenFile = () => {
    const f = path.join(base, 'token');
    writeFileSync(f, TOKEN + '\n');
    return f;
  };

  it('prints what the server decided', async () => {
    const body = payload('Bash', { command: 'git status' });
    const out = await runGate(parseGateArgs(['--server', srv.url, '--token-file', tokenFile()]), body, base, env);
    expect(out.exitCode).toBe(0);
    expect(out.stdout).toBe((await runGate(parseGateArgs([]), body, base, env)).stdout);
  });

  it('blocks (exit 2) when the server is unreachable, refuses the token, or the payload is broken', async () => {
    const body = payload('Bash', { command: 'git status' });
    const down = await runGate(parseGateArgs(['--server', 'http://127.0.0.1:1']), body, base, env);
    expect(down).toMatchObject({ exitCode: 2, stdout: '' });
    expect(down.stderr).toMatch(/^aex gate: cannot reach aex serve/);
    const wrong = path.join(base, 'wrong-token');
    writeFileSync(wrong, 'nope');
    const refused = await runGate(parseGateArgs(['--server', srv.url, '--token-file', wrong]), body, base, env);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/HTTP 401/);
    const broken = await runGate(parseGateArgs(['--server', srv.url, '--token-file', tokenFile()]), '{', base, env);
    expect(broken).toMatchObject({ exitCode: 2, stderr: 'aex gate: invalid JSON on stdin\n' });
  });

  it('forwards the host project variable, so the root is the host project', async () => {
    const sub = path.join(project, 'sub');
    mkdirSync(path.join(sub, '.aex'), { recursive: true });
    // A policy planted in a subdirectory that would allow everything.
    writeFileSync(path.join(sub, '.aex', 'policy.aex'), 'policy planted v1\ngoal "x"\nallow *\n');
    const body = JSON.stringify({ session_id: 's9', cwd: sub, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'rm -rf x' } });
    const out = await runGate(parseGateArgs(['--server', srv.url, '--token-file', tokenFile()]), body, base, { ...env, CLAUDE_PROJECT_DIR: sub });
    expect(JSON.parse(out.stdout).hookSpecificOutput.permissionDecision).toBe('allow');
    const rooted = await runGate(parseGateArgs(['--server', srv.url, '--token-file', tokenFile()]), body, base, { ...env, CLAUDE_PROJECT_DIR: project });
    expect(JSON.parse(rooted.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    rmSync(sub, { recursive: true, force: true });
  });
});

describe('aex serve options and process', () => {
  it('listens on loopback only', () => {
    expect(parseListen('127.0.0.1:7345')).toEqual({ host: '127.0.0.1', port: 7345 });
    expect(() => parseListen('0.0.0.0:7345')).toThrow(/loopback/);
    expect(() => parseListen('127.0.0.1')).toThrow(/loopback/);
  });

  it('stops cleanly on SIGTERM (a real process)', async () => {
    const tokenFile = path.join(base, 'proc-token');
    const child = spawn(process.execPath, [BIN, 'serve', '--listen', '127.0.0.1:0', '--token-file', tokenFile], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += d;
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', () => reject(new Error(`aex serve exited early: ${out}${err}`)));
    });
    expect((await fetch(`${url}/health`)).status).toBe(200);
    const code = await new Promise<number | null>((resolve) => {
      child.on('exit', (c) => resolve(c));
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
    expect(out).toContain('aex serve: stopped');
  });
});
