import { describe, expect, it, vi } from 'vitest';

// These tests spawn processes; under a loaded machine they need more than the default 5 s.
vi.setConfig({ testTimeout: 60_000 });
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectMcpServers, mcpResultValue, readMcpConfig } from '../../src/runtime/mcp-tools.js';
import { resolveTool } from '../../src/runtime/tools/types.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export function writeMcpConfig(dir: string): string {
  const file = path.join(dir, 'mcp.json');
  writeFileSync(file, JSON.stringify({ mcpServers: { fx: { command: process.execPath, args: [path.join(fixtures, 'mcp-echo-server.mjs')] } } }));
  return file;
}

describe('--mcp-config tools', () => {
  it('tool T of server S becomes capability mcp.S.T (S.T kept as an alias); results and errors come through; close stops the server', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aex-mcp-'));
    const conn = await connectMcpServers(writeMcpConfig(dir));
    try {
      expect(Object.keys(conn.tools).sort()).toEqual(['fx.echo', 'fx.fail', 'mcp.fx.echo', 'mcp.fx.fail']);
      expect(resolveTool(conn.tools, 'mcp.fx.echo')).toBe(resolveTool(conn.tools, 'fx.echo'));
      // The server starts in the folder of the config: that is the base of its relative paths.
      expect(conn.servers.bases).toEqual({ fx: [path.resolve(dir)] });
      const echo = resolveTool(conn.tools, 'mcp.fx.echo')!;
      expect(await echo({ text: 'hi' }, { cwd: process.cwd() })).toEqual({ echoed: 'hi' });
      await expect(resolveTool(conn.tools, 'fx.fail')!({}, { cwd: process.cwd() })).rejects.toThrow('fixture failure');
    } finally {
      await conn.close();
    }
  }, 20_000);

  it('rejects malformed configs with a clear message', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'aex-mcp-'));
    const f = path.join(dir, 'bad.json');
    writeFileSync(f, JSON.stringify({ servers: {} }));
    expect(() => readMcpConfig(f)).toThrow('must be {"mcpServers"');
    writeFileSync(f, JSON.stringify({ mcpServers: { 'bad.name': { command: 'x' } } }));
    expect(() => readMcpConfig(f)).toThrow('MCP server name "bad.name"');
    // An alias S.T of a server named "mcp" would be ambiguous with mcp.S.T.
    writeFileSync(f, JSON.stringify({ mcpServers: { mcp: { command: 'x' } } }));
    expect(() => readMcpConfig(f)).toThrow('MCP server name "mcp" is reserved');
    writeFileSync(f, JSON.stringify({ mcpServers: { ok: { args: [] } } }));
    expect(() => readMcpConfig(f)).toThrow('needs a "command"');
  });

  it('a non-JSON text result stays a string', () => {
    expect(mcpResultValue({ content: [{ type: 'text', text: 'hello' }] })).toBe('hello');
    expect(mcpResultValue({ content: [], structuredContent: { a: 1 } })).toEqual({ a: 1 });
  });
});
