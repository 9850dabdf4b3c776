import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EffectivePermissions, PermissionLayer, RuleSpec } from '../../src/rules/types.js';
import { bareNameAlias, mcpToolName, serverNameFromKey, serverPrefixAlias, withNameAliases } from '../../src/runtime/mcp-names.js';
import { basesFromMcpJson, serverBases } from '../../src/runtime/mcp-bases.js';
import { formatRule } from '../../src/rules/format.js';

function layer(kind: 'task' | 'policy', allow: RuleSpec[], deny: RuleSpec[] = [], confirm: RuleSpec[] = []): PermissionLayer {
  return { kind, name: kind, allow, deny, confirm, budget: {} };
}

describe('one name per MCP tool (docs/mcp.md)', () => {
  it('mcp.S.T, and server names as Claude Code spells .mcp.json keys', () => {
    expect(mcpToolName('fs', 'read_file')).toBe('mcp.fs.read_file');
    expect(serverNameFromKey('my.files server')).toBe('my_files_server');
    expect(serverNameFromKey('git-hub_2')).toBe('git-hub_2');
  });

  it('behind --name S a bare rule also names mcp.S.T; mcp.*, aex.* and * are left alone', () => {
    const alias = bareNameAlias('fs');
    expect(alias('read_file')).toBe('mcp.fs.read_file');
    expect(alias('file.*')).toBe('mcp.fs.file.*');
    expect(alias('mcp.fs.read_file')).toBeUndefined();
    expect(alias('aex.checkpoint')).toBeUndefined();
    expect(alias('*')).toBeUndefined();
  });

  it('aex run --mcp-config: S.T names mcp.S.T only for configured servers', () => {
    const alias = serverPrefixAlias(['fx']);
    expect(alias('fx.echo')).toBe('mcp.fx.echo');
    expect(alias('fx.*')).toBe('mcp.fx.*');
    expect(alias('file.read')).toBeUndefined();
    expect(alias('fx')).toBeUndefined();
  });

  it('twins keep keyword, qualifier and source, in their own layer', () => {
    const deny: RuleSpec = { tool: 'write_file', path: 'secret/**', keyword: 'deny', source: { file: '/p/.aex/policy.aex', line: 4 } };
    const perms: EffectivePermissions = {
      task: layer('task', [{ tool: 'read_file' }]),
      policy: layer('policy', [{ tool: 'read_file', keyword: 'allow' }], [deny]),
      deny: [deny],
      confirm: [],
      budget: {},
      cwd: '/p',
    };
    const out = withNameAliases(perms, bareNameAlias('fs'));
    expect(out.task!.allow.map((r) => r.tool)).toEqual(['read_file', 'mcp.fs.read_file']);
    expect(out.policy!.allow.map((r) => r.tool)).toEqual(['read_file', 'mcp.fs.read_file']);
    // A twin prints as written: provenance names the rule the person wrote.
    expect(out.deny[1]).toEqual({ ...deny, tool: 'mcp.fs.write_file', writtenTool: 'write_file' });
    expect(out.policy!.deny[1]).toEqual({ ...deny, tool: 'mcp.fs.write_file', writtenTool: 'write_file' });
    expect(formatRule(out.deny[1]!, { keyword: true })).toBe('deny write_file:secret/**');
    // The input is not changed.
    expect(perms.deny).toHaveLength(1);
  });
});

describe('candidate bases of an MCP server (docs/paths.md)', () => {
  let D: string;
  beforeEach(() => {
    D = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-bases-')));
    mkdirSync(path.join(D, 'data'));
    mkdirSync(path.join(D, 'other'));
    writeFileSync(path.join(D, 'file.txt'), 'x');
  });
  afterEach(() => rmSync(D, { recursive: true, force: true }));

  it('the start directory, then every existing directory its arguments name', () => {
    expect(serverBases(['-y', '@modelcontextprotocol/server-filesystem', 'data', `--root=${path.join(D, 'other')}`, 'file.txt', 'missing', 'data'], D)).toEqual([
      D,
      path.join(D, 'data'),
      path.join(D, 'other'),
    ]);
  });

  it('.mcp.json: plain and proxied entries, spelled keys; remote, missing, ambiguous → unknown', () => {
    symlinkSync(path.join(D, 'data'), path.join(D, 'link'));
    writeFileSync(
      path.join(D, '.mcp.json'),
      JSON.stringify({
        mcpServers: {
          fs: { command: 'npx', args: ['server-filesystem', 'data'] },
          proxied: { command: 'aex', args: ['proxy', '--name', 'proxied', '--', 'node', 'srv.mjs', 'other', 'link'] },
          'my.server': { command: 'node', args: ['x.mjs'] },
          remote: { type: 'http', url: 'https://example.invalid/mcp' },
          'a.b': { command: 'node' },
          a_b: { command: 'node' },
        },
      }),
    );
    expect(basesFromMcpJson(D, 'fs')).toEqual([D, path.join(D, 'data')]);
    // The proxy's own arguments are not the server's; the link is kept as written (the describer resolves it).
    expect(basesFromMcpJson(D, 'proxied')).toEqual([D, path.join(D, 'other'), path.join(D, 'link')]);
    expect(basesFromMcpJson(D, 'my_server')).toEqual([D]);
    expect(basesFromMcpJson(D, 'remote')).toBeUndefined();
    expect(basesFromMcpJson(D, 'nope')).toBeUndefined();
    // `a_b` is its own key: the exact key wins over a spelling.
    expect(basesFromMcpJson(D, 'a_b')).toEqual([D]);
    writeFileSync(path.join(D, '.mcp.json'), '{not json');
    expect(basesFromMcpJson(D, 'fs')).toBeUndefined();
  });
});
