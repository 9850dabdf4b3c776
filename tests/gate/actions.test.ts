// aex gate under AEX 2, with real processes and real Claude Code payloads: a Bash line is
// judged per simple command, every decision names its rule in the refusal and the audit,
// the project root comes from the host (never the agent's cwd), AEX's own state cannot be
// written, and MCP relative paths are judged against the server's bases from .mcp.json.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gate, gateEnv, gateState, STATE_DIR, type Run } from './helpers.js';

let P: string;
const POLICY = [
  'policy workspace v1',
  'goal "git status, reads and writes in the project; no deletion."',
  'allow shell.exec:"git status", shell.exec:"git commit *", file.read:./**, file.write:./**, mcp.fs.read_file:./**',
  'deny shell.exec:"rm -rf *", file.read:secrets/**, mcp.fs.read_file:data/secrets/**',
  'confirm before shell.exec:"git commit *"',
  '',
].join('\n');

beforeAll(() => {
  P = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-gate-actions-')));
  mkdirSync(path.join(P, '.aex'));
  mkdirSync(path.join(P, 'secrets'));
  mkdirSync(path.join(P, 'data', 'secrets'), { recursive: true });
  mkdirSync(path.join(P, 'sub', '.aex'), { recursive: true });
  writeFileSync(path.join(P, '.aex', 'policy.aex'), POLICY);
  // A policy planted in a subdirectory that would allow everything: it must never win.
  writeFileSync(path.join(P, 'sub', '.aex', 'policy.aex'), 'policy planted v1\ngoal "Everything."\nallow *\n');
  writeFileSync(path.join(P, '.mcp.json'), JSON.stringify({ mcpServers: { fs: { command: 'npx', args: ['-y', 'server-filesystem', 'data'] } } }));
});
afterAll(() => rmSync(P, { recursive: true, force: true }));

function payload(toolName: string, toolInput: Record<string, unknown>, session: string, cwd = P): string {
  return JSON.stringify({
    session_id: session,
    transcript_path: '/dev/null',
    cwd,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: toolName,
    tool_input: toolInput,
    tool_use_id: `toolu_${session}`,
  });
}

function answer(r: Run): { decision: string; reason: string } {
  expect(r.code, r.stderr).toBe(0);
  const o = JSON.parse(r.stdout).hookSpecificOutput;
  return { decision: o.permissionDecision, reason: o.permissionDecisionReason };
}

