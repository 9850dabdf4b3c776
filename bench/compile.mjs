// Compiler throughput: contracts of 1k, 10k and 100k lines, lines per second for
// each, and the 100k/10k time ratio (linear growth means ≈10), measured twice:
//   compileSource  parse, validate, lower, in memory;
//   end to end     what `aex compile FILE` does after start-up: read and decode the file,
//                  compile it, check the IR against its published schema, print the JSON.
// Then the CLI as a user runs it: `node bin/aex.js compile` (its bundle) and the full CLI,
// each on the 10k-line contract against the same command on a 10-line one, alternated (the
// difference is the compile itself, start-up taken out). Also the cold start of `aex check` on a 30-line
// policy against `node -e 0`, alternated in one run. --no-cli / --no-cold skip those.
//
// Run after `npm run build`: node bench/compile.mjs [--dist DIR] [--base DIR] [--runs N] [--no-cli] [--no-cold]
//   --dist DIR  the build to measure (default dist/)
//   --base DIR  a second build (e.g. `tsc --outDir DIR` of an older tree), measured in the
//               same run: each build in its own process, taking turns, best of 3 rounds
//   --runs N    timed repetitions per size and round (the best is printed; default 5)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateContract } from './contract.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const decoder = new TextDecoder('utf-8', { fatal: true });

