// kill -9 of `aex proxy` mid-session, while calls are in flight: its audit stays a chain of
// complete JSON lines that `aex audit verify` accepts up to the cut (no torn or forged line),
// the budget ledger stays parseable, and the next proxy of the session goes on from it.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BIN, SERVER } from '../proxy/helpers.js';

const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-proxy-faults-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const project = path.join(base, 'p');
mkdirSync(path.join(project, '.aex'), { recursive: true });
writeFileSync(path.join(project, '.aex', 'policy.aex'), 'policy faults v1\ngoal "g"\nallow mcp.fx.echo\nbudget calls=1000\n');
const env = { ...process.env, AEX_STATE_DIR: path.join(base, 'state'), AEX_SESSION_ID: 'fault-session' };
const audit = path.join(base, 'proxy.jsonl');

const line = (m: unknown) => JSON.stringify(m) + '\n';

it('a proxy killed with SIGKILL mid-call leaves a verifiable audit and a usable ledger', async () => {
  const px = spawn(process.execPath, [BIN, 'proxy', '--name', 'fx', '--audit', audit, '--', process.execPath, SERVER], { cwd: project, env, stdio: ['pipe', 'pipe', 'ignore'] });
  let out = '';
  px.stdout.on('data', (d) => (out += d));
  px.stdin.write(line({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'f', version: '1' } } }));
  px.stdin.write(line({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  for (let i = 0; i < 200; i++) px.stdin.write(line({ jsonrpc: '2.0', id: 100 + i, method: 'tools/call', params: { name: 'echo', arguments: { text: `m${i}` } } }));
  // Kill it once some calls have been answered, with others still in flight.
  for (let i = 0; i < 200 && (out.match(/"id":1\d\d/g) ?? []).length < 5; i++) await new Promise((r) => setTimeout(r, 25));
  px.kill('SIGKILL');
  await new Promise((r) => px.on('exit', r));

  const text = readFileSync(audit, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  for (const l of text.trim().split('\n')) expect(() => JSON.parse(l)).not.toThrow();
  // The chain holds to the last line; only the end seal is missing (no key: no seal expected).
  const v = spawnSync(process.execPath, [BIN, 'audit', 'verify', audit, '--json'], { encoding: 'utf8' });
  const report = JSON.parse(v.stdout) as Array<{ breaks?: unknown[]; ok?: boolean }> | { ok?: boolean };
  expect(JSON.stringify(report)).not.toMatch(/"(prev|seq|json)"/);

  // The ledger is still a record the next proxy of the session accepts.
  const ledgerFiles = readdirSync(path.join(base, 'state'), { recursive: true }).map(String).filter((f) => f.includes('gate-budget') && f.endsWith('.json'));
  expect(ledgerFiles.length).toBe(1);
  for (const f of ledgerFiles) expect(() => JSON.parse(readFileSync(path.join(base, 'state', f), 'utf8'))).not.toThrow();
  const again = spawnSync(process.execPath, [BIN, 'proxy', '--name', 'fx', '--', process.execPath, SERVER], {
    cwd: project,
    env,
    encoding: 'utf8',
    input: line({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'f', version: '1' } } }) + line({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'after' } } }),
    timeout: 30_000,
  });
  expect(again.stdout).toContain('echo: after');
});
