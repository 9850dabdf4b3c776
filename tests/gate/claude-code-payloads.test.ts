// Claude Code payload table, in process: every tool of the client's table with a path inside
// and outside the project, malformed input and events the gate does not judge, each with the
// exact answer and exit code; then how `confirm` is answered in each kind of session, and
// what the audit records.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runGate } from '../../src/gate/bundle-entry.js';
import { parseGateArgs } from '../../src/gate/options.js';
import { toolEntry, toolNames } from '../../src/adapters/claude-code/tool-table.js';
import { capabilityFor } from '../../src/adapters/claude-code/mapping.js';
import { projectStateDirectory } from '../../src/runtime/state-dir.js';
import { callsSpent } from '../../src/runtime/state/budget.js';

let base: string;
let P: string;
let env: NodeJS.ProcessEnv;

const POLICY = [
  'policy table v1',
  'goal "payload table"',
  'allow file.read:./**, file.write:./**, shell.exec:"git *", network.fetch:example.org, agent.*, mcp.fs.read_*',
  'deny mcp.fs.delete_*, shell.exec:"rm *"',
  'confirm before shell.exec:"git tag *"',
  'budget calls=5',
  '',
].join('\n');

beforeAll(() => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-cc-payloads-')));
  P = path.join(base, 'project');
  mkdirSync(path.join(P, '.aex'), { recursive: true });
  mkdirSync(path.join(P, 'src'));
  writeFileSync(path.join(P, '.aex', 'policy.aex'), POLICY);
  env = { ...process.env, AEX_STATE_DIR: path.join(base, 'state'), CLAUDE_PROJECT_DIR: P };
  delete env.CLAUDE_CODE_ENTRYPOINT;
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

let n = 0;
function hook(tool_name: string, tool_input: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ session_id: `table-${++n}`, cwd: P, hook_event_name: 'PreToolUse', tool_name, tool_input, tool_use_id: `toolu_${n}`, permission_mode: 'default', ...extra });
}
const gate = (text: string, e: NodeJS.ProcessEnv = env, args: string[] = []) => runGate(parseGateArgs(args), text, base, e);
const decisionOf = (stdout: string) => (JSON.parse(stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } }).hookSpecificOutput;

/** An input for a tool of the table with its path/url/command fields pointing `where`. */
function inputFor(name: string, where: 'inside' | 'outside'): Record<string, unknown> {
  const e = toolEntry(name)!;
  const file = where === 'inside' ? path.join(P, 'src', 'a.ts') : '/etc/hostname';
  const input: Record<string, unknown> = {};
  for (const f of e.paths ?? []) input[f] = e.kind === 'search' ? path.dirname(file) : file;
  if (e.kind === 'search') input.pattern = 'x';
  if (e.shell !== undefined) input[e.shell] = where === 'inside' ? 'git status' : 'rm -rf /';
  if (e.url !== undefined) input[e.url] = where === 'inside' ? 'https://example.org/x' : 'https://evil.test/x';
  if (e.kind === 'mcp-resource') Object.assign(input, { server: 'fs', uri: 'file:///etc/passwd' });
  if (e.kind === 'other' && (e.paths ?? []).length === 0) input.files = [file];
  return input;
}

/** What the table policy decides for a tool of the table: allow or deny (Claude Code has no "not allowed"). */
function expected(name: string, where: 'inside' | 'outside'): 'allow' | 'deny' {
  const e = toolEntry(name)!;
  if (e.capability.startsWith('agent.')) return 'allow';
  if (e.kind === 'file' || e.kind === 'search') return where === 'inside' ? 'allow' : 'deny';
  if (e.kind === 'shell' || e.kind === 'url') return where === 'inside' ? 'allow' : 'deny';
  if (e.capability === 'file.read') return where === 'inside' ? 'allow' : 'deny';
  return 'deny';
}

