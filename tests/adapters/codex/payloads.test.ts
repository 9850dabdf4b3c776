// Codex CLI hook payloads → the exact answer and exit code (in-process gate core).

import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codexProtocol } from '../../../src/adapters/codex/protocol.js';
import { HOST_POLICY, scratchProject } from '../host-harness.js';

const p = scratchProject();
afterAll(() => p.cleanup());

const pre = (tool_name: string, tool_input: unknown, extra: Record<string, unknown> = {}) => ({
  session_id: 's-1',
  turn_id: 't-1',
  transcript_path: null,
  cwd: p.root,
  hook_event_name: 'PreToolUse',
  model: 'gpt-test',
  permission_mode: 'default',
  tool_name,
  tool_input,
  tool_use_id: 'call-1',
  ...extra,
});

const patch = (...body: string[]) => ['*** Begin Patch', ...body, '*** End Patch'].join('\n');

function denyReason(stdout: string): string {
  const o = JSON.parse(stdout) as { hookSpecificOutput: { hookEventName: string; permissionDecision: string; permissionDecisionReason: string } };
  expect(o.hookSpecificOutput.hookEventName).toBe('PreToolUse');
  expect(o.hookSpecificOutput.permissionDecision).toBe('deny');
  return o.hookSpecificOutput.permissionDecisionReason;
}

