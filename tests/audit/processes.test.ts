// The chain across processes: gate processes appending to one session log under the session
// lock, and `aex run --audit-key-file` / `aex audit verify` through the real CLI (dist/).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditFile } from '../../src/audit/verify.js';
import { KEY, scratch } from './helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = path.join(root, 'bin', 'aex.js');
const s = scratch();
afterAll(() => s.done());

describe('across processes', () => {
  it('four processes appending under the session lock leave one intact, sealed chain', async () => {
    const file = path.join(s.dir, 'gate-many.jsonl');
    const keyFile = path.join(s.dir, 'k');
    writeFileSync(keyFile, KEY);
    const script = `
      const { appendGateAudit } = await import(${JSON.stringify(path.join(root, 'dist/runtime/audit/gate-audit.js'))});
      const { withSessionLock } = await import(${JSON.stringify(path.join(root, 'dist/runtime/state/budget.js'))});
      const { readAuditKey } = await import(${JSON.stringify(path.join(root, 'dist/audit/key.js'))});
      const key = readAuditKey(${JSON.stringify(keyFile)});
      for (let i = 0; i < 20; i++)
        withSessionLock(${JSON.stringify(s.dir)}, 'many', () => appendGateAudit(${JSON.stringify(file)}, [{ event: 'tool.allowed', tool: 'file.read', n: i, pid: process.pid }], { sealKey: key, chainId: 'many' }));
    `;
    const runs = Array.from(
      { length: 4 },
      () =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'inherit'] });
          child.on('close', resolve);
        }),
    );
    expect(await Promise.all(runs)).toEqual([0, 0, 0, 0]);
    const report = verifyAuditFile(file, { key: KEY, chainId: 'many' });
    expect(report).toMatchObject({ ok: true, lines: 160, seals: 80 });
    expect(new Set(readFileSync(file, 'utf8').match(/"pid":\d+/g)).size).toBe(4);
  }, 60_000);

  it('aex run --audit-key-file seals the run; aex audit verify exits 0, then 1 once a line is edited', () => {
    writeFileSync(path.join(s.dir, 't.aex'), 'task sealed v0\ngoal "x"\nuse noop\n\ndo noop(i=1)\nreturn "done"\n');
    writeFileSync(path.join(s.dir, 'tools.mjs'), 'export default { noop: async () => null };\n');
    writeFileSync(path.join(s.dir, 'audit.key'), 'a run key\n');
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env.AEX_AUDIT_KEY_FILE;
    const aex = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: s.dir, encoding: 'utf8', env });
    const run = aex(['run', 't.aex', '--tools', 'tools.mjs', '--audit', 'run.jsonl', '--audit-key-file', 'audit.key']);
    expect(run.status).toBe(0);
    const lines = readFileSync(path.join(s.dir, 'run.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ event: 'audit.sealed', count: lines.length - 1 });
    const ok = aex(['audit', 'verify', 'run.jsonl', '--key-file', 'audit.key']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('intact');
    expect(aex(['audit', 'verify', 'run.jsonl', '--key-file', 'tools.mjs']).status).toBe(1);
    lines[1] = lines[1]!.replace('"i":1', '"i":2');
    writeFileSync(path.join(s.dir, 'edited.jsonl'), lines.join('\n') + '\n');
    const bad = aex(['audit', 'verify', 'edited.jsonl', '--key-file', 'audit.key']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('edited.jsonl:2: prev');
    expect(aex(['audit', 'verify']).status).toBe(2);
    expect(aex(['audit', 'verify', 'run.jsonl', '--key-file', 'missing.key']).status).toBe(2);
    // An unreadable key stops the run before anything happens.
    const refused = aex(['run', 't.aex', '--tools', 'tools.mjs', '--audit', 'x.jsonl', '--audit-key-file', 'missing.key']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('missing.key');
    const shown = aex(['audit', 'show', 'run.jsonl']);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toMatch(/run +allow +noop +use noop +t\.aex:3/);
  }, 60_000);
});
