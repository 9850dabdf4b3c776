import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initMcp } from '../../src/adapters/mcp/init.js';
import { aexScript } from '../../src/adapters/mcp/init/aex-command.js';

// aex init --mcp's file handling (the real servers' listing is in tests/proxy/real-servers-init/).
let D: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  D = mkdtempSync(path.join(tmpdir(), 'aex-init-mcp-'));
  env = { ...process.env, AEX_STATE_DIR: path.join(D, 'state') };
});
afterEach(() => rmSync(D, { recursive: true, force: true }));

const ORIGINAL = {
  mcpServers: {
    github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'], env: { GITHUB_TOKEN: 'x' } },
    local: { command: 'node', args: ['srv.mjs'] },
  },
  other: true,
};
const run = (cwd: string) => initMcp(cwd, { env, listTools: false });

describe('initMcp', () => {
  it('puts every stdio server behind aex proxy (absolute node and bin/aex.js) and keeps a backup', async () => {
    const text = JSON.stringify(ORIGINAL, null, 2);
    writeFileSync(path.join(D, '.mcp.json'), text);
    const r = await run(D);
    expect(r.written.slice(0, 2)).toEqual(['.mcp.json', '.mcp.json.bak']);
    expect(readFileSync(path.join(D, '.mcp.json.bak'), 'utf8')).toBe(text);
    const doc = JSON.parse(readFileSync(path.join(D, '.mcp.json'), 'utf8'));
    expect(doc.other).toBe(true);
    expect(doc.mcpServers.github.command).toBe(process.execPath);
    expect(doc.mcpServers.github.env).toEqual({ GITHUB_TOKEN: 'x' });
    expect(doc.mcpServers.github.args).toEqual([
      aexScript(), 'proxy', '--name', 'github', '--policy', path.join(D, '.aex', 'policy.aex'), '--audit', expect.stringContaining(path.join(D, 'state', 'projects')),
      '--', 'npx', '-y', '@modelcontextprotocol/server-github',
    ]);
    expect(r.messages[0]).toBe('✔ .mcp.json: "github", "local" now run behind aex proxy (backup: .mcp.json.bak)');
  });

  it('is idempotent and never overwrites an earlier backup', async () => {
    writeFileSync(path.join(D, '.mcp.json'), JSON.stringify(ORIGINAL));
    mkdirSync(path.join(D, '.aex'));
    writeFileSync(path.join(D, '.aex', 'policy.aex'), 'policy p v0\n');
    writeFileSync(path.join(D, '.mcp.json.bak'), 'older backup');
    const first = await run(D);
    expect(first.written).toEqual(['.mcp.json', '.mcp.json.bak.1']);
    expect(readFileSync(path.join(D, '.mcp.json.bak'), 'utf8')).toBe('older backup');
    const after = readFileSync(path.join(D, '.mcp.json'), 'utf8');
    const second = await run(D);
    expect(second.written).toEqual([]);
    expect(readFileSync(path.join(D, '.mcp.json'), 'utf8')).toBe(after);
  });

  it('--name is the key as the host spells it in mcp__S__T, and a complete proxy entry is left alone', async () => {
    mkdirSync(path.join(D, '.aex'));
    writeFileSync(path.join(D, '.aex', 'policy.aex'), 'policy p v0\n');
    const named = { command: process.execPath, args: [aexScript(), 'proxy', '--name=named', '--policy', '/p.aex', '--audit', '/a', '--', 'node', 'x.mjs'] };
    writeFileSync(path.join(D, '.mcp.json'), JSON.stringify({ mcpServers: { 'my.files server': { command: 'node', args: ['fs.mjs'] }, named } }));
    const r = await run(D);
    const doc = JSON.parse(readFileSync(path.join(D, '.mcp.json'), 'utf8'));
    expect(doc.mcpServers['my.files server'].args.slice(1, 4)).toEqual(['proxy', '--name', 'my_files_server']);
    expect(doc.mcpServers.named).toEqual(named);
    expect(r.messages).toContain('.mcp.json: server "named" already runs behind aex proxy');
  });

  it('reports a missing file and refuses malformed ones unchanged', async () => {
    expect((await run(D)).messages[0]).toMatch(/^No MCP configuration in .*there are no MCP servers to put behind aex proxy\.$/);
    writeFileSync(path.join(D, '.mcp.json'), '{"mcpServers": [1]}');
    await expect(run(D)).rejects.toThrow(/"mcpServers" must be an object; left unchanged/);
    writeFileSync(path.join(D, '.mcp.json'), 'nope');
    await expect(run(D)).rejects.toThrow(/cannot be read.*left unchanged/);
  });
});