function arg(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** The compiler of one build, and its end-to-end path as the CLI runs it. */
async function loadBuild(dir) {
  const url = (p) => pathToFileURL(join(resolve(dir), p)).href;
  const compiler = await import(url('compiler/index.js'));
  // The command's own IR printer (schema check and print); a build older than it is given
  // the same steps inline.
  const irOutput = await import(url('cli/ir-output.js')).then(
    (m) => m.irOutput,
    async () => {
      const ir = await import(url('ir/validate.js'));
      return (doc) => {
        const check = ir.validateIR(doc);
        if (!check.valid) throw new Error('self-check failed: ' + JSON.stringify(check.errors.slice(0, 3)));
        return JSON.stringify(doc, null, 2) + '\n';
      };
    },
  );
  return {
    dir,
    compileSource: compiler.compileSource,
    // As `aex compile` does (src/cli/commands/compile.ts): read and decode the bytes, compile
    // with the bytes' hash (without readSourceFile's 1 MiB bound, which the 100k-line file
    // exceeds), keep only the IR, check it against the schema and print it.
    endToEnd(file) {
      const bytes = readFileSync(file);
      if (bytes.includes(0)) throw new Error('NUL byte');
      const { ir, ok, diagnostics } = compiler.compileSource(decoder.decode(bytes), { path: file }, compiler.sha256Hex(bytes));
      if (!ok) return { ok, diagnostics };
      return { ok, output: irOutput(ir, undefined, file) };
    },
  };
}

/** Wall and CPU time of one call (CPU time suffers less from other load). */
function once(fn) {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const res = fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const c = process.cpuUsage(c0);
  if (!res.ok) throw new Error('generated contract does not compile: ' + JSON.stringify(res.diagnostics.slice(0, 3)));
  return { wall, cpu: (c.user + c.system) / 1000 };
}

const runsArg = Number(arg('--runs', '0'));
const dir = mkdtempSync(join(tmpdir(), 'aex-bench-'));
const sizes = [1_000, 10_000, 100_000];
const paths = ['compileSource', 'end to end'];
const rate = (lines, ms) => Math.round(lines / (ms / 1000)).toLocaleString('en-US').padStart(9);
const linesOf = (n) => generateContract(n).split('\n').length - 1;

/** Best { wall, cpu } per path and size of one build, measured in this process: times[path][size]. */
async function measure(distDir) {
  const b = await loadBuild(distDir);
  const times = paths.map(() => ({}));
  const warm = join(dir, 'warm.aex');
  writeFileSync(warm, generateContract(2_000));
  for (let k = 0; k < 3; k++) b.compileSource(readFileSync(warm, 'utf8')), b.endToEnd(warm); // JIT, schema compile
  for (const n of sizes) {
    const text = generateContract(n);
    const file = join(dir, `c${n}.aex`);
    writeFileSync(file, text);
    // The same number of runs at every size: a best of more runs would be lower, and skew the ratio.
    const runs = runsArg || 5;
    // The two paths take turns, so both see the same machine.
    for (let k = 0; k < runs; k++) {
      for (let pi = 0; pi < paths.length; pi++) {
        const t = once(pi === 0 ? () => b.compileSource(text) : () => b.endToEnd(file));
        const best = (times[pi][n] ??= { wall: Infinity, cpu: Infinity });
        best.wall = Math.min(best.wall, t.wall);
        best.cpu = Math.min(best.cpu, t.cpu);
      }
    }
  }
  // For the growth ratio, 10k lines are also timed ten compiles at a time: a sample as
  // long as one 100k compile meets the same share of other load (a short one can slip
  // between other work, a long one cannot, which alone made the best-of ratio look worse).
  const text = generateContract(10_000);
  const file = join(dir, 'c10000.aex');
  for (let k = 0; k < (runsArg || 5); k++) {
    for (let pi = 0; pi < paths.length; pi++) {
      const t = once(() => {
        let res;
        for (let j = 0; j < 10; j++) res = pi === 0 ? b.compileSource(text) : b.endToEnd(file);
        return res;
      });
      const best = (times[pi].tenTimes10k ??= { wall: Infinity, cpu: Infinity });
      best.wall = Math.min(best.wall, t.wall);
      best.cpu = Math.min(best.cpu, t.cpu);
    }
  }
  return times;
}

const distDir = arg('--dist', join(root, 'dist'));
if (process.argv.includes('--child')) {
  // One build per process: two builds in one heap slow each other's garbage collection.
  console.log(JSON.stringify(await measure(distDir)));
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

// With --base, each build runs in its own child process, the builds taking turns for
// three rounds; the best of all rounds is kept.
const buildDirs = arg('--base') ? [distDir, arg('--base')] : [distDir];
const results = buildDirs.map(() => paths.map(() => ({})));
const rounds = buildDirs.length > 1 ? 3 : 1;
for (let r = 0; r < rounds; r++) {
  for (let bi = 0; bi < buildDirs.length; bi++) {
    let times;
    if (buildDirs.length === 1) times = await measure(buildDirs[0]);
    else {
      const args = [fileURLToPath(import.meta.url), '--child', '--dist', buildDirs[bi]];
      if (runsArg) args.push('--runs', String(runsArg));
      const child = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
      if (child.status !== 0) throw new Error('bench child failed: ' + child.stderr);
      times = JSON.parse(child.stdout);
    }
    for (let pi = 0; pi < paths.length; pi++) {
      for (const n of [...sizes, 'tenTimes10k']) {
        const best = (results[bi][pi][n] ??= { wall: Infinity, cpu: Infinity });
        best.wall = Math.min(best.wall, times[pi][n].wall);
        best.cpu = Math.min(best.cpu, times[pi][n].cpu);
      }
    }
  }
}

const label = (bi) => (buildDirs.length > 1 ? (bi === 0 ? 'new ' : 'base') + ' ' : '');
for (const n of sizes) {
  for (let bi = 0; bi < buildDirs.length; bi++) {
    for (let pi = 0; pi < paths.length; pi++) {
      const t = results[bi][pi][n];
      console.log(
        `${label(bi)}${paths[pi].padEnd(13)} ${String(linesOf(n)).padStart(7)} lines: ${t.wall.toFixed(1).padStart(8)} ms ${rate(linesOf(n), t.wall)} lines/s` +
          `  | cpu ${t.cpu.toFixed(1).padStart(8)} ms ${rate(linesOf(n), t.cpu)} lines/s`,
      );
    }
  }
}
for (let bi = 0; bi < buildDirs.length; bi++) {
  for (let pi = 0; pi < paths.length; pi++) {
    const t = results[bi][pi];
    const ten = t.tenTimes10k;
    console.log(
      `${label(bi)}${paths[pi].padEnd(13)} ratio 100k/10k time: wall ${((10 * t[100_000].wall) / ten.wall).toFixed(2)}, cpu ${((10 * t[100_000].cpu) / ten.cpu).toFixed(2)}` +
        ` (10k timed as ten compiles in a row; linear = 10, target <= 11); against the best single 10k compile: wall ${(t[100_000].wall / t[10_000].wall).toFixed(2)}, cpu ${(t[100_000].cpu / t[10_000].cpu).toFixed(2)}`,
    );
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const spawnTimed = (args) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
/**
 * CPU time (ms) of the children this process has waited for, from /proc/self/stat (Linux; in
 * clock ticks of 10 ms), or undefined elsewhere. A child's CPU time suffers less from other
 * load than its wall time.
 */
const childrenCpuMs = () => {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /s, '').split(' ');
    // After the command: fields 16 and 17 of the whole line are cutime and cstime.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
};
/** Wall and CPU time of one child. */
const spawnMeasured = (args) => {
  const c0 = childrenCpuMs();
  const wall = spawnTimed(args);
  const c1 = childrenCpuMs();
  return { wall, cpu: c0 === undefined || c1 === undefined ? NaN : c1 - c0 };
};

if (!process.argv.includes('--no-cli')) {
  // `aex compile` as bin/aex.js runs it (from its bundle, src/cli/compile-entry.ts) and as the full
  // CLI (dist/cli/main.js, ES modules) does, and `node -e 0`, taking turns: the 10-line compile
  // against node is the start-up, the 10k-line one against the 10-line one the compile itself.
  const big = join(dir, 'cli-10000.aex');
  const small = join(dir, 'cli-10.aex');
  writeFileSync(big, generateContract(10_000));
  writeFileSync(small, generateContract(10));
  const bigLines = linesOf(10_000);
  const fullCli = ['--input-type=module', '-e', `import(${JSON.stringify(pathToFileURL(join(root, 'dist/cli/main.js')).href)}).then((m) => m.main(process.argv))`, 'aex'];
  const ways = [
    { name: 'cli aex compile (bundle)', args: [join(root, 'bin/aex.js')], big: [], small: [] },
    { name: 'cli aex compile (full CLI)', args: fullCli, big: [], small: [] },
  ];
  const bare = [];
  for (let k = 0; k < 9; k++) {
    for (const w of ways) {
      w.small.push(spawnMeasured([...w.args, 'compile', small]));
      w.big.push(spawnMeasured([...w.args, 'compile', big]));
    }
    bare.push(spawnMeasured(['-e', '0']));
  }
  const med = (xs, k) => median(xs.map((x) => x[k]));
  for (const w of ways) {
    const diff = med(w.big, 'wall') - med(w.small, 'wall');
    const cpuDiff = med(w.big, 'cpu') - med(w.small, 'cpu');
    console.log(
      `${w.name.padEnd(26)} ${bigLines} lines: median ${med(w.big, 'wall').toFixed(1)} ms; 10 lines: ${med(w.small, 'wall').toFixed(1)} ms (node -e 0: ${med(bare, 'wall').toFixed(1)} ms); ` +
        `after start-up ${diff.toFixed(1)} ms = ${rate(bigLines, diff).trim()} lines/s` +
        (Number.isNaN(cpuDiff) ? '' : `  | cpu ${med(w.big, 'cpu')} ms; 10 lines ${med(w.small, 'cpu')} ms; after start-up ${cpuDiff} ms = ${rate(bigLines, cpuDiff).trim()} lines/s`),
    );
  }
}

if (!process.argv.includes('--no-cold')) {
  // Cold start: `aex check` of a 30-line policy vs `node -e 0`, alternating.
  const policy = ['policy bench v0', 'goal "A 30-line policy."'];
  for (let i = 0; policy.length < 28; i++) policy.push(`allow tool${i}.read, tool${i}.write:src/**`, `deny tool${i}.secret`);
  policy.push('confirm before tool0.write', 'budget calls=100');
  writeFileSync(join(dir, 'policy.aex'), policy.join('\n') + '\n');
  const runs = 15;
  const check = [];
  const bare = [];
  for (let k = 0; k < runs; k++) {
    let t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(root, 'bin/aex.js'), 'check', join(dir, 'policy.aex')]);
    check.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error('aex check failed: ' + r.stderr);
    t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    bare.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  console.log(`cold aex check (30-line policy): median ${median(check).toFixed(1)} ms; node -e 0: ${median(bare).toFixed(1)} ms; ratio ${(median(check) / median(bare)).toFixed(2)}x`);
}
rmSync(dir, { recursive: true, force: true });
