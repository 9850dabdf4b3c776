import { describe, expect, it } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import type { PermissionLayer } from '../../src/rules/types.js';

const policy: PermissionLayer = {
  kind: 'policy',
  name: 'workspace',
  allow: [{ tool: 'file.read' }, { tool: 'file.write', path: 'src/**' }, { tool: 'git.*' }],
  deny: [{ tool: 'network.*' }],
  confirm: [],
  budget: {},
};

const task = (use: string, calls: string) => `task t v0\ngoal "g"\nuse ${use}\n${calls}\nreturn 1\n`;

describe('AEX015: requests checked against the active policy', () => {
  it('accepts requests inside the policy', () => {
    const res = compileSource(task('file.read, git.status, file.write:src/a/**', 'do file.read()\ndo git.status()\ndo file.write()'), { policy });
    expect(res.diagnostics.filter((d) => d.code === 'AEX015')).toEqual([]);
  });

  it('reports a tool the policy does not allow, with its position', () => {
    const res = compileSource(task('file.read, shell.exec', 'do file.read()\ndo shell.exec()'), { policy });
    const d = res.diagnostics.filter((x) => x.code === 'AEX015');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ severity: 'error', line: 3, column: 16 });
    expect(res.ok).toBe(false);
  });

  it('reports a request broader than a path-qualified grant, and a denied one', () => {
    const res = compileSource(task('file.write, network.fetch', 'do file.write()\ndo network.fetch()'), { policy });
    expect(res.diagnostics.filter((x) => x.code === 'AEX015').map((x) => x.column)).toEqual([5, 17]);
  });

  it('is not reported without a policy', () => {
    const res = compileSource(task('shell.exec', 'do shell.exec()'));
    expect(res.diagnostics.some((d) => d.code === 'AEX015')).toBe(false);
  });
});

describe('AEX015 with AEX 2 qualifiers', () => {
  const v2: PermissionLayer = {
    kind: 'policy',
    name: 'v2',
    allow: [
      { tool: 'shell.exec', command: 'git *' },
      { tool: 'network.fetch', host: '*.github.com' },
      { tool: 'mcp.slack.post', where: [{ arg: ['channel'], op: 'in', value: ['C1', 'C2'] }] },
      { tool: 'mcp.fs.*' },
    ],
    deny: [{ tool: 'shell.exec', command: 'git push *' }],
    confirm: [],
    budget: {},
  };
  const check = (use: string, calls: string) =>
    compileSource(task(use, calls), { policy: v2 }).diagnostics.filter((d) => d.code === 'AEX015').map((d) => d.column);

  it('accepts requests inside a command, host or where grant', () => {
    expect(check('shell.exec:"git status", network.fetch:api.github.com', 'do shell.exec()\ndo network.fetch()')).toEqual([]);
    expect(check('mcp.slack.post where channel in ["C1", "C2"] and text has "x"', 'do mcp.slack.post()')).toEqual([]);
    expect(check('mcp.fs.read_* where path == "/x"', 'do mcp.fs.read_file()')).toEqual([]);
  });

  it('reports requests broader than the grant', () => {
    expect(check('shell.exec', 'do shell.exec()')).toEqual([5]);
    expect(check('shell.exec:"npm test"', 'do shell.exec()')).toEqual([5]);
    expect(check('network.fetch:github.com', 'do network.fetch()')).toEqual([5]);
    expect(check('mcp.slack.post', 'do mcp.slack.post()')).toEqual([5]);
    expect(check('mcp.slack.post where channel == "C1"', 'do mcp.slack.post()')).toEqual([5]);
  });
});
