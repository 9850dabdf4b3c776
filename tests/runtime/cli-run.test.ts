// `aex run` end to end: the built CLI (run `npm run build` first; `npm test` does), spawned for
// the first case, the signal cases and the loopback services, in-process for the others
// (tests/helpers/in-process-cli.ts), with the same minimal environment.
import { describe, expect, it, vi } from 'vitest';

// These tests spawn processes; under a loaded machine they need more than the default 5 s.
vi.setConfig({ testTimeout: 60_000 });
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { aexInProcess } from '../helpers/in-process-cli.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin', 'aex.js');
const fixtures = path.join(root, 'tests', 'runtime', 'fixtures');

function aex(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same command line in this process, with the same environment (PATH and HOME only, and `env`). */
function aexHere(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return aexInProcess(args, { cwd, exactEnv: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
}

function workdir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aex-cli-run-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const auditLines = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { event: string; seq: number; [k: string]: unknown });

const READ = `task read_one v0
goal "Read one file."
use file.read
need p: file

do file.read(paths=[p]) -> r
return {contents: r}
`;

describe('aex run', () => {
  it('stdout carries only the pretty output; events go to stderr; exit 0 (spawned)', () => {
    const dir = workdir({ 't.aex': READ, 'a.txt': 'hello' });
    const r = aex(['run', 't.aex', '--input', 'p=a.txt'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(JSON.stringify({ contents: { 'a.txt': 'hello' } }, null, 2) + '\n');
    expect(r.stderr).toMatch(/^run\.started {6}\{/m);
    expect(r.stderr).toMatch(/^run\.finished {5}\{"status":"success"\}/m);
  });

  it('--json prints the whole RunResult; --log-json makes stderr JSON Lines', async () => {
    const dir = workdir({ 't.aex': READ, 'a.txt': 'x', 'in.json': JSON.stringify({ p: 'a.txt', extra: 1 }) });
    const r = await aexHere(['run', 't.aex', '--inputs', 'in.json', '--json', '--log-json'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ status: 'success', issues: [], reasons: [], output: { contents: { 'a.txt': 'x' } } });
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.map((l) => (JSON.parse(l) as { event: string }).event)).toEqual(['run.started', 'tool.allowed', 'tool.result', 'run.finished']);
  });

  it('a blocked run exits 1 with nothing on stdout and the issues on stderr', async () => {
    const dir = workdir({ 't.aex': READ });
    const r = await aexHere(['run', 't.aex', '--input', 'p=missing.txt', '--audit', 'a.jsonl'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('error runtime blocked: AEX055: Tool "file.read" failed');
    expect(auditLines(path.join(dir, 'a.jsonl')).at(-1)).toMatchObject({ event: 'run.finished', status: 'blocked', code: 'AEX055' });
  });

  it('the audit file is complete and parseable after a host tool throws', async () => {
    const contract = `task boom v0
goal "A tool throws."
use ok, boom

do ok(a=1) -> first
do boom(b=2)
return first
`;
    const dir = workdir({ 't.aex': contract });
    const r = await aexHere(['run', 't.aex', '--tools', path.join(fixtures, 'throwing-tools.mjs'), '--audit', 'audit.jsonl'], dir);
    expect(r.code).toBe(1);
    const raw = readFileSync(path.join(dir, 'audit.jsonl'), 'utf8');
    expect(raw.endsWith('\n')).toBe(true);
    const events = auditLines(path.join(dir, 'audit.jsonl'));
    expect(events.map((e) => e.event)).toEqual(['run.started', 'tool.allowed', 'tool.result', 'tool.allowed', 'tool.failed', 'run.finished']);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events[4]).toMatchObject({ tool: 'boom', error: 'kaboom', line: 6 });
    expect(r.stderr).toContain('audit Log written to audit.jsonl');
  });

  it('an invalid contract is rejected with run.rejected in the audit and exit 1', async () => {
    const dir = workdir({ 't.aex': 'task bad v0\ngoal "x"\nuse file.read\n\ndo nope.tool()\nreturn 1\n' });
    const r = await aexHere(['run', 't.aex', '--audit', 'a.jsonl'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    const events = auditLines(path.join(dir, 'a.jsonl'));
    expect(events.map((e) => e.event)).toEqual(['run.rejected']);
    expect((events[0]!.issues as string[])[0]).toMatch(/^AEX010: line 5: /);
  });

  it('missing inputs: input.missing then run.rejected; --input values parse as JSON when they can', async () => {
    const contract = `task inputs v0
goal "Echo inputs."
need n: int
need s: str
need l: list[str]

return {n: n, s: s, l: l}
`;
    const dir = workdir({ 't.aex': contract, 'arr.json': '[1]' });
    // "007" is not JSON, so it stays the string "007"; 5 and ["a"] parse.
    const ok = await aexHere(['run', 't.aex', '--input', 'n=5', '--input', 's=007', '--input', 'l=["a"]'], dir);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ n: 5, s: '007', l: ['a'] });
    const wrongType = await aexHere(['run', 't.aex', '--input', 'n=5', '--input', 's=12', '--input', 'l=["a"]'], dir);
    expect(wrongType.code).toBe(1);
    expect(wrongType.stderr).toContain('AEX031: Input "s" expected str, got number.');
    const missing = await aexHere(['run', 't.aex', '--input', 'n=5', '--audit', 'm.jsonl'], dir);
    expect(missing.code).toBe(1);
    expect(auditLines(path.join(dir, 'm.jsonl')).map((e) => e.event)).toEqual(['input.missing', 'input.missing', 'run.rejected']);
    const notObject = await aexHere(['run', 't.aex', '--inputs', 'arr.json'], dir);
    expect(notObject.code).toBe(1);
    expect(notObject.stderr).toContain('error Inputs JSON must be an object.');
  });

  it('a confirmation with no TTY and no --auto-confirm is refused; --auto-confirm approves', async () => {
    const contract = `task write_one v0
goal "Write a file."
use file.write
confirm before file.write

do file.write(path="out.txt", contents="hi") -> w
return w
`;
    const dir = workdir({ 't.aex': contract });
    const refused = await aexHere(['run', 't.aex', '--audit', 'a.jsonl'], dir);
    expect(refused.code).toBe(1);
    expect(auditLines(path.join(dir, 'a.jsonl')).slice(-2).map((e) => [e.event, e.reason])).toEqual([
      ['confirm.denied', 'no_handler'],
      ['run.finished', "confirmation required by 'confirm before file.write' (t.aex:4): out.txt; nobody was asked (no confirmation handler), so the call is refused"],
    ]);
    expect(existsSync(path.join(dir, 'out.txt'))).toBe(false);
    const approved = await aexHere(['run', 't.aex', '--auto-confirm'], dir);
    expect(approved.code).toBe(0);
    expect(readFileSync(path.join(dir, 'out.txt'), 'utf8')).toBe('hi');
  });

  it('a policy with an error diagnostic stops the run before anything happens', async () => {
    const dir = workdir({ 't.aex': READ, 'a.txt': 'x', '.aex/policy.aex': 'policy p v0\ngoal "x"\nalow file.read\n' });
    const r = await aexHere(['run', 't.aex', '--input', 'p=a.txt', '--audit', 'a.jsonl'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/error Policy .*policy\.aex cannot be used/);
    const events = auditLines(path.join(dir, 'a.jsonl'));
    expect(events.map((e) => e.event)).toEqual(['run.rejected']);
    expect((events[0]!.issues as string[])[0]).toMatch(/^Policy .*policy\.aex cannot be used/);
  });

  it('a discovered policy applies (zero allow rules permit nothing)', async () => {
    const dir = workdir({ 't.aex': READ, 'a.txt': 'x', 'p.json': JSON.stringify({ allow: [] }) });
    const r = await aexHere(['run', 't.aex', '--input', 'p=a.txt', '--policy', 'p.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('AEX050: no rule allows file.read "a.txt" under policy p (p.json)');
  });

  it('model setup errors are clear and come before anything runs', async () => {
    const contract = `task drafty v0
goal "Draft."
need topic: str

make d: text from topic with:
  - write
return d
`;
    const dir = workdir({ 't.aex': contract });
    const noKey = await aexHere(['run', 't.aex', '--input', 'topic=x', '--model', 'openai', '--audit', 'a.jsonl'], dir);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('error OPENAI_API_KEY is not set. Required for --model openai.');
    expect(auditLines(path.join(dir, 'a.jsonl'))).toMatchObject([{ event: 'run.rejected', issues: ['OPENAI_API_KEY is not set. Required for --model openai.'] }]);
    const noPkg = await aexHere(['run', 't.aex', '--input', 'topic=x', '--model', 'anthropic:claude-x'], dir, { ANTHROPIC_API_KEY: 'k' });
    expect(noPkg.stderr).toContain('npm install @langchain/anthropic');
    const none = await aexHere(['run', 't.aex', '--input', 'topic=x', '--json'], dir);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stdout).reasons[0]).toMatchObject({ code: 'AEX056', line: 5 });
    const chat = await aexHere(['run', 't.aex', '--input', 'topic=x', '--model-handler', path.join(fixtures, 'fake-chat-model.mjs')], dir);
    expect(chat.code).toBe(0);
    expect(JSON.parse(JSON.parse(chat.stdout) as string)[1].content).toContain('### topic');
  });

  it('--mcp-config exposes server tools as mcp.S.T, with S.T as an alias that policies and contracts may still name', async () => {
    const contract = (use: string, call: string) => `task mcp v0
goal "Call an MCP tool."
use ${use}

do ${call}(text="hi") -> r
return r
`;
    const config = JSON.stringify({ mcpServers: { fx: { command: process.execPath, args: [path.join(fixtures, 'mcp-echo-server.mjs')] } } });
    for (const [use, call] of [
      ['fx.echo', 'fx.echo'],
      ['mcp.fx.echo', 'mcp.fx.echo'],
    ] as const) {
      const dir = workdir({ 't.aex': contract(use, call) });
      writeFileSync(path.join(dir, 'mcp.json'), config);
      const r = await aexHere(['run', 't.aex', '--mcp-config', 'mcp.json', '--audit', 'a.jsonl'], dir);
      expect(r.stderr, `${use} / ${call}`).not.toContain('error');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ echoed: 'hi' });
      // One name in the audit, whichever spelling the contract used (docs/mcp.md).
      expect(auditLines(path.join(dir, 'a.jsonl')).find((e) => e.event === 'tool.allowed')).toMatchObject({ tool: 'mcp.fx.echo', rule: `use ${use}` });
    }
  });

  it('--mcp-config: a policy deny on the alias S.T refuses the call under its one name', async () => {
    const dir = workdir({
      't.aex': 'task mcp v0\ngoal "Call an MCP tool."\nuse mcp.fx.*\n\ndo mcp.fx.echo(text="hi") -> r\nreturn r\n',
      'p.aex': 'policy p v0\ngoal "No echo."\nallow *\ndeny fx.echo\n',
    });
    writeFileSync(path.join(dir, 'mcp.json'), JSON.stringify({ mcpServers: { fx: { command: process.execPath, args: [path.join(fixtures, 'mcp-echo-server.mjs')] } } }));
    const r = await aexHere(['run', 't.aex', '--mcp-config', 'mcp.json', '--policy', 'p.aex'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("AEX051: denied by 'deny fx.echo' (p.aex:4): mcp.fx.echo");
  });

  it('bad flags are one-line errors', async () => {
    const dir = workdir({ 't.aex': READ });
    expect((await aexHere(['run', 'nope.aex'], dir)).stderr).toBe('error File not found: nope.aex\n');
    expect((await aexHere(['run', 't.aex', '--backend', 'other'], dir)).stderr).toBe('error Unknown backend "other". Use native or langgraph.\n');
    expect((await aexHere(['run', 't.aex', '--input', 'novalue'], dir)).stderr).toBe('error --input expects NAME=VALUE, got "novalue".\n');
  });
});

describe('aex run killed mid-run', () => {
  it('a SIGKILL between events leaves a complete, parseable audit file', async () => {
    const { spawn } = await import('node:child_process');
    const contract = `task hang v0
goal "Hang in a tool."
use quick, hang

do quick(a=1)
do quick(a=2)
do hang(b=1)
return 1
`;
    const dir = workdir({ 't.aex': contract });
    const audit = path.join(dir, 'audit.jsonl');
    const child = spawn(process.execPath, [bin, 'run', 't.aex', '--tools', path.join(fixtures, 'hanging-tools.mjs'), '--audit', 'audit.jsonl'], {
      cwd: dir,
      stdio: 'ignore',
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const text = existsSync(audit) ? readFileSync(audit, 'utf8') : '';
      if (text.includes('"tool":"hang"')) break;
      if (Date.now() > deadline) throw new Error('the run never reached the hanging tool');
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const raw = readFileSync(audit, 'utf8');
    expect(raw.endsWith('\n')).toBe(true);
    const events = auditLines(audit);
    expect(events.map((e) => e.event)).toEqual(['run.started', 'tool.allowed', 'tool.result', 'tool.allowed', 'tool.result', 'tool.allowed']);
    expect(events.at(-1)).toMatchObject({ tool: 'hang', args: { b: 1 }, line: 7 });
  }, 40_000);
});

describe('aex run with loopback services', () => {
  async function aexAsync(args: string[], cwd: string) {
    const { spawn } = await import('node:child_process');
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [bin, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c) => (stdout += String(c)));
      child.stderr.on('data', (c) => (stderr += String(c)));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('--registry tools and --otlp log export (the OpenTelemetry SDK), both on 127.0.0.1', async () => {
    const { createServer } = await import('node:http');
    const traces: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += String(c)));
      req.on('end', () => {
        const port = (server.address() as { port: number }).port;
        if (req.method === 'GET' && req.url === '/registry') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ tools: { 'remote.add': { url: `http://127.0.0.1:${port}/add`, sideEffect: 'none' } } }));
        } else if (req.method === 'POST' && req.url === '/add') {
          const a = JSON.parse(body) as { x: number; y: number };
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ sum: a.x + a.y }));
        } else if (req.method === 'POST' && req.url === '/v1/logs') {
          traces.push(JSON.parse(body));
          res.writeHead(200).end('{}');
        } else res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const dir = workdir({ 't.aex': 'task remote v0\ngoal "x"\nuse remote.add\n\ndo remote.add(x=2, y=3) -> r\nreturn r.sum\n' });
      const r = await aexAsync(['run', 't.aex', '--registry', `http://127.0.0.1:${port}/registry`, '--otlp', `http://127.0.0.1:${port}`], dir);
      expect(r.stderr).toContain(`✔ Audit exported to http://127.0.0.1:${port}`);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('5\n');
      expect(traces).toHaveLength(1);
      const records = (traces[0] as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: Array<{ eventName: string }> }> }> }).resourceLogs[0]!.scopeLogs[0]!.logRecords;
      expect(records.map((s) => s.eventName)).toEqual(['run.started', 'tool.allowed', 'tool.result', 'run.finished']);
    } finally {
      server.close();
    }
  }, 30_000);
});

describe('aex run stopped by a signal', () => {
  it('SIGTERM during a tool still ends the audit with run.finished', async () => {
    const { spawn } = await import('node:child_process');
    const dir = workdir({ 't.aex': 'task hang v0\ngoal "x"\nuse hang\n\ndo hang(b=1)\nreturn 1\n' });
    const audit = path.join(dir, 'audit.jsonl');
    const child = spawn(process.execPath, [bin, 'run', 't.aex', '--tools', path.join(fixtures, 'hanging-tools.mjs'), '--audit', 'audit.jsonl'], {
      cwd: dir,
      stdio: 'ignore',
    });
    const deadline = Date.now() + 30_000;
    while (!(existsSync(audit) && readFileSync(audit, 'utf8').includes('"tool":"hang"'))) {
      if (Date.now() > deadline) throw new Error('the run never reached the hanging tool');
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGTERM');
    const code = await new Promise((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(143);
    expect(auditLines(audit).map((e) => e.event)).toEqual(['run.started', 'tool.allowed', 'run.finished']);
    expect(auditLines(audit).at(-1)).toMatchObject({ status: 'blocked', reason: 'Interrupted by SIGTERM' });
  }, 40_000);
});
