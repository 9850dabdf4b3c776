// Cursor hook payloads → the exact answer and exit code (in-process gate core).

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cursorProtocol } from '../../../src/adapters/cursor/protocol.js';
import { scratchProject } from '../host-harness.js';

const p = scratchProject();
beforeAll(() => {
  mkdirSync(path.join(p.root, '.cursor'), { recursive: true });
  writeFileSync(path.join(p.root, '.cursor', 'mcp.json'), JSON.stringify({ mcpServers: { fs: { command: 'npx', args: ['-y', 'server-fs'] } } }));
});
afterAll(() => p.cleanup());

const common = (hook_event_name: string, extra: Record<string, unknown>) => ({
  hook_event_name,
  conversation_id: 'c-1',
  generation_id: 'g-1',
  workspace_roots: [p.root],
  cursor_version: '2.0.0',
  ...extra,
});
const ALLOW = { stdout: '{"permission":"allow"}\n', stderr: '', exitCode: 0 };

function denial(stdout: string, permission = 'deny'): string {
  const o = JSON.parse(stdout) as { permission: string; user_message: string; agent_message: string };
  expect(o.permission).toBe(permission);
  expect(o.agent_message).toBe(o.user_message);
  return o.agent_message;
}

describe('Cursor hook payloads', () => {
  const allowed: Array<[string, () => unknown]> = [
    ['beforeShellExecution', () => common('beforeShellExecution', { command: 'ls src', cwd: p.root })],
    ['beforeReadFile', () => common('beforeReadFile', { file_path: `${p.root}/src/a.ts`, content: 'x' })],
    ['beforeMCPExecution by MCP:S:T', () => common('beforeMCPExecution', { tool_name: 'MCP:fs:read_file', tool_input: { path: `${p.root}/src/a` } })],
    ['beforeMCPExecution by a bare name and the server command', () => common('beforeMCPExecution', { tool_name: 'read_file', tool_input: `{"path":"${p.root}/src/a"}`, command: 'npx -y server-fs' })],
    ['preToolUse Write in src', () => common('preToolUse', { tool_name: 'Write', tool_input: { file_path: 'src/a.ts', contents: 'x' } })],
    ['preToolUse Grep in src', () => common('preToolUse', { tool_name: 'Grep', tool_input: { pattern: 'x', path: 'src' } })],
    ['preToolUse Shell', () => common('preToolUse', { tool_name: 'Shell', tool_input: { command: 'echo hi' } })],
    ['preToolUse Task', () => common('preToolUse', { tool_name: 'Task', tool_input: { prompt: 'do it' } })],
  ];
  it.each(allowed)('allows %s', async (_n, payload) => {
    expect(await p.run(cursorProtocol, payload())).toEqual(ALLOW);
  });

  const denied: Array<[string, () => unknown, RegExp]> = [
    ['a denied shell command', () => common('beforeShellExecution', { command: 'ls && rm -rf x', cwd: p.root }), /rm/],
    ['a read of a denied folder', () => common('beforeReadFile', { file_path: `${p.root}/secrets/k`, content: '' }), /secrets/],
    ['a read whose attachment is outside the project', () => common('beforeReadFile', { file_path: `${p.root}/src/a`, attachments: [{ type: 'file', file_path: '/etc/passwd' }] }), /passwd/],
    ['a denied MCP tool', () => common('beforeMCPExecution', { tool_name: 'MCP:fs:write_file', tool_input: {} }), /mcp\.fs\.write_file/],
    ['a write of Cursor\'s hooks', () => common('preToolUse', { tool_name: 'Write', tool_input: { file_path: '.cursor/hooks.json' } }), /protected/],
    ['a delete outside src', () => common('preToolUse', { tool_name: 'Delete', tool_input: { path: 'README.md' } }), /file\.write/],
    ['a file tool without a path', () => common('preToolUse', { tool_name: 'Edit', tool_input: {} }), /./],
    ['a search reaching a denied folder', () => common('preToolUse', { tool_name: 'Grep', tool_input: { pattern: 'x' } }), /secrets/],
    ['a fetch of a host no rule allows', () => common('preToolUse', { tool_name: 'WebFetch', tool_input: { url: 'https://evil.example.org' } }), /network\.fetch/],
    ['an unknown tool', () => common('preToolUse', { tool_name: 'Frobnicate', tool_input: {} }), /unknown\.Frobnicate/],
  ];
  it.each(denied)('denies %s', async (_n, payload, why) => {
    const out = await p.run(cursorProtocol, payload());
    expect(out.exitCode).toBe(0);
    expect(denial(out.stdout)).toMatch(why);
  });

  it('asks for a confirm', async () => {
    const out = await p.run(cursorProtocol, common('beforeShellExecution', { command: 'echo confirm me', cwd: p.root }));
    expect(denial(out.stdout, 'ask')).toMatch(/^AEX/);
  });

  it('denies a confirm before a read (beforeReadFile has no ask), saying how to approve', () => {
    const req = cursorProtocol.parse(common('beforeReadFile', { file_path: `${p.root}/src/a` }), p.root, {})!;
    const out = cursorProtocol.answer({ kind: 'ask', message: 'AEX: confirm first' }, req);
    expect(denial(out.stdout)).toMatch(/aex grant/);
  });

  it('judges against workspace_roots[0], not the cwd of the command', async () => {
    const out = await p.run(cursorProtocol, common('beforeShellExecution', { command: 'rm x', cwd: path.join(p.root, 'src') }));
    expect(denial(out.stdout)).toMatch(/rm/);
  });

  it('lets other events through', async () => {
    expect(await p.run(cursorProtocol, common('afterFileEdit', { file_path: 'x' }))).toEqual({ stdout: '{}\n', stderr: '', exitCode: 0 });
  });

  const malformed: Array<[string, () => unknown]> = [
    ['not an object', () => null],
    ['no event name', () => ({ command: 'ls' })],
    ['a shell event without a command', () => common('beforeShellExecution', {})],
    ['workspace_roots not a list', () => common('beforeShellExecution', { command: 'ls', workspace_roots: p.root })],
    ['a relative workspace root', () => common('beforeShellExecution', { command: 'ls', workspace_roots: ['project'] })],
    ['MCP input that is not JSON', () => common('beforeMCPExecution', { tool_name: 'MCP:fs:read_file', tool_input: '{oops' })],
    ['a bare MCP name whose server is unknown', () => common('beforeMCPExecution', { tool_name: 'read_file', tool_input: {}, command: 'other-server' })],
  ];
  it.each(malformed)('blocks malformed input (%s) with exit 2 and a deny', async (_n, payload) => {
    const out = await p.run(cursorProtocol, payload());
    expect(out.exitCode).toBe(2);
    expect(denial(out.stdout)).toMatch(/^AEX: \S/);
    expect(out.stderr).toMatch(/^AEX: \S/);
  });
});
