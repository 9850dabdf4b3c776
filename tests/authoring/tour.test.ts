import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BIN, ROOT, tempDir } from './cli-helpers.js';

// docs/tour.md is executable documentation: every ```sh block runs, in order, in one
// fresh directory, with `aex` on PATH. A block tagged ```sh exit=N must exit with N;
// any other block must succeed (it runs under `set -e`). An HTML comment
// `<!-- tour-check: COMMAND -->` (invisible when rendered) runs right after the block
// before it and must succeed.

vi.setConfig({ testTimeout: 120_000 });

interface Step {
  kind: 'block' | 'check';
  code: string;
  exit: number;
  line: number;
}

function tourSteps(md: string): Step[] {
  const steps: Step[] = [];
  const re = /^```sh( exit=(\d+))?\n([\s\S]*?)^```$|<!-- tour-check: ([\s\S]*?) -->/gm;
  for (let m = re.exec(md); m; m = re.exec(md)) {
    const line = md.slice(0, m.index).split('\n').length;
    if (m[4] !== undefined) steps.push({ kind: 'check', code: m[4], exit: 0, line });
    else steps.push({ kind: 'block', code: m[3]!, exit: m[2] ? Number(m[2]) : 0, line });
  }
  return steps;
}

describe('docs/tour.md', () => {
  const md = readFileSync(join(ROOT, 'docs', 'tour.md'), 'utf8');
  const steps = tourSteps(md);
  const dir = tempDir('aex-tour-');
  const bin = join(tempDir('aex-tour-bin-'), 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'aex'), `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
  chmodSync(join(bin, 'aex'), 0o755);
  const env = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
    AEX_MODEL: '',
    GIT_AUTHOR_NAME: 'tour',
    GIT_AUTHOR_EMAIL: 'tour@example.invalid',
    GIT_COMMITTER_NAME: 'tour',
    GIT_COMMITTER_EMAIL: 'tour@example.invalid',
  };

  it('has runnable blocks', () => {
    expect(steps.filter((s) => s.kind === 'block').length).toBeGreaterThanOrEqual(15);
  });

  // The blocks depend on each other, so they run as one test, in order.
  it('every command block runs as documented', () => {
    for (const step of steps) {
      const script = step.kind === 'block' && step.exit === 0 ? `set -e\n${step.code}` : step.code;
      const r = spawnSync('bash', ['-c', script], { cwd: dir, env, encoding: 'utf8', input: '', timeout: 60_000 });
      const where = `docs/tour.md:${step.line} (${step.kind}) status=${r.status} signal=${r.signal} error=${r.error?.message ?? ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;
      expect(r.status, where).toBe(step.exit);
      expect(r.stderr, where).not.toMatch(/error internal|at .*\.js:\d+:\d+/);
    }
  });
});
