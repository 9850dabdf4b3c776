// Grants at the gate (docs/grants.md): the hook honours a live grant through the kernel —
// a Bash call a grant names runs, the same call with more words does not, a session grant
// holds only in its session, a revoked or expired grant is gone — and each use is in the
// session's audit with the grant's id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runHostGate, parseGateArgs } from '../../src/gate/main.js';
import { claudeCodeProtocol } from '../../src/adapters/claude-code/protocol.js';
import { createGrant, revokeGrant } from '../../src/grants/store.js';
import { projectStateDirectory } from '../../src/runtime/state-dir.js';

let root: string;
let state: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  root = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-gate-grants-')));
  state = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-gate-grants-state-')));
  mkdirSync(path.join(root, '.aex'));
  writeFileSync(path.join(root, '.aex', 'policy.aex'), 'policy p v0\ngoal "g"\n\nallow shell.exec:"git status", shell.exec:"make *"\nconfirm before shell.exec:"make deploy *"\ndeny shell.exec:"rm -rf *"\n');
  env = { ...process.env, AEX_STATE_DIR: state };
  delete env.CLAUDE_PROJECT_DIR;
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(state, { recursive: true, force: true });
});

async function bash(command: string, session = 's1') {
  const payload = JSON.stringify({ hook_event_name: 'PreToolUse', session_id: session, cwd: root, tool_name: 'Bash', tool_input: { command } });
  const out = await runHostGate(claudeCodeProtocol, parseGateArgs([]), payload, root, env);
  const decision = JSON.parse(out.stdout || '{}').hookSpecificOutput?.permissionDecision as string | undefined;
  return { decision, out };
}

const auditLines = (session: string) =>
  readFileSync(path.join(projectStateDirectory(root, env), 'audit', `gate-${session}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the gate honours grants', () => {
  it('a grant allows exactly its command, and the audit names it', async () => {
    expect((await bash('npm test')).decision).toBe('deny');
    const g = createGrant(root, 'shell.exec:"npm test"', { env });
    expect((await bash('npm test')).decision).toBe('allow');
    expect((await bash('npm test --coverage')).decision).toBe('deny');
    expect((await bash('npm test; rm -rf /')).decision).toBe('deny');
    const used = auditLines('s1').filter((e) => e.event === 'grant.used');
    expect(used).toHaveLength(1);
    expect(used[0]).toMatchObject({ grant: g.id, rule: 'shell.exec:"npm test"', hook_tool: 'Bash' });
    expect(auditLines('s1').find((e) => e.event === 'tool.allowed' && e.grant === g.id)).toBeDefined();
    revokeGrant(root, g.id, { env });
    expect((await bash('npm test')).decision).toBe('deny');
  });

  it('a session grant holds in its session only', async () => {
    createGrant(root, 'shell.exec:"npm run lint"', { env, session: 'mine' });
    expect((await bash('npm run lint', 'mine')).decision).toBe('allow');
    expect((await bash('npm run lint', 'other')).decision).toBe('deny');
  });

  it('a grant answers a confirmation in advance, for that exact call', async () => {
    expect((await bash('make deploy prod', 's2')).decision).toBe('ask');
    createGrant(root, 'shell.exec:"make deploy prod"', { env });
    expect((await bash('make deploy prod', 's2')).decision).toBe('allow');
    expect((await bash('make deploy staging', 's2')).decision).toBe('ask');
  });

  it('an expired grant is ignored', async () => {
    createGrant(root, 'shell.exec:"npm run old"', { env, now: Date.now() - 60_000, forMs: 1000 });
    expect((await bash('npm run old')).decision).toBe('deny');
  });

  it('a grant of a denied command does nothing', async () => {
    createGrant(root, 'shell.exec:"rm -rf build"', { env });
    expect((await bash('rm -rf build')).decision).toBe('deny');
  });

  it('the agent cannot write a grant: the state folder is protected', async () => {
    const file = path.join(projectStateDirectory(root, env), 'grants', 'g-00000000000000ff.json');
    const payload = JSON.stringify({ hook_event_name: 'PreToolUse', session_id: 's1', cwd: root, tool_name: 'Write', tool_input: { file_path: file, content: '{}' } });
    const out = await runHostGate(claudeCodeProtocol, parseGateArgs([]), payload, root, env);
    expect(JSON.parse(out.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    expect((await bash(`echo {} > ${file}`)).decision).toBe('deny');
  });
});
