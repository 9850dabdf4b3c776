// `aex compile`, `parse` and `fmt` run from their own pre-compiled bundle (bin/aex.js →
// dist/cli/bundle/compile.bundle.cjs, src/cli/compile-entry.ts): they must print, write and
// exit exactly what the full CLI's commands do, on good and bad input (npm run build first).
// Both are run in this process, output captured, so the many cases cost no process each;
// a few spawned runs check bin/aex.js's routing and its fallback to the full CLI.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { ROOT, tempDir } from './helpers.js';

const BUNDLE_DIR = path.join(ROOT, 'dist', 'cli', 'bundle');
const dir = tempDir('aex-compile-bundle-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files: Record<string, string> = {
  'task.aex': 'task t v1\ngoal "g"\nuse file.read\nneed files: list[file]\ndo file.read(paths=files) -> r\ncheck r has "x"\nreturn r\n',
  'policy.aex': 'policy p v1\ngoal "g"\nallow file.read:./src/**\ndeny network.*\n',
  // Needs IR v2: a command qualifier.
  'v2.aex': 'policy p v1\ngoal "g"\nallow shell.exec:"git status"\n',
  // A syntax error and a validation error: file:line:col: code message, with carets.
  'bad.aex': 'task bad v0\ngoal "g"\ndo foo(\n',
  'invalid.aex': 'task bad v0\ngoal "g"\nreturn missing\n',
  'unformatted.aex': 'task   t v1\ngoal    "g"\nreturn   1\n',
  'nul.aex': 'task t v1\0\n',
};
const sources = path.join(dir, 'inputs');
mkdirSync(sources);
for (const [name, text] of Object.entries(files)) writeFileSync(path.join(sources, name), text);

interface Outcome {
  handled?: boolean;
  exitCode: number;
  stdout: string;
  stderr: string;
  written?: string | null;
}

type Main = (argv: string[]) => Promise<unknown>;

