// examples/mcp-task: tools from a real MCP stdio server (server.mjs, MCP SDK) via --mcp-config.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { copyExample, readJson, root, runExample, snapshot } from './helpers.js';

const example = path.join(root, 'examples', 'mcp-task');
const before = snapshot(example);
const base = ['--policy', 'policy.aex', '--inputs', 'inputs.json', '--mcp-config', 'mcp.json'];

describe('examples/mcp-task', () => {
  afterAll(() => {
    expect(snapshot(example)).toEqual(before);
  });

  it('runs notes.search / notes.add through the MCP server and returns the expected result and audit', () => {
    const expected = readJson<{ output: unknown; events: string[] }>(path.join(example, 'expected.json'));
    const r = runExample(copyExample('mcp-task', { withNodeModules: true }), ['task.aex', ...base, '--auto-confirm']);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected.output);
    expect(r.events.map((e) => e.event)).toEqual(expected.events);
    expect(r.events.map((e) => e.seq)).toEqual(r.events.map((_, i) => i + 1));
    // The contract names the tools S.T; the audit has their one name mcp.S.T (docs/mcp.md).
    expect(r.events.filter((e) => e.event === 'tool.allowed').map((e) => e.tool)).toEqual(['mcp.notes.search', 'mcp.notes.add', 'mcp.notes.search']);
    // The first search is answered from notes.json by the server itself.
    expect(r.events.find((e) => e.event === 'tool.result')).toMatchObject({
      tool: 'mcp.notes.search',
      result: { query: 'release', count: 2, hits: [{ id: 'n1', title: 'Release checklist' }, { id: 'n2', title: 'On-call handover' }] },
    });
  }, 60_000);

  it('resolves the server from the folder of mcp.json when run from elsewhere', () => {
    const dir = copyExample('mcp-task', { withNodeModules: true });
    const parent = path.dirname(dir);
    const p = (f: string) => path.join('mcp-task', f);
    const r = runExample(parent, [p('task.aex'), '--policy', p('policy.aex'), '--inputs', p('inputs.json'), '--mcp-config', p('mcp.json'), '--auto-confirm']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(readJson<{ output: unknown }>(path.join(example, 'expected.json')).output);
  }, 60_000);

  it('without --auto-confirm notes.add is refused (AEX053) before it reaches the server', () => {
    const r = runExample(copyExample('mcp-task', { withNodeModules: true }), ['task.aex', ...base, '--json']);
    expect(r.status).toBe(1);
    const result = JSON.parse(r.stdout) as { status: string; reasons: Array<{ code: string }> };
    expect(result.status).toBe('blocked');
    expect(result.reasons.map((x) => x.code)).toEqual(['AEX053']);
    expect(r.events.map((e) => e.event)).toEqual([
      'run.started',
      'tool.allowed',
      'tool.result',
      'confirm.required',
      'confirm.denied',
      'run.finished',
    ]);
    expect(r.events.some((e) => e.event === 'tool.allowed' && e.tool === 'notes.add')).toBe(false);
  }, 60_000);

  it('the contract and policy check clean and are formatted', () => {
    const cli = path.join(root, 'bin', 'aex.js');
    for (const args of [['check', 'task.aex', 'policy.aex'], ['fmt', '--check', 'task.aex', 'policy.aex']]) {
      const r = spawnSync(process.execPath, [cli, ...args], { cwd: example, encoding: 'utf8', timeout: 30_000 });
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  }, 60_000);
});
