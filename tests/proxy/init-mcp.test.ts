import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initMcp } from '../../src/adapters/mcp/init.js';

let D: string;
beforeEach(() => {
  D = mkdtempSync(path.join(tmpdir(), 'aex-init-mcp-'));
});
afterEach(() => rmSync(D, { recursive: true, force: true }));

const ORIGINAL = {
  mcpServers: {
    github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: { GITHUB_TOKEN: 'x' } },
    local: { command: 'node', args: ['srv.mjs'] },
    remote: { type: 'http', url: 'https://example.invalid/mcp' },
    done: { command: 'aex', args: ['proxy', '--', 'node', 'x.mjs'] },
  },
  other: true,
};

describe('initMcp', () => {
  it('puts every stdio server behind aex proxy and keeps a backup', () => {
    const text = JSON.stringify(ORIGINAL, null, 2);
    writeFileSync(path.join(D, '.mcp.json'), text);
    const r = initMcp(D);
    expect(r.written).toEqual(['.mcp.json', '.mcp.json.bak']);
    expect(readFileSync(path.join(D, '.mcp.json.bak'), 'utf8')).toBe(text);
    const doc = JSON.parse(readFileSync(path.join(D, '.mcp.json'), 'utf8'));
    expect(doc).toEqual({
      mcpServers: {
        github: { command: 'aex', args: ['proxy', '--name', 'github', '--', 'npx', '-y', '@modelcontextprotocol/server-github'], env: { GITHUB_TOKEN: 'x' } },
        local: { command: 'aex', args: ['proxy', '--name', 'local', '--', 'node', 'srv.mjs'] },
        remote: { type: 'http', url: 'https://example.invalid/mcp' },
        // Already proxied, but without a name: it gains the --name its tools need (SPEC-2 §18).
        done: { command: 'aex', args: ['proxy', '--name', 'done', '--', 'node', 'x.mjs'] },
      },
      other: true,
    });
    expect(r.messages[0]).toBe('✔ .mcp.json: "github", "local", "done" now run behind aex proxy (backup: .mcp.json.bak)');
    expect(r.messages).toContain('The proxy refuses to start without a policy: create .aex/policy.aex (aex init --policy).');
  });

  it('is idempotent and never overwrites an earlier backup', () => {
    writeFileSync(path.join(D, '.mcp.json'), JSON.stringify(ORIGINAL));
    mkdirSync(path.join(D, '.aex'));
    writeFileSync(path.join(D, '.aex', 'policy.aex'), 'policy p v0\n');
    writeFileSync(path.join(D, '.mcp.json.bak'), 'older backup');
    const first = initMcp(D);
    expect(first.written).toEqual(['.mcp.json', '.mcp.json.bak.1']);
    expect(readFileSync(path.join(D, '.mcp.json.bak'), 'utf8')).toBe('older backup');
    const after = readFileSync(path.join(D, '.mcp.json'), 'utf8');
    const second = initMcp(D);
    expect(second.written).toEqual([]);
    expect(readFileSync(path.join(D, '.mcp.json'), 'utf8')).toBe(after);
  });

  it('--name is the key as the host spells it in mcp__S__T, and a named proxy entry is left alone', () => {
    writeFileSync(
      path.join(D, '.mcp.json'),
      JSON.stringify({ mcpServers: { 'my.files server': { command: 'node', args: ['fs.mjs'] }, named: { command: 'aex', args: ['proxy', '--name=named', '--', 'node', 'x.mjs'] } } }),
    );
    const r = initMcp(D);
    const doc = JSON.parse(readFileSync(path.join(D, '.mcp.json'), 'utf8'));
    expect(doc.mcpServers['my.files server'].args).toEqual(['proxy', '--name', 'my_files_server', '--', 'node', 'fs.mjs']);
    expect(doc.mcpServers.named.args).toEqual(['proxy', '--name=named', '--', 'node', 'x.mjs']);
    expect(r.messages).toContain('server "named" already runs behind aex proxy');
  });

  it('reports a missing file and refuses malformed ones unchanged', () => {
    expect(initMcp(D)).toEqual({ written: [], skipped: [], messages: [`No .mcp.json in ${D}: there are no MCP servers to put behind aex proxy.`] });
    writeFileSync(path.join(D, '.mcp.json'), '{"mcpServers": [1]}');
    expect(() => initMcp(D)).toThrow(/"mcpServers" must be an object; left unchanged/);
    writeFileSync(path.join(D, '.mcp.json'), 'nope');
    expect(() => initMcp(D)).toThrow(/not valid JSON/);
  });
});
