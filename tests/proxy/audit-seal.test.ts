// aex proxy with an audit key: the log is chained and sealed when the proxy exits, so
// `aex audit verify --key-file` accepts it; a write through the proxy to AEX's state folder,
// to the proxy's own audit or to the key is refused as protected state whatever the policy.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BIN, SERVER } from './helpers.js';

const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-proxy-seal-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const state = path.join(base, 'state');
const project = path.join(base, 'project');
mkdirSync(path.join(project, '.aex'), { recursive: true });
writeFileSync(path.join(project, '.aex', 'policy.aex'), 'policy open v1\ngoal "Everything the server does."\nallow mcp.fx.*\n');
const keyFile = path.join(base, 'audit.key');
writeFileSync(keyFile, 'a-secret-key-of-the-person\n');
const auditFile = path.join(base, 'proxy.audit.jsonl');
const text = (r: unknown) => (r as { content: Array<{ text: string }> }).content[0]!.text;

it('seals its audit at exit and refuses writes to its own state', async () => {
  const client = new Client({ name: 'aex-seal-test', version: '1.0.0' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'proxy', '--name', 'fx', '--audit', auditFile, '--audit-key-file', keyFile, '--', process.execPath, SERVER],
    cwd: project,
    stderr: 'pipe',
    env: { ...(process.env as Record<string, string>), AEX_STATE_DIR: state, AEX_SESSION_ID: 'seal-test' },
  });
  await client.connect(transport, { timeout: 15_000 });
  try {
    expect(text(await client.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('echo: hi');
    for (const target of [path.join(state, 'projects', 'x', 'gate-budget', 'b.json'), auditFile, keyFile]) {
      const r = await client.callTool({ name: 'file.write', arguments: { path: target, content: 'x' } });
      expect(text(r)).toMatch(/protected state/);
    }
  } finally {
    await client.close();
  }
  // The proxy writes its seal as it exits; give it a moment after the client closed.
  for (let i = 0; i < 50 && !readFileSync(auditFile, 'utf8').includes('"audit.sealed"'); i++) await new Promise((r) => setTimeout(r, 50));
  const lines = readFileSync(auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.at(-1)!.event).toBe('audit.sealed');
  const v = spawnSync(process.execPath, [BIN, 'audit', 'verify', auditFile, '--key-file', keyFile], { encoding: 'utf8' });
  expect(v.status, v.stdout + v.stderr).toBe(0);
  expect(readFileSync(keyFile, 'utf8')).toBe('a-secret-key-of-the-person\n');
});
