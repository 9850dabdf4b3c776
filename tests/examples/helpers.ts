// Runs an example under examples/ on a temporary copy (the checked-in files are never
// modified) with the real CLI, and reads back stdout and the audit file.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'bin', 'aex.js');

export interface ExampleRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Audit events in file order. */
  events: Array<{ event: string; seq: number } & Record<string, unknown>>;
  /** The temporary copy the run used as its working directory. */
  dir: string;
}

/** Copies examples/NAME into a fresh temp dir; `withNodeModules` links the repo's node_modules next to it. */
export function copyExample(name: string, opts: { withNodeModules?: boolean } = {}): string {
  const parent = mkdtempSync(path.join(os.tmpdir(), `aex-example-${name}-`));
  const dir = path.join(parent, name);
  cpSync(path.join(root, 'examples', name), dir, { recursive: true });
  // Modules the example imports (e.g. the MCP SDK) resolve through the parent's node_modules.
  if (opts.withNodeModules) symlinkSync(path.join(root, 'node_modules'), path.join(parent, 'node_modules'), 'dir');
  return dir;
}

/** `node bin/aex.js run ARGS` in `dir`, bounded by `timeoutMs`; the audit goes to audit.jsonl there. */
export function runExample(dir: string, args: string[], timeoutMs = 60_000): ExampleRun {
  const r = spawnSync(process.execPath, [cli, 'run', ...args, '--audit', 'audit.jsonl'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    stdio: ['ignore', 'pipe', 'pipe'],
    // `node` in an example's mcp.json must be this Node; AEX_MODEL must not add a provider.
    env: { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ''}`, AEX_MODEL: '' },
  });
  const auditFile = path.join(dir, 'audit.jsonl');
  const events = existsSync(auditFile)
    ? readFileSync(auditFile, 'utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as ExampleRun['events'][number])
    : [];
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', events, dir };
}

export function readJson<T = unknown>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** Path → contents of every file under dir (to prove the checked-in example is unchanged). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p, 'base64');
    }
  };
  walk(dir);
  return out;
}