describe('every tool of the Claude Code table', () => {
  const rows = toolNames().flatMap((name) => (['inside', 'outside'] as const).map((where) => ({ name, where })));
  it.each(rows)('$name with a path $where the project', async ({ name, where }) => {
    const out = await gate(hook(name, inputFor(name, where)));
    expect(out.exitCode, out.stderr).toBe(0);
    expect(out.stderr).toBe('');
    const d = decisionOf(out.stdout);
    expect(d.permissionDecision, d.permissionDecisionReason).toBe(expected(name, where));
    expect(d.permissionDecisionReason.startsWith('AEX: ')).toBe(true);
  });

  it('no tool of the table maps to unknown.*', () => {
    for (const name of toolNames()) expect(capabilityFor(name), name).not.toMatch(/^unknown\./);
  });

  it('aliases the client still accepts map like their tool', () => {
    expect(capabilityFor('Task')).toBe('agent.spawn');
    expect(capabilityFor('KillShell')).toBe('agent.task.stop');
    expect(capabilityFor('BashOutput')).toBe('agent.task.output');
  });

  it('an unknown tool is unknown.NAME and denied; MCP tools are mcp.S.T', async () => {
    expect(decisionOf((await gate(hook('FooBar', {}))).stdout).permissionDecision).toBe('deny');
    expect(decisionOf((await gate(hook('mcp__fs__read_file', { path: path.join(P, 'src', 'a.ts') }))).stdout).permissionDecision).toBe('allow');
    const del = decisionOf((await gate(hook('mcp__fs__delete_file', { path: path.join(P, 'src', 'a.ts') }))).stdout);
    expect(del.permissionDecision).toBe('deny');
    expect(del.permissionDecisionReason).toContain("denied by 'deny mcp.fs.delete_*'");
  });

  it('a prototype key is an ordinary tool name, not a table entry', async () => {
    expect(capabilityFor('constructor')).toBe('unknown.constructor');
    expect(capabilityFor('__proto__')).toBe('unknown.__proto__');
  });

  it('a protected file cannot be written, whatever the policy allows', async () => {
    for (const rel of ['.aex/policy.aex', '.claude/settings.json', '.git/config']) {
      const d = decisionOf((await gate(hook('Write', { file_path: path.join(P, rel), content: 'allow *' }))).stdout);
      expect(d.permissionDecision, rel).toBe('deny');
    }
  });
});

describe('malformed input and events the gate does not judge (exact answers)', () => {
  const cases: { name: string; text: string; stdout: string; stderr: string; exitCode: number }[] = [
    { name: 'empty stdin', text: '', stdout: '', stderr: 'aex gate: no input received on stdin\n', exitCode: 2 },
    { name: 'invalid JSON', text: '{"tool_name":', stdout: '', stderr: 'aex gate: invalid JSON on stdin\n', exitCode: 2 },
    { name: 'an array', text: '[]', stdout: '', stderr: 'aex gate: hook input must be a JSON object\n', exitCode: 2 },
    { name: 'no tool_name', text: '{"hook_event_name":"PreToolUse"}', stdout: '', stderr: 'aex gate: missing tool_name in input\n', exitCode: 2 },
    { name: 'tool_name not a string', text: '{"tool_name":5}', stdout: '', stderr: 'aex gate: tool_name must be a string\n', exitCode: 2 },
    { name: 'tool_input an array', text: '{"tool_name":"Read","tool_input":[]}', stdout: '', stderr: 'aex gate: tool_input must be a JSON object\n', exitCode: 2 },
    { name: 'hook_event_name not a string', text: '{"hook_event_name":1,"tool_name":"Read"}', stdout: '', stderr: 'aex gate: hook_event_name must be a string\n', exitCode: 2 },
    { name: 'session_id not a string', text: '{"tool_name":"Read","session_id":7}', stdout: '', stderr: 'aex gate: session_id must be a string\n', exitCode: 2 },
    { name: 'PostToolUse', text: '{"hook_event_name":"PostToolUse","tool_name":"Read"}', stdout: '', stderr: '', exitCode: 0 },
    { name: 'UserPromptSubmit', text: '{"hook_event_name":"UserPromptSubmit","prompt":"hi"}', stdout: '', stderr: '', exitCode: 0 },
    { name: 'SessionStart', text: '{"hook_event_name":"SessionStart"}', stdout: '', stderr: '', exitCode: 0 },
  ];
  it.each(cases)('$name', async ({ text, stdout, stderr, exitCode }) => {
    expect(await gate(text)).toEqual({ stdout, stderr, exitCode });
  });

  it('a cwd that does not exist blocks', async () => {
    const out = await gate(hook('Read', { file_path: 'a' }, { cwd: path.join(P, 'nope') }));
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^aex gate: cwd .* is not an existing directory\n$/);
  });

  it('a CLAUDE_PROJECT_DIR that does not exist blocks', async () => {
    const out = await gate(hook('Read', { file_path: 'a' }), { ...env, CLAUDE_PROJECT_DIR: path.join(base, 'gone') });
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/project directory .* is not an existing directory/);
  });

  it('an unknown host is refused with exit 2', async () => {
    expect(() => parseGateArgs(['--host', 'vim'])).toThrow(/unknown host "vim"/);
  });
});

