#!/usr/bin/env node
// Interpreter throughput: a `for` loop of N `do` calls to a no-op host tool, with the
// audit going to a null sink and to a JSONL file, compared with a plain JavaScript loop
// awaiting the same handler in the same process. Needs `npx tsc -p tsconfig.json` first.
// Targets (issue 3): >= 300k calls/s with the null sink at 100k calls, >= 100k calls/s JSONL.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { compileSource } = await import(path.join(root, 'dist/compiler/index.js'));
const { runIR } = await import(path.join(root, 'dist/runtime/interpreter.js'));
const { NullSink, JsonlFileSink } = await import(path.join(root, 'dist/runtime/audit/sinks.js'));

const source = `task bench v0
goal "Interpreter throughput."
use noop
need items: list[int]

for i in items
  do noop(i=i)
return "done"
`;
const { ir, ok, diagnostics } = compileSource(source, { path: 'bench.aex' });
if (!ok) throw new Error(`bench contract does not compile: ${JSON.stringify(diagnostics)}`);

const noop = async () => null;
const tools = { noop };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'aex-bench-'));

async function interpreter(n, sink) {
  const items = Array.from({ length: n }, (_, i) => i);
  const t0 = process.hrtime.bigint();
  const r = await runIR(ir, { inputs: { items }, tools, builtins: false, sinks: [sink], cwd: tmp });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 'success') throw new Error(`bench run blocked: ${r.issues.join(', ')}`);
  return s;
}

async function baseline(n) {
  const ctx = { cwd: tmp };
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await noop({ i }, ctx);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

const fmt = (x) => Math.round(x).toLocaleString('en-US');
const results = [];
// Warm-up so the JIT has seen every path.
await interpreter(5_000, new NullSink());
await baseline(5_000);

for (const n of [10_000, 100_000]) {
  const base = await baseline(n);
  const nul = await interpreter(n, new NullSink());
  const file = path.join(tmp, `audit-${n}.jsonl`);
  const jsonl = await interpreter(n, new JsonlFileSink(file));
  const bytes = statSync(file).size;
  results.push({ n, base, nul, jsonl, bytes });
  console.log(`calls=${fmt(n)}`);
  console.log(`  plain JS loop      ${fmt(n / base).padStart(12)} calls/s`);
  console.log(`  null sink          ${fmt(n / nul).padStart(12)} calls/s   ratio to plain loop ${(base / nul).toFixed(3)} (${(nul / base).toFixed(1)}x slower)`);
  console.log(`  JSONL file sink    ${fmt(n / jsonl).padStart(12)} calls/s   ratio to plain loop ${(base / jsonl).toFixed(3)} (${(jsonl / base).toFixed(1)}x slower; ${fmt(bytes)} bytes)`);
}
// The floor of the JSONL sink on this machine: one write(2) per line, two lines per call.
{
  const { openSync, writeSync, closeSync } = await import('node:fs');
  const fd = openSync(path.join(tmp, 'floor.jsonl'), 'a');
  const line = JSON.stringify({ ts: new Date().toISOString(), seq: 1, event: 'tool.result', tool: 'noop', bind: null, result: null, line: 7 }) + '\n';
  const m = 100_000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < m; i++) writeSync(fd, line);
  const perWrite = Number(process.hrtime.bigint() - t0) / 1e9 / m;
  closeSync(fd);
  console.log(`write(2) floor      ${(perWrite * 1e6).toFixed(2)} µs per line -> at most ${fmt(1 / (2 * perWrite))} calls/s with two audit lines per call`);
}
rmSync(tmp, { recursive: true, force: true });

const at100k = results.find((r) => r.n === 100_000);
const nullRate = 100_000 / at100k.nul;
const fileRate = 100_000 / at100k.jsonl;
console.log(`targets at 100k: null sink ${fmt(nullRate)} calls/s (>= 300,000: ${nullRate >= 300_000 ? 'met' : 'NOT met'}), JSONL ${fmt(fileRate)} calls/s (>= 100,000: ${fileRate >= 100_000 ? 'met' : 'NOT met'})`);
