// Gemini CLI BeforeTool payloads → the exact answer and exit code (in-process gate core).

import { afterAll, describe, expect, it } from 'vitest';
import { geminiProtocol } from '../../../src/adapters/gemini/protocol.js';
import { HOST_POLICY, scratchProject } from '../host-harness.js';

const p = scratchProject();
afterAll(() => p.cleanup());

const before = (tool_name: string, tool_input: unknown, extra: Record<string, unknown> = {}) => ({
  session_id: 'g-1',
  transcript_path: '/tmp/t.json',
  cwd: p.root,
  hook_event_name: 'BeforeTool',
  timestamp: '2026-01-01T00:00:00Z',
  tool_name,
  tool_input,
  ...extra,
});
const env = () => ({ GEMINI_PROJECT_DIR: p.root });
const ALLOW = { stdout: '{"decision":"allow"}\n', stderr: '', exitCode: 0 };

function denyReason(stdout: string): string {
  const o = JSON.parse(stdout) as { decision: string; reason: string };
  expect(o.decision).toBe('deny');
  return o.reason;
}

describe('Gemini CLI BeforeTool payloads', () => {
  const fsCtx = () => ({ mcp_context: { server_name: 'fs', tool_name: 'read_file', command: 'npx', args: [p.root] } });
  const allowed: Array<[string, string, () => unknown, (() => Record<string, unknown>)?]> = [
    ['run_shell_command', 'run_shell_command', () => ({ command: 'ls src && git status' })],
    ['run_shell_command in a subdirectory', 'run_shell_command', () => ({ command: 'cat a.ts', dir_path: 'src' })],
    ['read_file', 'read_file', () => ({ file_path: 'src/a.ts' })],
    ['write_file inside src', 'write_file', () => ({ file_path: 'src/a.ts', content: 'x' })],
    ['replace inside src', 'replace', () => ({ file_path: `${p.root}/src/a.ts`, old_string: 'a', new_string: 'b' })],
    ['glob in src', 'glob', () => ({ pattern: '**/*.ts', dir_path: 'src' })],
    ['grep_search in src', 'grep_search', () => ({ pattern: 'TODO', dir_path: 'src' })],
    ['search_file_content in src', 'search_file_content', () => ({ pattern: 'TODO', dir_path: 'src' })],
    ['list_directory of src', 'list_directory', () => ({ dir_path: 'src' })],
    ['read_many_files', 'read_many_files', () => ({ include: ['src/a.ts', 'src/**/*.md'] })],
    ['web_fetch of an allowed host', 'web_fetch', () => ({ prompt: 'Summarise https://example.com/page please' })],
    ['google_web_search', 'google_web_search', () => ({ query: 'aex' })],
    ['write_todos', 'write_todos', () => ({ todos: [] })],
    ['invoke_agent of the generalist', 'invoke_agent', () => ({ agent_name: 'generalist', prompt: 'edit .aex/policy.aex' })],
    ['invoke_agent of the codebase investigator', 'invoke_agent', () => ({ agent_name: 'codebase_investigator', prompt: 'look' })],
    ['list_background_processes', 'list_background_processes', () => ({})],
    ['read_background_output', 'read_background_output', () => ({ pid: 42 })],
    ['an MCP tool by its context', 'mcp_fs_read_file', () => ({ path: 'README.md' }), fsCtx],
  ];
  it.each(allowed)('allows %s', async (_n, tool, input, extra) => {
    expect(await p.run(geminiProtocol, before(tool, input(), extra?.()), env())).toEqual(ALLOW);
  });

  const denied: Array<[string, string, () => unknown, RegExp, (() => Record<string, unknown>)?]> = [
    ['a denied command', 'run_shell_command', () => ({ command: 'rm -rf build' }), /rm/],
    ['a compound command with one denied part', 'run_shell_command', () => ({ command: 'echo ok && rm -rf build' }), /rm/],
    ['a write outside src', 'write_file', () => ({ file_path: 'README.md', content: 'x' }), /file\.write/],
    ['a write of the Gemini settings', 'write_file', () => ({ file_path: '.gemini/settings.json', content: '{}' }), /protected/],
    ['a replace in the policy', 'replace', () => ({ file_path: '.aex/policy.aex', old_string: 'deny', new_string: 'allow' }), /protected/],
    ['a read outside the project', 'read_file', () => ({ file_path: '/etc/passwd' }), /file\.read/],
    ['a read of a denied folder', 'read_file', () => ({ file_path: 'secrets/key' }), /secrets/],
    ['a read without a path', 'read_file', () => ({}), /./],
    ['a glob climbing out', 'glob', () => ({ pattern: '../../**' }), /./],
    ['a search whose reach covers a denied folder', 'grep_search', () => ({ pattern: 'KEY' }), /secrets/],
    ['read_many_files reaching a denied folder', 'read_many_files', () => ({ include: ['secrets/*'] }), /secrets/],
    ['web_fetch of another host', 'web_fetch', () => ({ prompt: 'get https://evil.example.org/x' }), /network\.fetch/],
    ['web_fetch with no URL', 'web_fetch', () => ({ prompt: 'fetch the thing' }), /network\.fetch/],
    ['a denied MCP tool', 'mcp_fs_write_file', () => ({ path: 'src/a' }), /mcp\.fs\.write_file/, () => ({ mcp_context: { server_name: 'fs', tool_name: 'write_file', command: 'npx' } })],
    ['an MCP server of another name than its tool prefix', 'mcp_fs_read_file', () => ({ path: '/etc/passwd' }), /mcp\.my_fs\.read_file/, () => ({ mcp_context: { server_name: 'my_fs', tool_name: 'read_file', command: 'npx' } })],
    ['an unknown tool', 'some_new_tool', () => ({ path: 'src/a' }), /unknown\.some_new_tool/],
    ['invoke_agent of an agent that may be remote', 'invoke_agent', () => ({ agent_name: 'my_a2a_agent', prompt: 'x' }), /network\.fetch/],
    ['invoke_agent of the browser agent', 'invoke_agent', () => ({ agent_name: 'browser_agent', prompt: 'open a page' }), /network\.fetch/],
    ['invoke_agent without an agent name', 'invoke_agent', () => ({ prompt: 'x' }), /network\.fetch/],
    ['invoke_agent of a local name spelt another way', 'invoke_agent', () => ({ agent_name: 'Generalist ', prompt: 'x' }), /network\.fetch/],
  ];
  it.each(denied)('denies %s with a reason the model sees', async (_n, tool, input, why, extra) => {
    const out = await p.run(geminiProtocol, before(tool, input(), extra?.()), env());
    expect(out.exitCode).toBe(0);
    expect(out.stderr).toBe('');
    const reason = denyReason(out.stdout);
    expect(reason).toMatch(/^AEX/);
    expect(reason).toMatch(why);
  });

  it('answers a confirm as a deny that says how a person approves', async () => {
    const reason = denyReason((await p.run(geminiProtocol, before('run_shell_command', { command: 'echo confirm me' }), env())).stdout);
    expect(reason).toMatch(/aex grant/);
  });

  it('a sub-agent spends the session budget: its payloads carry the parent session_id', async () => {
    const b = scratchProject(HOST_POLICY + 'budget calls=2\n');
    try {
      const call = (tool: string, input: unknown) => ({ ...before(tool, input), session_id: 'g-root', cwd: b.root });
      const e = { GEMINI_PROJECT_DIR: b.root };
      expect(await b.run(geminiProtocol, call('invoke_agent', { agent_name: 'generalist', prompt: 'x' }), e)).toEqual(ALLOW);
      expect(await b.run(geminiProtocol, call('run_shell_command', { command: 'echo child one' }), e)).toEqual(ALLOW);
      expect(denyReason((await b.run(geminiProtocol, call('run_shell_command', { command: 'echo child two' }), e)).stdout)).toMatch(/^AEX: .*budget exhausted \(2 calls\)/);
    } finally {
      b.cleanup();
    }
  });

  it('lets other events through with an empty object', async () => {
    expect(await p.run(geminiProtocol, { hook_event_name: 'AfterTool', cwd: p.root, tool_name: 'x' }, env())).toEqual({ stdout: '{}\n', stderr: '', exitCode: 0 });
  });

  const malformed: Array<[string, unknown, Record<string, string>?]> = [
    ['not an object', 'BeforeTool'],
    ['no event name', { tool_name: 'read_file' }],
    ['no tool name', before('', {})],
    ['tool_input not an object', before('read_file', ['x'])],
    ['an mcp_context without names', before('mcp_fs_x', {}, { mcp_context: { command: 'npx' } })],
    ['a relative GEMINI_PROJECT_DIR', before('read_file', { file_path: 'a' }), { GEMINI_PROJECT_DIR: 'project' }],
  ];
  it.each(malformed)('blocks malformed input (%s) with exit 2', async (_n, payload, e) => {
    const out = await p.run(geminiProtocol, payload, e ?? env());
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/^AEX: \S/);
  });
});
