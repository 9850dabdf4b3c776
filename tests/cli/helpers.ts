import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const AEX = join(ROOT, 'bin', 'aex.js');
export const BIN = AEX;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}
export type CliResult = CliRun;

/** Runs the built CLI in `cwd` (`npm test` builds dist/ first). */
export function aex(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}): CliRun {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('dist/ is missing: run `npx tsc -p tsconfig.json` first');
  }
  const r = spawnSync(process.execPath, [AEX, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary directory, by its real path (so results never depend on a symlinked tmp). */
export function tempDir(prefix = 'aex-test-'): string {
  return realpathSync(mkdtempSync(join(tmpdir(), prefix)));
}
