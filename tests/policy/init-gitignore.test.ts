// `aex init` keeps local state under .aex out of commits: git itself (with hooks off)
// is asked which files it would add.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { initPolicy } from '../../src/authoring/init.js';

it('.aex/.gitignore: the policy and its test are committed, caches, budgets, audit and local files are not', () => {
  const d = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-gitignore-')));
  try {
    const r = initPolicy(d);
    expect(r.written).toContain('.aex/.gitignore');
    expect(r.messages).toContain('✔ Local state kept out of commits by .aex/.gitignore');
    expect(readFileSync(path.join(d, '.aex', '.gitignore'), 'utf8')).toMatch(/^cache\/$/m);
    for (const f of ['cache/x.json', 'audit/gate-s.jsonl', 'gate-budget/k.json', '.gate-budget.json', 'policy.local.aex', 'x.tmp']) {
      mkdirSync(path.dirname(path.join(d, '.aex', f)), { recursive: true });
      writeFileSync(path.join(d, '.aex', f), 'x');
    }
    const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: d };
    const git = (...a: string[]) => spawnSync('git', ['-c', 'core.hooksPath=/dev/null', ...a], { cwd: d, env, encoding: 'utf8' });
    if (git('init', '-q').status !== 0) return;
    const added = git('add', '--dry-run', '.').stdout.split('\n').filter(Boolean).map((l) => l.replace(/^add '(.*)'$/, '$1')).sort();
    expect(added).toEqual(['.aex/.gitignore', '.aex/policy.aex', '.aex/policy.test.aex']);
    // A second init skips it, never overwrites it.
    expect(initPolicy(d).skipped).toContain('.aex/.gitignore');
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
