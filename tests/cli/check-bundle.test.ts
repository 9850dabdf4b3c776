// `aex check` runs from its own pre-compiled bundle (bin/aex.js → dist/cli/bundle/check.bundle.cjs):
// it must say and exit exactly what the full CLI's check command does (npm run build first).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'aex-check-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'ok.aex'), 'policy ok v1\ngoal "fine"\nallow file.read:./src/**\n');
writeFileSync(path.join(dir, 'bad.aex'), 'task bad v0\ngoal "g"\nreturn missing\n');
writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ allow: ['file.read'] }));
writeFileSync(path.join(dir, 'policy.aex'), 'policy p v1\ngoal "g"\nallow file.read\n');
writeFileSync(path.join(dir, 't.aex'), 'task t v0\ngoal "g"\nuse file.read, file.write\ndo file.read()\ndo file.write()\nreturn 1\n');

const viaBin = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'aex.js'), 'check', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const viaCli = (args: string[]) =>
  spawnSync(process.execPath, ['--input-type=module', '-e', `import('${path.join(ROOT, 'dist', 'cli', 'main.js')}').then((m) => m.main(process.argv))`, 'aex', 'check', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

it('the bundle exists after a build', () => {
  expect(existsSync(path.join(ROOT, 'dist', 'cli', 'bundle', 'check.bundle.cjs'))).toBe(true);
});

it.each([
  [['ok.aex']],
  [['bad.aex']],
  [['ok.aex', 'bad.aex', '--json']],
  [['nonexistent.aex']],
  [[]],
  [['--strict', 'ok.aex']],
  // A policy the loader must compile (an .aex) or read (JSON): the compiler is loaded on demand.
  [['--policy', 'policy.json', 't.aex']],
  [['--policy', 'policy.aex', 't.aex']],
])('check %j: same output and exit code as the full CLI', (args) => {
  const a = viaBin(args.map((x) => (/\.(aex|json)$/.test(x) ? path.join(dir, x) : x)));
  const b = viaCli(args.map((x) => (/\.(aex|json)$/.test(x) ? path.join(dir, x) : x)));
  expect({ status: a.status, stdout: a.stdout, stderr: a.stderr }).toEqual({ status: b.status, stdout: b.stdout, stderr: b.stderr });
});
