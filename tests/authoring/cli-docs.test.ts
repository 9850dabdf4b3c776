import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ROOT, aex } from './cli-helpers.js';

// These tests spawn the CLI; leave room for a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

describe('docs/cli.md is generated from the cac definitions', () => {
  const generated = spawnSync(process.execPath, [join(ROOT, 'scripts', 'gen-cli-docs.mjs')], { cwd: ROOT, encoding: 'utf8' });

  it('the checked-in file equals the generator output (regenerate: node scripts/gen-cli-docs.mjs --write)', () => {
    expect(generated.status).toBe(0);
    const checkedIn = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
    expect(checkedIn).toBe(generated.stdout);
  });

  it('documents every command that `aex --help` lists, with its options', () => {
    const help = aex(['--help']).stdout;
    const names = [...help.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!);
    expect(names).toContain('sign');
    for (const name of names) expect(generated.stdout).toContain(`## aex ${name}\n`);
    for (const opt of ['--key-file <path>', '--max-retries <n>', '--auto-confirm', '--from-plan <file>']) {
      expect(generated.stdout).toContain(`\`${opt}\``);
    }
  });
});