/** Runs one command line in this process, capturing what it prints and its exit code. */
async function capture(main: Main, args: string[], outFile?: string): Promise<Outcome> {
  const out: string[] = [];
  const err: string[] = [];
  const saved = { stdout: process.stdout.write, stderr: process.stderr.write, log: console.log, exitCode: process.exitCode };
  // cac prints help and version with console.log.
  console.log = (...xs: unknown[]) => void out.push(xs.join(' ') + '\n');
  process.stdout.write = ((chunk: string | Uint8Array) => (out.push(String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => (err.push(String(chunk)), true)) as typeof process.stderr.write;
  process.exitCode = undefined;
  let handled: unknown;
  let exitCode: number;
  try {
    handled = await main([process.execPath, 'aex', ...args]);
  } finally {
    exitCode = Number(process.exitCode ?? 0);
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    console.log = saved.log;
    process.exitCode = saved.exitCode;
  }
  const written = outFile === undefined ? undefined : existsSync(outFile) ? readFileSync(outFile, 'utf8') : null;
  return { ...(typeof handled === 'boolean' ? { handled } : {}), exitCode, stdout: out.join(''), stderr: err.join(''), ...(outFile ? { written } : {}) };
}

const require = createRequire(import.meta.url);
const { createGateLoader } = require(path.join(ROOT, 'bin', 'gate-loader.js')) as {
  createGateLoader(dir: string): { load(name: string): { compileMain: Main } };
};
const bundled = () => createGateLoader(BUNDLE_DIR).load('compile.bundle.cjs').compileMain;
const full = async (): Promise<Main> => ((await import(pathToFileURL(path.join(ROOT, 'dist', 'cli', 'main.js')).href)) as { main: Main }).main;

/** Each run gets its own copy of the inputs, so fmt's rewrites and -o's files can be compared. */
function inputs(tag: string): string {
  const d = path.join(dir, tag);
  cpSync(sources, d, { recursive: true });
  return d;
}

it('the bundle exists after a build and holds no LangGraph', () => {
  const file = path.join(BUNDLE_DIR, 'compile.bundle.cjs');
  expect(existsSync(file)).toBe(true);
  expect(readFileSync(file, 'utf8')).not.toMatch(/@langchain\/langgraph/);
});

const cases: string[][] = [
  ['compile', 'task.aex'],
  ['compile', 'policy.aex'],
  ['compile', 'v2.aex'],
  ['compile', 'v2.aex', '--ir', 'v1'],
  ['compile', 'task.aex', '--ir', 'v0'],
  ['compile', 'task.aex', '--ir', 'v2'],
  ['compile', 'task.aex', '--ir', 'v9'],
  ['compile', 'task.aex', '-o', 'out.json'],
  ['compile', 'bad.aex'],
  ['compile', 'invalid.aex'],
  ['compile', 'nul.aex'],
  ['compile', 'missing.aex'],
  ['compile'],
  ['parse', 'task.aex'],
  ['parse', 'bad.aex'],
  ['parse', 'bad.aex', '--tolerant'],
  ['fmt', '--check', 'unformatted.aex', 'task.aex'],
  ['fmt', 'unformatted.aex'],
  ['fmt', 'bad.aex'],
  ['fmt', '.'],
  ['fmt'],
];

it.each(cases.map((args, i) => [args, i] as const))('%j: the bundle prints, writes and exits as the full CLI does', async (args, i) => {
  const run = async (main: Main, tag: string) => {
    const d = inputs(tag);
    const abs = args.map((a) => (/\.(aex|json)$/.test(a) || a === '.' ? path.join(d, a) : a));
    const outIndex = args.indexOf('-o');
    const outcome = await capture(main, abs, outIndex >= 0 ? abs[outIndex + 1] : undefined);
    const formatted = args[0] === 'fmt' ? readFileSync(path.join(d, 'unformatted.aex'), 'utf8') : undefined;
    // Paths differ by folder only; compare them as written in the other folder.
    const same = (s: string) => s.split(d).join('<dir>');
    return { ...outcome, stdout: same(outcome.stdout), stderr: same(outcome.stderr), written: outcome.written && same(outcome.written), formatted };
  };
  const a = await run(bundled(), `bundle-${i}`);
  const b = await run(await full(), `full-${i}`);
  expect(a.handled).toBe(true);
  delete a.handled;
  expect(a).toEqual(b);
});

it.each([
  [['compile', '--help']],
  [['compile', 'task.aex', '--graph']],
  [['compile', 'task.aex', '--graph=true']],
  [['parse', '-h']],
  [['fmt', '--version']],
  [['compile', 'task.aex', '-v']],
  [['check', 'task.aex']],
])('%j is left to the full CLI: the bundle does nothing and says so', async (args) => {
  const d = inputs(`left-${args.join('-')}`);
  const outcome = await capture(
    bundled(),
    args.map((a) => (a.endsWith('.aex') ? path.join(d, a) : a)),
  );
  expect(outcome).toEqual({ handled: false, exitCode: 0, stdout: '', stderr: '' });
});

const viaBin = (args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin', 'aex.js'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

it('bin/aex.js runs compile from the bundle, with the full CLI\'s diagnostics and exit code', () => {
  const r = viaBin(['compile', path.join(sources, 'bad.aex')]);
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr).toContain(`${path.join(sources, 'bad.aex')}:3:7: error AEX102: unclosed "(" (opened here) at end of file\n`);
  const ok = viaBin(['compile', path.join(sources, 'task.aex')]);
  expect(ok.status).toBe(0);
  expect(JSON.parse(ok.stdout)).toMatchObject({ irVersion: 'aex-ir/1', kind: 'task', name: 't' });
});

it('bin/aex.js falls back to the full CLI for what the bundle leaves (help lists every command)', () => {
  const r = viaBin(['compile', '--help']);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('$ aex compile <file>');
  expect(r.stdout).toContain('--graph');
});
