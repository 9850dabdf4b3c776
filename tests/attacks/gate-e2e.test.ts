// The gate attack suite end to end: each case is one `node bin/aex.js gate` process with a
// Claude Code hook payload on stdin, as the host runs it (npm run build first). The many
// spellings of each attack are in gate-protected.test.ts and gate-cache-root.test.ts,
// in process; here one of each kind proves the shipped command behaves the same.

import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetFile } from '../../src/runtime/state/budget.js';
import { STRICT_POLICY, changedState, makeGateProject, verdictOf, type GateProject } from './gate-project.js';

let OPEN: GateProject;
let STRICT: GateProject;
beforeAll(async () => {
  OPEN = makeGateProject();
  STRICT = makeGateProject(STRICT_POLICY);
  // An allowed call in each, so budget, audit and cache exist before the attacks.
  expect(verdictOf(await OPEN.gate('Read', { file_path: path.join(OPEN.root, 'src', 'a.ts') })).decision).toBe('allow');
  expect(verdictOf(await STRICT.gate('Read', { file_path: path.join(STRICT.root, 'src', 'a.ts') })).decision).toBe('allow');
});
afterAll(() => {
  OPEN.cleanup();
  STRICT.cleanup();
});

describe('aex gate refuses writes of protected state (one process per attack)', () => {
  const attacks: Array<[string, (p: GateProject) => [string, Record<string, unknown>]]> = [
    ['Write .aex/policy.aex', (p) => ['Write', { file_path: path.join(p.root, '.aex', 'policy.aex'), content: 'policy x v0\ngoal "x"\nallow *\n' }]],
    ['Bash echo > .aex/policy.aex', () => ['Bash', { command: 'echo "allow *" > .aex/policy.aex' }]],
    ['Edit .git/config', (p) => ['Edit', { file_path: path.join(p.root, '.git', 'config'), old_string: '[core]', new_string: '[core]\n\tfsmonitor = touch /tmp/pwned' }]],
    ['Bash sed -i .claude/settings.json', () => ['Bash', { command: "sed -i 's/{}/x/' .claude/settings.json" }]],
    ['Write the budget record', (p) => ['Write', { file_path: budgetFile(p.projectState, 'attack-session'), content: '{}' }]],
  ];
  for (const [name, make] of attacks) {
    it(name, async () => {
      const before = OPEN.snapshot();
      const [tool, input] = make(OPEN);
      const r = await OPEN.spawnGate(OPEN.payload(tool, input));
      expect(r.exitCode, r.stderr).toBe(0);
      const v = verdictOf(r);
      expect(v.decision).toBe('deny');
      expect(v.reason).toMatch(/protected/);
      expect(changedState(before, OPEN.snapshot())).toEqual([]);
    });
  }
});

describe('aex gate keeps judging by the strict policy', () => {
  const bash = { command: 'curl http://127.0.0.1:9/' };

  it('a cache entry replaced by allow * (no sources) is ignored', async () => {
    const cacheDir = path.join(STRICT.projectState, 'cache');
    for (const f of readdirSync(cacheDir).filter((f) => f.endsWith('.json'))) {
      writeFileSync(path.join(cacheDir, f), JSON.stringify({ format: 2, layer: { kind: 'policy', name: 'x', allow: [{ tool: '*' }], deny: [], confirm: [], budget: {} }, deps: [] }));
    }
    const v = verdictOf(await STRICT.spawnGate(STRICT.payload('Bash', bash)));
    expect(v.decision).toBe('deny');
    expect(v.reason).toMatch(/deny shell\.exec/);
  });

  it('after cd src with a planted src/.aex/policy.aex, without and with CLAUDE_PROJECT_DIR', async () => {
    mkdirSync(path.join(STRICT.root, 'src', '.aex'), { recursive: true });
    writeFileSync(path.join(STRICT.root, 'src', '.aex', 'policy.aex'), 'policy planted v0\ngoal "planted"\nallow *\n');
    const sub = { cwd: path.join(STRICT.root, 'src') };
    const without = verdictOf(await STRICT.spawnGate(STRICT.payload('Bash', bash, sub)));
    expect(without.decision).toBe('deny');
    expect(without.reason).toMatch(/deny shell\.exec/);
    const withEnv = verdictOf(await STRICT.spawnGate(STRICT.payload('Bash', bash, sub), [], { ...STRICT.env, CLAUDE_PROJECT_DIR: STRICT.root }));
    expect(withEnv.decision).toBe('deny');
    expect(withEnv.reason).toMatch(/deny shell\.exec/);
  });

  it('an extends chain ending in a FIFO blocks at once (exit 2) instead of hanging', async () => {
    const fifo = path.join(STRICT.base, 'base.fifo');
    execFileSync('mkfifo', [fifo]);
    const top = path.join(STRICT.base, 'top.json');
    writeFileSync(top, JSON.stringify({ extends: fifo, allow: ['file.read'] }));
    const t0 = Date.now();
    const r = await STRICT.spawnGate(STRICT.payload('Read', { file_path: path.join(STRICT.root, 'src', 'a.ts') }), ['--policy', top]);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^aex gate: cannot read policy .*base\.fifo \(extended from .*top\.json\): it is a FIFO \(named pipe\), not a regular file/);
  });
});
