#!/usr/bin/env node
// Native interpreter vs LangGraph backend on the same contracts, null audit sink:
//   straight line of 1k `do` calls; a `for` loop of 1k and of 10k iterations (one `do` each).
// Prints milliseconds per step (one executed `do`) for each backend and the LangGraph/native
// ratio, with LangGraph's MemorySaver and with the SQLite checkpointer (both saving when the
// run ends, LangGraph's `durability: "exit"`), plus SQLite saving after every super-step on
// the 1k contracts. Each figure is the median of RUNS runs, measured in this process after
// a warm-up. Usage: node bench/backends.mjs [--runs N] [--json] [--quick]   (build first)

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { compileSource } = await import(path.join(root, 'dist/compiler/index.js'));
const { runIR } = await import(path.join(root, 'dist/runtime/interpreter.js'));
const { runWithLangGraph } = await import(path.join(root, 'dist/backends/langgraph/index.js'));
const { NullSink } = await import(path.join(root, 'dist/runtime/audit/sinks.js'));

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Math.max(1, Number(args[runsAt + 1])) : quick ? 1 : 3;

function compile(text) {
  const r = compileSource(text, { path: 'bench.aex' });
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n'));
  return r.ir;
}

function straightLine(n) {
  const lines = ['task straight v0', 'goal "bench"', '', 'use noop', ''];
  for (let i = 0; i < n; i++) lines.push(`do noop(i=${i})`);
  lines.push('return "done"', '');
  return { name: `straight line, ${n} calls`, ir: compile(lines.join('\n')), inputs: {}, steps: n };
}

function loop(n) {
  const text = ['task loop v0', 'goal "bench"', '', 'use noop', 'need items: list[int]', '', 'for i in items', '  do noop(i=i)', 'return "done"', ''].join('\n');
  return { name: `loop, ${n} iterations`, ir: compile(text), inputs: { items: Array.from({ length: n }, (_, i) => i) }, steps: n };
}

const tools = { noop: async () => null };
const tmp = mkdtempSync(path.join(os.tmpdir(), 'aex-bench-'));
let fileNo = 0;

const backends = {
  native: (c) => runIR(c.ir, { inputs: c.inputs, tools, builtins: false, sinks: [new NullSink()] }),
  'langgraph memory': (c) => runWithLangGraph(c.ir, { inputs: c.inputs, tools, builtins: false, sinks: [new NullSink()] }),
  'langgraph sqlite': (c) =>
    runWithLangGraph(c.ir, { inputs: c.inputs, tools, builtins: false, sinks: [new NullSink()], checkpoint: path.join(tmp, `b${++fileNo}.sqlite`) }),
  'langgraph sqlite, every step': (c) =>
    runWithLangGraph(c.ir, {
      inputs: c.inputs,
      tools,
      builtins: false,
      sinks: [new NullSink()],
      checkpoint: path.join(tmp, `b${++fileNo}.sqlite`),
      durability: 'sync',
    }),
};

/** Wall-clock and CPU milliseconds of one run (CPU time is steadier on a busy machine). */
async function time(fn, c) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await fn(c);
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  if (r.status !== 'success') throw new Error(`${c.name}: ${r.status} ${JSON.stringify(r.issues)}`);
  return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const cases = quick ? [straightLine(200), loop(200), loop(1000)] : [straightLine(1000), loop(1000), loop(10000)];

// Warm-up: JIT, module loading, SQLite.
const warm = loop(50);
for (const fn of Object.values(backends)) await time(fn, warm);

const rows = [];
for (const c of cases) {
  const row = { contract: c.name, steps: c.steps };
  for (const [name, fn] of Object.entries(backends)) {
    // Saving after every super-step keeps every intermediate state: only on the small contracts.
    if (name.endsWith('every step') && c.steps > 1000) continue;
    const samples = [];
    for (let i = 0; i < RUNS; i++) samples.push(await time(fn, c));
    row[name] = median(samples.map((x) => x.wall)) / c.steps;
    row[`${name} (cpu)`] = median(samples.map((x) => x.cpu)) / c.steps;
  }
  rows.push(row);
  if (!json) process.stderr.write(`done: ${c.name}\n`);
}
rmSync(tmp, { recursive: true, force: true });

if (json) {
  process.stdout.write(JSON.stringify({ runs: RUNS, unit: 'ms per step', rows }, null, 2) + '\n');
} else {
  const names = Object.keys(backends);
  const fmt = (v) => (v === undefined ? '-' : v < 0.1 ? v.toFixed(4) : v.toFixed(3));
  for (const kind of ['wall', 'cpu']) {
    const k = (n) => (kind === 'wall' ? n : `${n} (cpu)`);
    console.log(`\n${kind === 'wall' ? 'Wall-clock' : 'CPU'} ms per step (one executed do), median of ${RUNS} run(s); ratio = LangGraph / native`);
    const header = ['contract', ...names, 'ratio memory', 'ratio sqlite'];
    const table = rows.map((r) => [
      r.contract,
      ...names.map((n) => fmt(r[k(n)])),
      `${(r[k('langgraph memory')] / r[k('native')]).toFixed(0)}x`,
      `${(r[k('langgraph sqlite')] / r[k('native')]).toFixed(0)}x`,
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
    const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    console.log(line(header));
    for (const t of table) console.log(line(t));
  }
  const worst = Math.max(...rows.map((r) => r['langgraph memory']));
  console.log(`\nLangGraph with MemorySaver: at most ${worst.toFixed(3)} ms per step wall-clock (target 2 ms): ${worst <= 2 ? 'met' : 'NOT met'}.`);
  console.log(`Load average while measuring: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPU(s).`);
}