describe('Codex PreToolUse payloads', () => {
  const allowed: Array<[string, string, unknown]> = [
    ['a plain command line', 'Bash', { command: 'ls -la src' }],
    ['an argv array', 'Bash', { command: ['ls', '-la', 'src'] }],
    ['bash -lc around an allowed line', 'Bash', { command: ['bash', '-lc', 'echo hi && git status'] }],
    ['a patch inside the project', 'apply_patch', { command: patch('*** Add File: src/new.ts', '+x') }],
    ['an MCP read of an absolute path', 'mcp__fs__read_file', { path: `${p.root}/README.md` }],
    ['spawning a sub-agent (agent.spawn)', 'spawn_agent', { message: 'edit .aex/policy.aex', agent_type: 'worker' }],
    ['a sub-agent handed a file of the project', 'spawn_agent', { items: [{ type: 'local_image', path: 'src/shot.png' }, { type: 'text', text: 'look' }] }],
    ['a mention of a connector by URL', 'spawn_agent', { items: [{ type: 'mention', path: 'app://drive', name: 'Drive' }] }],
    ['waiting for a sub-agent (v1 namespace)', 'multi_agent_v1wait_agent', { targets: ['a-1'] }],
    ['messaging a sub-agent (v1)', 'multi_agent_v1send_input', { target: 'a-1', message: 'go on' }],
    ['closing a sub-agent (v1)', 'multi_agent_v1close_agent', { target: 'a-1' }],
    ['messaging a sub-agent (v2 namespace)', 'collaborationsend_message', { target: 'a-1', message: 'hi' }],
    ['listing sub-agents (v2)', 'collaborationlist_agents', {}],
  ];
  it.each(allowed)('allows %s with no output at all (Codex rejects an explicit allow)', async (_n, tool, input) => {
    const out = await p.run(codexProtocol, pre(tool, input));
    expect(out).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  const denied: Array<[string, string, unknown, RegExp]> = [
    ['a denied command', 'Bash', { command: 'rm -rf build' }, /rm/],
    ['a compound line with one denied part', 'Bash', { command: 'echo ok; rm -rf build' }, /rm/],
    ['a denied command in an argv array', 'Bash', { command: ['bash', '-lc', 'ls && rm x'] }, /rm/],
    ['a patch outside the project', 'apply_patch', { command: patch('*** Update File: ../elsewhere.ts', '-a', '+b') }, /file\.write/],
    ['a patch moving a file out of src', 'apply_patch', { command: patch('*** Update File: src/a.ts', '*** Move to: lib/a.ts', '-a', '+b') }, /file\.write/],
    ['a patch writing AEX\'s policy', 'apply_patch', { command: patch('*** Delete File: .aex/policy.aex') }, /protected/],
    ['a patch writing the Codex hooks', 'apply_patch', { command: patch('*** Add File: .codex/hooks.json', '+{}') }, /protected/],
    ['an unreadable patch', 'apply_patch', { command: '*** Begin Patch\nrm -rf /\n*** End Patch' }, /./],
    ['apply_patch run as a command', 'Bash', { command: `apply_patch <<'EOF'\n${patch('*** Add File: .aex/x', '+1')}\nEOF` }, /./],
    ['a denied MCP tool', 'mcp__fs__write_file', { path: 'src/a', content: 'x' }, /mcp\.fs\.write_file/],
    ['an unknown tool', 'view_image', { path: 'src/a.png' }, /unknown\.view_image/],
    ['an unknown tool in an agent namespace', 'multi_agent_v1delete_everything', {}, /unknown\.multi_agent_v1delete_everything/],
    ['a sub-agent handed a file outside the project', 'spawn_agent', { items: [{ type: 'local_image', path: '/etc/passwd' }] }, /file\.read/],
    ['a sub-agent handed a denied file as a skill', 'multi_agent_v1send_input', { target: 'a', items: [{ type: 'skill', path: 'secrets/key' }] }, /secrets/],
    ['an input item of a type AEX does not know, with a path', 'spawn_agent', { items: [{ type: 'file', path: '/etc/shadow' }] }, /file\.read/],
    ['a mention that is a local path, not a URL', 'spawn_agent', { items: [{ type: 'mention', path: '../../etc/passwd' }] }, /file\.read/],
    ['input items that are not a list', 'spawn_agent', { items: 'src/a.png' }, /file\.read/],
    ['a shell call without a command', 'Bash', {}, /./],
    ['an MCP path whose base is unknown', 'mcp__fs__read_file', { path: 'README.md' }, /absolute path/],
    ['bash -lc around a denied line', 'Bash', { command: ['/bin/bash', '-lc', 'echo a | rm b'] }, /rm/],
    ['a workdir outside the project', 'Bash', { command: 'cat x', workdir: '/etc' }, /./],
  ];
  it.each(denied)('denies %s with a reason the model sees', async (_n, tool, input, why) => {
    const out = await p.run(codexProtocol, pre(tool, input));
    expect(out.exitCode).toBe(0);
    expect(out.stderr).toBe('');
    const reason = denyReason(out.stdout);
    expect(reason).toMatch(/^AEX/);
    expect(reason).toMatch(why);
  });

  it('answers a confirm as a deny that says how a person approves', async () => {
    const out = await p.run(codexProtocol, pre('Bash', { command: 'echo confirm this' }));
    const reason = denyReason(out.stdout);
    expect(reason).toMatch(/confirm/i);
    expect(reason).toMatch(/aex grant/);
  });

  it('a sub-agent spends the session budget: its payloads carry the parent session_id and its own agent_id', async () => {
    const b = scratchProject(HOST_POLICY + 'budget calls=2\n');
    try {
      const parent = pre('Bash', { command: 'echo parent' }, { session_id: 'root-1', cwd: b.root });
      const child = (command: string) => pre('Bash', { command }, { session_id: 'root-1', cwd: b.root, agent_id: 'thread-2', agent_type: 'worker', turn_id: 't-2' });
      expect((await b.run(codexProtocol, parent)).stdout).toBe('');
      expect((await b.run(codexProtocol, child('echo child one'))).stdout).toBe('');
      const over = await b.run(codexProtocol, child('echo child two'));
      expect(denyReason(over.stdout)).toMatch(/^AEX: .*budget exhausted \(2 calls\)/);
      // Another session has its own budget.
      expect((await b.run(codexProtocol, pre('Bash', { command: 'echo other' }, { session_id: 'root-2', cwd: b.root }))).stdout).toBe('');
    } finally {
      b.cleanup();
    }
  });

  it('judges against the project, not the subdirectory the agent is in', async () => {
    const out = await p.run(codexProtocol, pre('Bash', { command: 'rm x' }, { cwd: path.join(p.root, 'src') }));
    expect(denyReason(out.stdout)).toMatch(/rm/);
  });

  it('lets other events through untouched', async () => {
    expect(await p.run(codexProtocol, { hook_event_name: 'SessionStart', session_id: 's', cwd: p.root })).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  const malformed: Array<[string, unknown]> = [
    ['not an object', [1, 2]],
    ['no event name', { tool_name: 'Bash', tool_input: { command: 'ls' } }],
    ['no tool name', pre('', { command: 'ls' })],
    ['tool_input not an object', pre('Bash', 'ls')],
    ['a relative cwd', pre('Bash', { command: 'ls' }, { cwd: 'src' })],
    ['a cwd that does not exist', pre('Bash', { command: 'ls' }, { cwd: '/nonexistent/x' })],
    ['a session id that is not a string', pre('Bash', { command: 'ls' }, { session_id: 7 })],
  ];
  it.each(malformed)('blocks malformed input (%s) with exit 2 and a reason on stderr', async (_n, payload) => {
    const out = await p.run(codexProtocol, payload);
    expect(out.exitCode).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^AEX: \S/);
  });
});
