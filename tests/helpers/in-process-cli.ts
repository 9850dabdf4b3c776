// Runs an `aex` command line inside the test process: the built CLI's entry functions
// (dist/, the code bin/aex.js runs) called with argv, stdout and stderr captured, and the
// exit code the process would have ended with. It saves a node start-up and a module load
// per case (a spawned CLI costs ~0.3 s of a 2-core machine); tests that check how a user
// sees a command (exit status and stdio of a real process) keep spawning it through
// tests/cli/helpers.ts, a few per command.
//
// What it models of a real run, and what it refuses:
// - argv goes through the same routing as bin/aex.js (check to its own entry; compile, parse
//   and fmt to theirs, falling back to the full CLI when that entry declines), except `gate`,
//   which has its own in-process seam (runGate) and is refused here.
// - process.argv is the command line (some options are read from it verbatim); cwd and
//   environment are the process's for the duration of the call (NO_COLOR=1 as the
//   spawning runner sets it; `env` entries are added, an `undefined` value removes one;
//   `exactEnv` is the whole environment instead, as spawn's `env` option).
// - stdin is not a terminal and is empty, as in the spawning runner without `input`; stdout
//   and stderr are not terminals either. Output is captured whether it goes through the
//   streams, console or fs.writeSync on fd 1 and 2 (the audit's stderr sinks write that way).
// - the exit code is process.exitCode when the command returns (0 when unset). A command that
//   calls process.exit is not modelled: the call fails, so such a case must spawn.
// - calls are serialised: two at once would share the patched streams.
import fs, { existsSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AEX, ROOT, type CliRun } from '../cli/helpers.js';

export type { CliRun };

export interface InProcessOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** The whole environment of the call (nothing else, not even NO_COLOR), like spawn's `env`. */
  exactEnv?: Record<string, string | undefined>;
}

type Main = (argv: string[]) => Promise<void>;
interface Entries {
  main: Main;
  checkMain: Main;
  compileMain: (argv: string[]) => Promise<boolean>;
}

// dist/ is loaded by Node itself (require of an ES module, Node >= 20.19), not through vitest's
// transform: the modules the binary runs, their own lazy imports included, at the cost of a
// plain load (a third of a transformed one).
const requireDist = createRequire(import.meta.url);

let entries: Entries | undefined;
function loadEntries(): Entries {
  if (entries) return entries;
  const load = (rel: string) => {
    const p = join(ROOT, 'dist', 'cli', rel);
    if (!existsSync(p)) throw new Error(`${p} is missing: run \`npm run build\` first`);
    return requireDist(p) as Record<string, unknown>;
  };
  entries = {
    main: load('main.js').main as Main,
    checkMain: load('check-entry.js').checkMain as Main,
    compileMain: load('compile-entry.js').compileMain as Entries['compileMain'],
  };
  return entries;
}

class ProcessExitCalled extends Error {}

let busy: Promise<unknown> = Promise.resolve();

/** Runs `aex ARGS` in-process; resolves to what a spawned run would have shown. */
export function aexInProcess(args: string[], opts: InProcessOptions = {}): Promise<CliRun> {
  const run = busy.then(() => runOnce(args, opts));
  busy = run.catch(() => undefined);
  return run;
}