const hostEnv = () => gateEnv({ CLAUDE_PROJECT_DIR: P });
const auditOf = (session: string) => readFileSync(gateState(P).audit(session), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('a Bash line is judged per simple command', () => {
  it('"git status" is allowed by its pattern; "git status; rm -rf /" is refused by the deny rule', async () => {
    expect(answer(await gate(payload('Bash', { command: 'git status' }, 'sh-1'), [], P, 20_000, hostEnv()))).toEqual({
      decision: 'allow',
      reason: 'AEX: shell.exec allowed by policy "workspace" (.aex/policy.aex).',
    });
    expect(answer(await gate(payload('Bash', { command: 'git status; rm -rf /' }, 'sh-2'), [], P, 20_000, hostEnv()))).toEqual({
      decision: 'deny',
      reason: `AEX: denied by 'deny shell.exec:"rm -rf *"' (.aex/policy.aex:4): rm -rf /`,
    });
    const denied = auditOf('sh-2');
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({
      event: 'tool.denied',
      tool: 'shell.exec',
      reason: 'denied',
      rule: 'deny shell.exec:"rm -rf *"',
      source: '.aex/policy.aex:4',
      layer: 'policy',
      action: { cap: 'shell.exec', command: 'rm -rf /' },
      hook_tool: 'Bash',
      tool_use_id: 'toolu_sh-2',
      permission_mode: 'default',
    });
  });

  it('the other spellings of a compound line are refused too', async () => {
    const lines = ['git status && rm -rf /', 'git status || rm -rf /', 'git status\nrm -rf /', 'git status | rm -rf /', 'echo $(rm -rf /)', 'git status; sh -c "rm -rf /"', 'sudo rm -rf /'];
    for (const line of lines) {
      const a = answer(await gate(payload('Bash', { command: line }, 'sh-many'), [], P, 20_000, hostEnv()));
      expect(a.decision, line).toBe('deny');
    }
  });

  it('a compound line of allowed commands is one allow whose audit names every action', async () => {
    expect(answer(await gate(payload('Bash', { command: 'git status && git status' }, 'sh-3'), [], P, 20_000, hostEnv())).decision).toBe('allow');
    const [allowed] = auditOf('sh-3');
    expect(allowed).toMatchObject({ event: 'tool.allowed', tool: 'shell.exec', hook_tool: 'Bash' });
    expect(allowed!.actions).toEqual([
      { rule: 'allow shell.exec:"git status"', source: '.aex/policy.aex:3', layer: 'policy', action: { cap: 'shell.exec', command: 'git status' } },
      { rule: 'allow shell.exec:"git status"', source: '.aex/policy.aex:3', layer: 'policy', action: { cap: 'shell.exec', command: 'git status' } },
    ]);
  });

  it('a confirm pattern asks, naming the rule and the command; an ask costs nothing and logs no allow', async () => {
    expect(answer(await gate(payload('Bash', { command: 'git status && git commit -m wip' }, 'sh-4'), [], P, 20_000, hostEnv()))).toEqual({
      decision: 'ask',
      reason: `AEX: confirmation required by 'confirm before shell.exec:"git commit *"' (.aex/policy.aex:5): git commit -m wip`,
    });
    expect(auditOf('sh-4').map((e) => e.event)).toEqual(['confirm.required']);
    // Not listed at all: no rule allows it, whatever the confirm rules say.
    expect(answer(await gate(payload('Bash', { command: 'git status && git pull' }, 'sh-4'), [], P, 20_000, hostEnv()))).toEqual({
      decision: 'deny',
      reason: 'AEX: no rule allows shell.exec "git pull" under policy workspace (.aex/policy.aex)',
    });
  });
});

describe('the project root is the host\'s, never the agent\'s cwd (docs/design.md#the-project-root-of-a-host-session)', () => {
  it('CLAUDE_PROJECT_DIR wins over a policy planted in the cwd', async () => {
    const a = answer(await gate(payload('Bash', { command: 'rm -rf /' }, 'root-1', path.join(P, 'sub')), [], path.join(P, 'sub'), 20_000, hostEnv()));
    expect(a.decision).toBe('deny');
    expect(a.reason).toMatch(/^AEX: denied by 'deny shell\.exec:"rm -rf \*"' \(\.aex\/policy\.aex:4\)/);
  });

  it('without it, the outermost folder holding a policy is the root', async () => {
    const a = answer(await gate(payload('Bash', { command: 'rm -rf /' }, 'root-2', path.join(P, 'sub')), [], path.join(P, 'sub')));
    expect(a.decision).toBe('deny');
  });

  it('relative paths still start at the hook\'s cwd', async () => {
    mkdirSync(path.join(P, 'sub', 'secrets'), { recursive: true });
    // sub/secrets/k is not under the root's secrets/**: allowed by file.read:./**.
    expect(answer(await gate(payload('Read', { file_path: 'secrets/k' }, 'root-3', path.join(P, 'sub')), [], P, 20_000, hostEnv())).decision).toBe('allow');
    expect(answer(await gate(payload('Read', { file_path: '../secrets/k' }, 'root-3', path.join(P, 'sub')), [], P, 20_000, hostEnv())).decision).toBe('deny');
  });
});

describe('AEX protects its own state (docs/design.md#protected-state)', () => {
  it('no write to the policy, the hook configuration or the state folder, whatever file.write:./** says', async () => {
    for (const file of [path.join(P, '.aex', 'policy.aex'), path.join(P, '.claude', 'settings.json'), path.join(P, '.mcp.json'), path.join(P, '.git', 'hooks', 'pre-commit')]) {
      const a = answer(await gate(payload('Write', { file_path: file, content: 'allow *' }, 'prot'), [], P, 20_000, hostEnv()));
      expect(a.decision, file).toBe('deny');
      expect(a.reason).toMatch(/protected state/);
    }
    const viaShell = answer(await gate(payload('Bash', { command: 'git status > .aex/policy.aex' }, 'prot'), [], P, 20_000, hostEnv()));
    expect(viaShell.decision).toBe('deny');
    const stateFile = path.join(STATE_DIR, 'projects', 'x', 'gate-budget', 'y.json');
    expect(answer(await gate(payload('Write', { file_path: stateFile, content: '{}' }, 'prot'), [], P, 20_000, hostEnv())).decision).toBe('deny');
    expect(auditOf('prot').every((e) => e.reason === 'protected' || e.event !== 'tool.denied')).toBe(true);
  });

  it('budget and audit are written outside the project', () => {
    expect(existsSync(path.join(P, '.aex', 'audit'))).toBe(false);
    expect(existsSync(path.join(P, '.aex', 'gate-budget'))).toBe(false);
    expect(existsSync(gateState(P).audit('sh-1'))).toBe(true);
  });
});

describe('mcp__S__T: relative paths against the server\'s bases from .mcp.json (docs/paths.md)', () => {
  it('a relative path may resolve inside data/ (the server\'s argument): a deny under data/ applies', async () => {
    const a = answer(await gate(payload('mcp__fs__read_file', { path: 'secrets/k' }, 'mcp-1'), [], P, 20_000, hostEnv()));
    expect(a.decision).toBe('deny');
    expect(a.reason).toMatch(/^AEX: denied by 'deny (mcp\.fs\.read_file:data\/secrets\/\*\*|file\.read:secrets\/\*\*)'/);
    expect(answer(await gate(payload('mcp__fs__read_file', { path: 'notes.txt' }, 'mcp-1'), [], P, 20_000, hostEnv())).decision).toBe('allow');
  });

  it('a server without a .mcp.json entry has no known base: the refusal asks for an absolute path', async () => {
    writeFileSync(path.join(P, '.aex', 'policy.aex'), POLICY.replace('mcp.fs.read_file:./**', 'mcp.fs.read_file:./**, mcp.other.read_file:./**'));
    const a = answer(await gate(payload('mcp__other__read_file', { path: 'notes.txt' }, 'mcp-2'), [], P, 20_000, hostEnv()));
    expect(a.decision).toBe('deny');
    expect(a.reason).toMatch(/use an absolute path/);
    expect(answer(await gate(payload('mcp__other__read_file', { path: path.join(P, 'notes.txt') }, 'mcp-2'), [], P, 20_000, hostEnv())).decision).toBe('allow');
    writeFileSync(path.join(P, '.aex', 'policy.aex'), POLICY);
  });
});
