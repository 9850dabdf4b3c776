// A client that writes its requests and closes stdin (a shell pipe, a script) still reads the
// answers: the proxy answers everything it received before it exits, and the server/discover
// probe it sends the upstream to learn its protocol revision never reaches the client.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BIN, SERVER } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'aex-piped-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(path.join(dir, '.aex'));
writeFileSync(path.join(dir, '.aex', 'policy.aex'), 'policy piped v1\ngoal "g"\nallow file.read, aex.*\n');

it('answers initialize and tools/list although stdin closed at once, and nothing else', () => {
  const input = [
    { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pipe', version: '1' } } },
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { jsonrpc: '2.0', id: 2, method: 'tools/list' },
  ].map((m) => JSON.stringify(m)).join('\n') + '\n';
  const r = spawnSync(process.execPath, [BIN, 'proxy', '--', process.execPath, SERVER], { cwd: dir, input, encoding: 'utf8', env: { ...process.env, AEX_STATE_DIR: path.join(dir, 'state') }, timeout: 30_000 });
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id?: unknown; result?: { tools?: Array<{ name: string }> } });
  expect(out.map((m) => m.id)).toEqual([1, 2]);
  expect(out[1]!.result!.tools!.map((t) => t.name)).toContain('aex_checkpoint');
});