async function runOnce(args: string[], opts: InProcessOptions): Promise<CliRun> {
  if (args[0] === 'gate') throw new Error('aexInProcess does not run `aex gate`: use runGate (src/gate) or spawn the CLI');
  const { main, checkMain, compileMain } = loadEntries();
  const argv = [process.execPath, AEX, ...args];

  const stdout: string[] = [];
  const stderr: string[] = [];
  const capture =
    (sink: string[]) =>
    (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
      sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    };

  const writeSync = fs.writeSync;
  const fdWrite = (fd: number, data: unknown, ...rest: unknown[]): number => {
    const sink = fd === 1 ? stdout : fd === 2 ? stderr : undefined;
    if (sink === undefined) return (writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    if (typeof data === 'string') {
      sink.push(data);
      return Buffer.byteLength(data);
    }
    const view = data as ArrayBufferView;
    const bytes = Buffer.from(view.buffer, view.byteOffset, view.byteLength);
    const offset = typeof rest[0] === 'number' ? rest[0] : 0;
    const length = typeof rest[1] === 'number' ? rest[1] : bytes.length - offset;
    sink.push(bytes.subarray(offset, offset + length).toString('utf8'));
    return length;
  };

  const saved = {
    argv: process.argv,
    cwd: process.cwd(),
    exitCode: process.exitCode,
    exit: process.exit,
    outWrite: process.stdout.write,
    errWrite: process.stderr.write,
    outTty: Object.getOwnPropertyDescriptor(process.stdout, 'isTTY'),
    errTty: Object.getOwnPropertyDescriptor(process.stderr, 'isTTY'),
    stdin: Object.getOwnPropertyDescriptor(process, 'stdin'),
    console: { log: console.log, info: console.info, warn: console.warn, error: console.error },
    env: new Map<string, string | undefined>(),
  };
  const setEnv = (name: string, value: string | undefined) => {
    if (!saved.env.has(name)) saved.env.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };

  let exitCalled: number | string | null | undefined;
  try {
    if (opts.exactEnv !== undefined) {
      if (opts.env !== undefined) throw new Error('give env or exactEnv, not both');
      for (const k of Object.keys(process.env)) if (!(k in opts.exactEnv)) setEnv(k, undefined);
      for (const [k, v] of Object.entries(opts.exactEnv)) setEnv(k, v);
    } else {
      for (const [k, v] of Object.entries({ NO_COLOR: '1', ...opts.env })) setEnv(k, v);
    }
    process.chdir(opts.cwd ?? ROOT);
    // Commands read some options from the raw argv (src/cli/raw-argv.ts), as in a real run.
    process.argv = argv;
    process.exitCode = undefined;
    process.stdout.write = capture(stdout) as typeof process.stdout.write;
    process.stderr.write = capture(stderr) as typeof process.stderr.write;
    fs.writeSync = fdWrite as typeof fs.writeSync;
    syncBuiltinESMExports();
    Object.defineProperty(process.stdout, 'isTTY', { value: undefined, configurable: true, writable: true });
    Object.defineProperty(process.stderr, 'isTTY', { value: undefined, configurable: true, writable: true });
    // An empty, non-terminal stdin (a spawned run gets an empty pipe).
    const stdin = Readable.from([]) as unknown as NodeJS.ReadStream;
    Object.defineProperty(process, 'stdin', { value: stdin, configurable: true, writable: true });
    // cac prints help and version with console.log.
    const line = (sink: string[]) => (...parts: unknown[]) => void sink.push(`${parts.map(String).join(' ')}\n`);
    console.log = line(stdout);
    console.info = line(stdout);
    console.warn = line(stderr);
    console.error = line(stderr);
    process.exit = ((code?: number | string | null) => {
      exitCalled = code;
      throw new ProcessExitCalled(`process.exit(${String(code)}) called in-process`);
    }) as typeof process.exit;

    if (args[0] === 'check') await checkMain(argv);
    else if (args[0] === 'compile' || args[0] === 'parse' || args[0] === 'fmt') {
      if (!(await compileMain(argv))) await main(argv);
    } else await main(argv);

    const code = process.exitCode ?? 0;
    return { code: typeof code === 'number' ? code : Number(code), stdout: stdout.join(''), stderr: stderr.join('') };
  } catch (err) {
    if (exitCalled !== undefined || err instanceof ProcessExitCalled) {
      throw new Error(`aex ${args.join(' ')} called process.exit(${String(exitCalled)}): spawn the CLI for this case`);
    }
    throw err;
  } finally {
    process.argv = saved.argv;
    process.exit = saved.exit;
    process.stdout.write = saved.outWrite;
    process.stderr.write = saved.errWrite;
    fs.writeSync = writeSync;
    syncBuiltinESMExports();
    restoreProperty(process.stdout, 'isTTY', saved.outTty);
    restoreProperty(process.stderr, 'isTTY', saved.errTty);
    restoreProperty(process, 'stdin', saved.stdin);
    Object.assign(console, saved.console);
    process.exitCode = saved.exitCode;
    process.chdir(saved.cwd);
    for (const [k, v] of saved.env) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function restoreProperty(target: object, name: string, desc: PropertyDescriptor | undefined): void {
  if (desc) Object.defineProperty(target, name, desc);
  else delete (target as Record<string, unknown>)[name];
}
