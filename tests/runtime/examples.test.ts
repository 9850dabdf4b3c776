// Every runnable example under examples/ runs here, on a temporary copy.
import { describe, expect, it, vi } from 'vitest';

// These tests spawn processes; under a loaded machine they need more than the default 5 s.
vi.setConfig({ testTimeout: 60_000 });
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('examples', () => {
  it('fix-test: npm run demo fixes the failing test on a temp copy and leaves the example unchanged', () => {
    const before = readFileSync(path.join(root, 'examples/fix-test/src/math.js'), 'utf8');
    const r = spawnSync(process.execPath, [path.join(root, 'scripts/demo.mjs')], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { status: string; exit_before: number; exit_after: number; patch: string };
    expect(out).toMatchObject({ status: 'fixed', exit_before: 1, exit_after: 0 });
    expect(out.patch).toContain('+  return a + b;');
    const m = /audit log: (.+\.jsonl)/.exec(r.stderr);
    expect(m).not.toBeNull();
    const events = readFileSync(m![1]!, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; seq: number });
    expect(events.map((e) => e.event)).toEqual([
      'run.started',
      'tool.allowed', 'tool.result',
      'check.passed',
      'tool.allowed', 'tool.result',
      'make.result',
      'check.passed', 'check.passed',
      'confirm.required', 'confirm.approved',
      'tool.allowed', 'tool.result',
      'tool.allowed', 'tool.result',
      'check.passed',
      'run.finished',
    ]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const fixedFile = path.join(path.dirname(m![1]!), 'src/math.js');
    expect(readFileSync(fixedFile, 'utf8')).toContain('return a + b;');
    expect(readFileSync(path.join(root, 'examples/fix-test/src/math.js'), 'utf8')).toBe(before);
  }, 120_000);
});
