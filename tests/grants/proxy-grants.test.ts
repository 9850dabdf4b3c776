// A person's grant holds in `aex proxy` too: exactly the granted tool, in the granted
// session, read per call (a grant made or revoked mid-session counts at once).
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createGrant, revokeGrant } from '../../src/grants/store.js';
import { BIN, SERVER } from '../proxy/helpers.js';

const root = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-proxy-grants-')));
const state = path.join(root, 'state');
const project = path.join(root, 'project');
mkdirSync(path.join(project, '.aex'), { recursive: true });
writeFileSync(path.join(project, '.aex', 'policy.aex'), 'policy granted v1\ngoal "Only what a person grants."\nallow mcp.fx.file.read\n');
afterAll(() => rmSync(root, { recursive: true, force: true }));

const env = { ...(process.env as Record<string, string>), AEX_STATE_DIR: state };
const text = (r: unknown) => (r as { content: Array<{ text: string }> }).content[0]!.text;

async function session(id: string): Promise<Client> {
  const client = new Client({ name: 'aex-grants-test', version: '1.0.0' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'proxy', '--name', 'fx', '--session', id, '--', process.execPath, SERVER],
    cwd: project,
    stderr: 'pipe',
    env: { ...env, AEX_SESSION_ID: 'ignored-when-session-is-given' },
  });
  await client.connect(transport, { timeout: 15_000 });
  return client;
}

describe('grants in aex proxy', () => {
  it('a grant of one tool allows it in its session only, until revoked', async () => {
    const mine = await session('s-mine');
    const other = await session('s-other');
    try {
      expect(text(await mine.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toMatch(/^AEX: no rule allows mcp\.fx\.echo/);
      const g = createGrant(project, 'mcp.fx.echo', { env, session: 's-mine' });
      expect(text(await mine.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('echo: hi');
      expect(text(await other.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toMatch(/^AEX: no rule allows mcp\.fx\.echo/);
      // Never wider than the rule: another tool of the server stays refused.
      expect(text(await mine.callTool({ name: 'secrets.read', arguments: {} }))).toMatch(/^AEX: /);
      revokeGrant(project, g.id, { env });
      expect(text(await mine.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toMatch(/^AEX: no rule allows mcp\.fx\.echo/);
    } finally {
      await mine.close();
      await other.close();
    }
  });
});
