// The commands through the real CLI (bin/aex.js, dist/): `aex init --policy` writes a
// starter test that `aex test` passes; a broken expectation exits 1; `aex grant` refuses
// to make a grant without a terminal (as from an agent's shell tool) but lists; `aex
// suggest` needs an audit.
import { describe, expect, it, vi } from 'vitest';
import { appendFileSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { aex } from '../cli/helpers.js';

vi.setConfig({ testTimeout: 60_000 });

describe('aex test, grant and suggest from the command line', () => {
  it('runs end to end', () => {
    const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-policytest-cli-')));
    const env = { AEX_STATE_DIR: path.join(dir, '.state') };
    try {
      execFileSync('git', ['init', '-q'], { cwd: dir });
      expect(aex(['init', '--policy'], { cwd: dir, env }).code).toBe(0);

      const passed = aex(['test'], { cwd: dir, env });
      expect(passed.stdout).toMatch(/^\.aex\/policy\.test\.aex \(policytest workspace v0\) against \.aex\/policy\.aex\n/);
      expect(passed.stdout).toMatch(/\n13 passed, 0 failed\n$/);
      expect(passed.code).toBe(0);

      appendFileSync(path.join(dir, '.aex', 'policy.test.aex'), 'expect allow file.read "/etc/hosts"\n');
      const failed = aex(['test', '--json'], { cwd: dir, env });
      expect(failed.code).toBe(1);
      expect(JSON.parse(failed.stdout)).toMatchObject({ passed: 13, failed: 1 });

      const grant = aex(['grant', 'shell.exec:"npm test"'], { cwd: dir, env });
      expect(grant.code).toBe(2);
      expect(grant.stderr).toMatch(/needs a person at a terminal/);
      expect(aex(['grant', '--list'], { cwd: dir, env }).stdout).toBe('no grants\n');

      expect(aex(['suggest'], { cwd: dir, env }).code).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
