#!/usr/bin/env node
// Interpreter throughput: a `for` loop of N `do` calls to a no-op host tool, with the audit
// going to a null sink, to a chained JSONL file, and to a chained JSONL file sealed with an
// HMAC key (a seal every 1,000 lines and at the end), all in the same process, compared with
// a plain JavaScript loop awaiting the same handler. Each figure is the median of --rounds
// rounds (default 5) run alternately, so a busy machine slows every variant alike.
// Needs `npx tsc -p tsconfig.json` first.
// Targets: >= 100,000 calls/s at 100k calls with the chained, sealed JSONL audit (issue 13);
// >= 300,000 calls/s with the null sink (issue 3).
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { compileSource } = await import(path.join(root, 'dist/compiler/index.js'));
const { runIR } = await import(path.join(root, 'dist/runtime/interpreter.js'));
const { createAuditLog } = await import(path.join(root, 'dist/runtime/audit/emitter.js'));
const { NullSink, JsonlFileSink } = await import(path.join(root, 'dist/runtime/audit/sinks.js'));
const { verifyAuditFile } = await import(path.join(root, 'dist/audit/verify.js'));

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const rounds = arg('rounds', 5);
const N = arg('calls', 100_000);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'aex-bench-'));
const source = `task bench v0
goal "Interpreter throughput."
use noop
need items: list[int]

for i in items
  do noop(i=i)
return "done"
`;
// An absolute contract path, as \`aex run\` resolves it: the kernel keeps its prepared rules.
const contract = path.join(tmp, 'bench.aex');
writeFileSync(contract, source);
const { ir, ok, diagnostics } = compileSource(source, { path: contract });
if (!ok) throw new Error(`bench contract does not compile: ${JSON.stringify(diagnostics)}`);

const noop = async () => null;
const tools = { noop };
const key = Buffer.from('bench audit key');

// The time of the calls (up to run.finished, every decision line written); closing the log —
// the final seal and one fsync of the whole file — is timed on its own (closeTimes).
const closeTimes = [];
async function interpreter(n, sinks, sealKey) {
  const items = Array.from({ length: n }, (_, i) => i);
  const audit = createAuditLog(sinks, sealKey ? { sealKey } : {});
  const t0 = process.hrtime.bigint();
  const r = await runIR(ir, { inputs: { items }, tools, builtins: false, audit, cwd: tmp });
  const t1 = process.hrtime.bigint();
  await audit.close();
  closeTimes.push(Number(process.hrtime.bigint() - t1) / 1e9);
  if (r.status !== 'success') throw new Error(`bench run blocked: ${r.issues.join(', ')}`);
  return Number(t1 - t0) / 1e9;
}

async function baseline(n) {
  const ctx = { cwd: tmp };
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await noop({ i }, ctx);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => Math.round(x).toLocaleString('en-US');

// Warm-up so the JIT has seen every path, with every sink.
for (let i = 0; i < 3; i++) {
  await interpreter(20_000, [new NullSink()]);
  await interpreter(20_000, [new JsonlFileSink(path.join(tmp, 'warm.jsonl'))], key);
}
await baseline(20_000);

const times = { base: [], nul: [], chained: [], sealed: [] };
let bytes = 0;
let lastSealed = '';
for (let r = 0; r < rounds; r++) {
  times.base.push(await baseline(N));
  times.nul.push(await interpreter(N, [new NullSink()]));
  const chainedFile = path.join(tmp, `chained-${r}.jsonl`);
  times.chained.push(await interpreter(N, [new JsonlFileSink(chainedFile)]));
  lastSealed = path.join(tmp, `sealed-${r}.jsonl`);
  times.sealed.push(await interpreter(N, [new JsonlFileSink(lastSealed)], key));
  bytes = statSync(lastSealed).size;
  rmSync(chainedFile);
}
// The log the benchmark wrote is intact under its key (and the check's own speed).
const t0 = process.hrtime.bigint();
const report = verifyAuditFile(lastSealed, { key });
const verifySeconds = Number(process.hrtime.bigint() - t0) / 1e9;
if (!report.ok) throw new Error(`the sealed bench log does not verify: ${JSON.stringify(report.break)}`);

const rate = (t) => N / median(t);
console.log(`calls=${fmt(N)}, median of ${rounds} rounds (load average ${os.loadavg()[0].toFixed(2)})`);
console.log(`  plain JS loop              ${fmt(rate(times.base)).padStart(12)} calls/s`);
console.log(`  null sink                  ${fmt(rate(times.nul)).padStart(12)} calls/s`);
console.log(`  JSONL, chained             ${fmt(rate(times.chained)).padStart(12)} calls/s   ${(median(times.chained) / median(times.nul)).toFixed(2)}x the null sink's time`);
console.log(`  JSONL, chained and sealed  ${fmt(rate(times.sealed)).padStart(12)} calls/s   ${(median(times.sealed) / median(times.nul)).toFixed(2)}x the null sink's time; ${fmt(bytes)} bytes, ${fmt(report.lines)} lines, ${report.seals} seals`);
console.log(`  closing a log (final seal, one fsync of the file): median ${(median(closeTimes) * 1000).toFixed(0)} ms, at most ${(Math.max(...closeTimes) * 1000).toFixed(0)} ms`);
console.log(`  aex audit verify --key-file of that log: ${(verifySeconds * 1000).toFixed(0)} ms (${fmt(report.lines / verifySeconds)} lines/s)`);
rmSync(tmp, { recursive: true, force: true });

const sealedRate = rate(times.sealed);
const nullRate = rate(times.nul);
console.log(
  `targets at ${fmt(N)}: chained+sealed JSONL ${fmt(sealedRate)} calls/s (>= 100,000: ${sealedRate >= 100_000 ? 'met' : 'NOT met'}), null sink ${fmt(nullRate)} calls/s (>= 300,000: ${nullRate >= 300_000 ? 'met' : 'NOT met'})`,
);
