import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { aex, tempDir } from '../authoring/cli-helpers.js';
import { aexInProcess as run } from '../helpers/in-process-cli.js';

// Runs the built CLI (npm test builds first): spawned for the first case, in-process
// (tests/helpers/in-process-cli.ts) for the others.
const fixtures = fileURLToPath(new URL('../fixtures/policies/', import.meta.url));

function project(): string {
  const dir = tempDir('aex-effective-');
  mkdirSync(path.join(dir, '.aex'));
  mkdirSync(path.join(dir, 'tasks'));
  copyFileSync(path.join(fixtures, 'workspace.policy.aex'), path.join(dir, '.aex/policy.aex'));
  copyFileSync(path.join(fixtures, 'task.aex'), path.join(dir, 'tasks/fix-test.aex'));
  return dir;
}

describe('aex effective', () => {
  it('prints the docs/design.md#rules-and-permissions layout with the pattern intersection (spawned)', () => {
    const dir = project();
    const r = aex(['effective', '--contract', 'tasks/fix-test.aex'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'Policy:   .aex/policy.aex',
        'Contract: tasks/fix-test.aex',
        '',
        'Allowed:',
        '  file.read',
        '  file.write',
        '  tests.run',
        '',
        'Denied:',
        '  network.*',
        '  secrets.read',
        '',
        'Confirmation required:',
        '  file.write',
        '',
        'Budget:',
        '  calls=20',
        '',
        '',
      ].join('\n'),
    );
  });

  it('--json prints {policy, contract, allow, deny, confirm, budget}', async () => {
    const dir = project();
    const r = await run(['effective', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      policy: '.aex/policy.aex',
      contract: null,
      allow: ['file.read', 'file.write', 'tests.run', 'git.*'],
      deny: ['network.*', 'secrets.read'],
      confirm: ['file.write'],
      budget: { calls: 100 },
    });
  });

  it('JSON policies with path qualifiers and an empty allow list', async () => {
    const dir = tempDir('aex-effective-');
    writeFileSync(path.join(dir, 'p.json'), JSON.stringify({ allow: ['file.read:src/**'], deny: ['file.read:src/secret/**'] }));
    const r = await run(['effective', '--policy', 'p.json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('Policy:   p.json\n\nAllowed:\n  file.read:src/**\n\nDenied:\n  file.read:src/secret/**\n\n');
    writeFileSync(path.join(dir, 'empty.json'), JSON.stringify({ allow: [] }));
    const e = await run(['effective', '--policy', 'empty.json', '--json'], { cwd: dir });
    expect(JSON.parse(e.stdout).allow).toEqual([]);
  });

  it('no policy: warning, exit 1 without --contract, contract alone with it', async () => {
    const dir = tempDir('aex-effective-');
    const r = await run(['effective'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('warn No policy found. Looked for .aex/policy.aex and aex.policy.aex');
    expect(r.stdout).toBe('');
    copyFileSync(path.join(fixtures, 'task.aex'), path.join(dir, 'task.aex'));
    const c = await run(['effective', '--contract', 'task.aex'], { cwd: dir });
    expect(c.code).toBe(0);
    expect(c.stdout.startsWith('Contract: task.aex\n\nAllowed:\n  file.*\n  tests.run\n')).toBe(true);
  });

  it('policy errors exit 1 with one line, no stack trace', async () => {
    const dir = tempDir('aex-effective-');
    writeFileSync(path.join(dir, 'aex.policy.aex'), 'policy broken v0\ngoal "x"\nalow file.read\n');
    const r = await run(['effective'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error .*aex\.policy\.aex:3:1: AEX100/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const t = await run(['effective', '--policy', path.join(fixtures, 'task.aex')], { cwd: dir });
    expect(t.code).toBe(1);
    expect(t.stderr).toMatch(/task contract, not a policy/);
    const m = await run(['effective', '--policy', 'missing.json'], { cwd: dir });
    expect(m.code).toBe(1);
    expect(m.stderr).toMatch(/not found/);
  });
});