describe('confirm before: how Claude Code is asked, by session', () => {
  const push = (extra: Record<string, unknown> = {}) => hook('Bash', { command: 'git tag v1' }, extra);
  const transcript = (blocks: string[]) => {
    const f = path.join(base, `transcript-${++n}.jsonl`);
    const content = blocks.map((id) => ({ type: 'tool_use', id, name: 'Bash', input: {} }));
    writeFileSync(f, [JSON.stringify({ type: 'user', message: { role: 'user', content: 'go' } }), JSON.stringify({ type: 'assistant', message: { id: `msg_${n}`, role: 'assistant', content } }), ''].join('\n'));
    return f;
  };

  it('interactive session in the default mode: ask', async () => {
    const d = decisionOf((await gate(push())).stdout);
    expect(d.permissionDecision).toBe('ask');
    expect(d.permissionDecisionReason).toBe(`AEX: confirmation required by 'confirm before shell.exec:"git tag *"' (.aex/policy.aex:5): git tag v1`);
  });

  it.each(['acceptEdits', 'bypassPermissions', 'dontAsk', 'auto'])('permission mode %s would accept an ask silently: deny, saying how to approve', async (mode) => {
    const d = decisionOf((await gate(push({ permission_mode: mode }))).stdout);
    expect(d.permissionDecision).toBe('deny');
    expect(d.permissionDecisionReason).toContain(`permission mode ${mode} accepts calls without asking`);
    expect(d.permissionDecisionReason).toContain('a person runs it in an interactive Claude Code session in the default permission mode');
  });

  it('claude -p with the only call of its turn: defer', async () => {
    const text = push({ tool_use_id: 'toolu_only', transcript_path: transcript(['toolu_only']) });
    const d = decisionOf((await gate(text, { ...env, CLAUDE_CODE_ENTRYPOINT: 'sdk-cli' })).stdout);
    expect(d.permissionDecision).toBe('defer');
  });

  it('claude -p with several calls in the turn, or no readable transcript: deny', async () => {
    const several = push({ tool_use_id: 'toolu_a', transcript_path: transcript(['toolu_a', 'toolu_b']) });
    expect(decisionOf((await gate(several, { ...env, CLAUDE_CODE_ENTRYPOINT: 'sdk-cli' })).stdout).permissionDecision).toBe('deny');
    const none = push({ tool_use_id: 'toolu_c', transcript_path: path.join(base, 'missing.jsonl') });
    const d = decisionOf((await gate(none, { ...env, CLAUDE_CODE_ENTRYPOINT: 'sdk-cli' })).stdout);
    expect(d.permissionDecision).toBe('deny');
    expect(d.permissionDecisionReason).toContain('non-interactive session');
  });

  it('a deny is never softened by the session: plain denials stay denials in every mode', async () => {
    for (const mode of ['default', 'acceptEdits', 'bypassPermissions']) {
      const d = decisionOf((await gate(hook('Bash', { command: 'rm -rf src' }, { permission_mode: mode }))).stdout);
      expect(d.permissionDecision).toBe('deny');
    }
  });
});

describe('audit and budget', () => {
  it('records tool_use_id, agent_id, agent_type and permission_mode', async () => {
    const text = JSON.stringify({ session_id: 'audited', cwd: P, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: path.join(P, 'src', 'a.ts') }, tool_use_id: 'toolu_x', agent_id: 'agent-7', agent_type: 'Explore', permission_mode: 'plan' });
    await gate(text);
    const file = path.join(projectStateDirectory(P, env), 'audit', 'gate-audited.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const allowed = lines.find((l) => l.event === 'tool.allowed')!;
    expect(allowed).toMatchObject({ tool_use_id: 'toolu_x', agent_id: 'agent-7', agent_type: 'Explore', permission_mode: 'plan', hook_tool: 'Read' });
  });

  it('a sub-agent (same session, its own agent_id) spends the session budget; confirmed calls are charged', async () => {
    const call = (agent: Record<string, unknown>, command = 'git status') =>
      gate(JSON.stringify({ session_id: 'with-subagent', cwd: P, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, permission_mode: 'default', ...agent }));
    await call({});
    await call({ agent_id: 'sub-1', agent_type: 'general-purpose' });
    await call({ agent_id: 'sub-1', agent_type: 'general-purpose' }, 'git tag v1');
    await call({});
    await call({ agent_id: 'sub-2', agent_type: 'Explore' });
    expect(callsSpent(projectStateDirectory(P, env), 'with-subagent')).toBe(5);
    const over = decisionOf((await call({ agent_id: 'sub-3' })).stdout);
    expect(over.permissionDecision).toBe('deny');
    expect(over.permissionDecisionReason).toMatch(/budget/i);
  });
});
