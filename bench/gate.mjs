// bench/gate: median wall time of `node bin/aex.js gate` on a typical PreToolUse input
// against `node -e 0`, measured alternately in the same run (so machine load affects
// both alike). Target: ratio ≤ 1.3.
//   node bench/gate.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'aex.js');
const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 40;

const dir = mkdtempSync(path.join(tmpdir(), 'aex-bench-gate-'));
mkdirSync(path.join(dir, '.aex'));
mkdirSync(path.join(dir, 'src'));
writeFileSync(
  path.join(dir, '.aex', 'policy.aex'),
  'policy workspace v0\ngoal "Default security boundary for this repository."\nallow file.read, file.write, tests.run, git.*\ndeny network.*, secrets.read\nconfirm before file.write\nbudget calls=100000\n',
);
const input = JSON.stringify({
  session_id: 'bench-session',
  transcript_path: path.join(dir, 'transcript.jsonl'),
  cwd: dir,
  permission_mode: 'default',
  hook_event_name: 'PreToolUse',
  tool_name: 'Read',
  tool_input: { file_path: path.join(dir, 'src', 'index.ts') },
  tool_use_id: 'toolu_bench',
});

// Children's CPU time (user + system) from /proc, in ms (Linux only; 10 ms ticks, so
// only totals over many runs are meaningful). Less sensitive to other load than wall time.
function childCpuMs() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[13]) + Number(rest[14])) * 10;
  } catch {
    return NaN;
  }
}

const cpu = { gate: 0, base: 0 };
function time(cmd, args, stdin, bucket) {
  const c0 = childCpuMs();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { input: stdin, cwd: dir, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (bucket) cpu[bucket] += childCpuMs() - c0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, out: r.stdout };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// Warm-up: fills the compiled-policy cache and the OS file cache.
const first = time(process.execPath, [bin, 'gate'], input);
if (!first.out.includes('"permissionDecision":"allow"')) throw new Error(`unexpected gate output: ${first.out}`);
time(process.execPath, ['-e', '0'], '');

const gate = [];
const base = [];
for (let i = 0; i < runs; i++) {
  base.push(time(process.execPath, ['-e', '0'], '', 'base').ms);
  gate.push(time(process.execPath, [bin, 'gate'], input, 'gate').ms);
}
rmSync(dir, { recursive: true, force: true });
const g = median(gate);
const b = median(base);
const ratio = g / b;
console.log(`node -e 0   median ${b.toFixed(1)} ms (${runs} runs)`);
console.log(`aex gate    median ${g.toFixed(1)} ms (${runs} runs)`);
console.log(`ratio ${ratio.toFixed(2)}x (target <= 1.30x) ${ratio <= 1.3 ? 'PASS' : 'OVER'}`);
if (Number.isFinite(cpu.gate) && cpu.base > 0) {
  console.log(`cpu time per run: node -e 0 ${(cpu.base / runs).toFixed(1)} ms, aex gate ${(cpu.gate / runs).toFixed(1)} ms, ratio ${(cpu.gate / cpu.base).toFixed(2)}x`);
}
