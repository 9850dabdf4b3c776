// Compiler throughput: contracts of 1k, 10k and 100k lines, lines per second for
// each, and the 100k/10k time ratio (linear growth means ≈10). Also the cold start
// of `aex check` on a 30-line policy against `node -e 0`, alternated in one run.
// Run after `npm run build`: node bench/compile.mjs
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSource } from '../dist/compiler/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));

export function generateContract(lines) {
  const out = ['task bench v0', 'goal "A generated contract for benchmarking."', 'use file.read, tests.run, notes.write', 'deny network.*', 'need files: list[file]', 'need cmd: str', 'budget calls=1000000'];
  let i = 0;
  while (out.length < lines - 1) {
    out.push(
      `# block ${i}`,
      `do file.read(paths=files, note="step ${i}") -> r${i}  # read`,
      `check r${i} has "needle ${i}"`,
      `for f${i} in files`,
      `  if f${i} has ".ts"`,
      `    do notes.write(text=f${i}, meta={index: ${i}, tags: ["a", "b"]})`,
      `do tests.run(cmd=cmd) -> t${i}`,
    );
    i++;
  }
  out.push('return {ok: true, last: r0}');
  return out.join('\n') + '\n';
}

function timeCompile(text, runs) {
  let best = Infinity;
  for (let k = 0; k < runs; k++) {
    const t0 = process.hrtime.bigint();
    const res = compileSource(text);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (!res.ok) throw new Error('generated contract does not compile: ' + JSON.stringify(res.diagnostics.slice(0, 3)));
    best = Math.min(best, ms);
  }
  return best;
}

const sizes = [1_000, 10_000, 100_000];
const times = {};
compileSource(generateContract(2_000)); // warm up the JIT
for (const n of sizes) {
  const text = generateContract(n);
  const lines = text.split('\n').length - 1;
  const ms = timeCompile(text, n >= 100_000 ? 2 : 5);
  times[n] = ms;
  console.log(`compile ${String(lines).padStart(7)} lines: ${ms.toFixed(1).padStart(8)} ms  ${Math.round(lines / (ms / 1000)).toLocaleString('en-US').padStart(10)} lines/s`);
}
console.log(`ratio 100k/10k time: ${(times[100_000] / times[10_000]).toFixed(2)} (linear = 10, target <= 11)`);

// Cold start: `aex check` of a 30-line policy vs `node -e 0`, alternating.
const dir = mkdtempSync(join(tmpdir(), 'aex-bench-'));
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
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`cold aex check (30-line policy): median ${median(check).toFixed(1)} ms; node -e 0: ${median(bare).toFixed(1)} ms; ratio ${(median(check) / median(bare)).toFixed(2)}x`);
