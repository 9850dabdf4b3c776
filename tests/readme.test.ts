import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

// Runs every `sh` block of the README's tour, in order, as one bash script. The
// quick-start block is exercised by CI itself (`npm ci`, `npm test`) and by the
// examples test (`npm run demo`).

const ROOT = join(__dirname, '..');

it('every command of the README tour runs as written', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const tour = readme.slice(readme.indexOf('## A tour'), readme.indexOf('## Reference'));
  const blocks = [...tour.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
  expect(blocks.length).toBeGreaterThan(5);
  // The tour makes its own scratch folder with mktemp; TMPDIR puts it under one this test removes.
  const dir = mkdtempSync(join(tmpdir(), 'aex-readme-'));
  const script = ['set -euo pipefail', `cd ${JSON.stringify(ROOT)}`, ...blocks].join('\n');
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, NO_COLOR: '1', TMPDIR: dir, AEX_STATE_DIR: join(dir, 'state') } });
  const log = `exit ${r.status}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
  expect(r.status, log).toBe(0);
  // What the tour says happens does happen.
  expect(r.stdout).toContain('policy workspace v0');
  // aex explain: the compound line is denied by its second command, the install asks.
  expect(r.stdout).toMatch(/^ {2}deny +shell\.exec +rm -rf \/ +deny shell\.exec:"rm -rf \/ \*" {2}\.aex\/policy\.aex:\d+$/m);
  expect(r.stdout).toMatch(/^Decision: confirm$/m);
  expect(r.stdout).toMatch(/^Decision: not_allowed$/m);
  expect(r.stdout).toContain('"status": "fixed"');
  expect(r.stdout).toContain('"permissionDecision":"deny"');
  expect(r.stdout).toContain('"permissionDecision":"allow"');
  expect(r.stdout).toContain('aex_checkpoint');
  expect(r.stdout).toMatch(/flowchart|graph/);
  rmSync(dir, { recursive: true, force: true });
});

it('the README LangGraph program is the one docs/langgraph.md runs in its test', () => {
  const js = (text: string, from: string) => {
    const m = /```js\n([\s\S]*?)```/.exec(text.slice(text.indexOf(from)));
    return m?.[1];
  };
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const doc = readFileSync(join(ROOT, 'docs', 'langgraph.md'), 'utf8');
  expect(js(readme, '### 4.')).toBeDefined();
  expect(js(readme, '### 4.')).toBe(js(doc, '## In your own LangGraph application'));
});
