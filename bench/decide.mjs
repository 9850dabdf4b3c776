#!/usr/bin/env node
// bench/decide: describing and deciding shell calls in-process, the way every surface
// does it (the shell describer of src/describe, then the kernel's decideCall), under the
// bypass corpus policy (tests/bypass/policy.aex) in a scratch project.
//   1. a typical Claude Code Bash call, described + decided in a loop: decisions per
//      second (target >= 20,000/s), against two baselines measured in the same run —
//      JSON.parse + JSON.stringify of the hook payload, and a name-only decision (the
//      kernel on one bare shell.exec action: what AEX 1 judged, which could not tell
//      `git status` from `rm -rf /`);
//   2. the whole bypass corpus (tests/bypass/corpus.json), every line described +
//      decided once: total milliseconds (target < 100 ms), median of RUNS passes.
// The one-off cost of loading the shell parser is reported on its own.
// Rates are measured in --rounds interleaved slices (best and median slice reported, and
// the rate per second of CPU time, which other load on the machine disturbs less).
// Usage: node bench/decide.mjs [--runs N] [--seconds S] [--rounds R] [--json] [--dist DIR]
//   (npm run build first; --dist reads another build of src/, e.g. tsc --outDir DIR)

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const distArg = process.argv.indexOf('--dist');
const distDir = distArg >= 0 ? path.resolve(process.argv[distArg + 1]) : path.join(root, 'dist');
const dist = (p) => path.join(distDir, p);
const { loadPolicyFile } = await import(dist('runtime/policy/load.js'));
const { mergePermissions } = await import(dist('rules/merge.js'));
const { decideCall } = await import(dist('runtime/kernel/decide.js'));
const { describeCall } = await import(dist('describe/index.js'));

const args = process.argv.slice(2);
const json = args.includes('--json');
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const RUNS = Math.max(1, opt('--runs', 7));
const SECONDS = Math.max(0.2, opt('--seconds', 1.5));
const ROUNDS = Math.max(1, opt('--rounds', 5));

// A scratch project shaped like the bypass fixture (tests/bypass/fixture.ts).
const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aex-bench-decide-')));
const project = path.join(base, 'project');
for (const d of ['.aex', 'src', 'secrets', 'docs', '.git/hooks']) mkdirSync(path.join(project, d), { recursive: true });
for (const [f, t] of Object.entries({ 'README.md': '# x\n', 'package.json': '{}\n', 'notes.txt': 'n\n', 'src/index.ts': '1\n', 'secrets/key': 'k\n' })) {
  writeFileSync(path.join(project, f), t);
}
symlinkSync('secrets', path.join(project, 'link-to-secrets'));
symlinkSync('/etc', path.join(project, 'link-out'));
const policyFile = path.join(project, '.aex', 'policy.aex');
copyFileSync(path.join(root, 'tests', 'bypass', 'policy.aex'), policyFile);
const policy = (await loadPolicyFile(policyFile, { cwd: project })).layer;
const perms = mergePermissions({ policy, cwd: project });
const ctx = { root: project, cwd: project, home: os.homedir() };
const protect = [path.join(base, 'state', '**')];

const TYPICAL = 'git diff --stat HEAD~1 -- src/index.ts && cat README.md | grep -n TODO';
const payload = JSON.stringify({
  session_id: 'bench',
  cwd: project,
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command: TYPICAL, description: 'typical call' },
  tool_use_id: 'toolu_bench',
});

async function decideLine(line) {
  const call = await describeCall({ tool: 'shell.exec', hostTool: 'Bash', args: { command: line } }, ctx);
  return decideCall(perms, { callsUsed: 0 }, call, { protect });
}

// First call: loads web-tree-sitter and the bash grammar.
let t0 = performance.now();
const first = await decideLine(TYPICAL);
const firstMs = performance.now() - t0;
if (first.verdict !== 'allow') throw new Error(`the typical call should be allowed, got ${first.verdict}: ${first.message}`);

/**
 * One timed slice of `fn`, about `seconds` long: operations per second of wall time and
 * per second of this process's CPU time (less sensitive to other load on the machine).
 */
async function slice(fn, seconds) {
  let n = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) await fn();
    n += 100;
  }
  const wall = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return { wall: n / wall, cpu: n / ((cpu.user + cpu.system) / 1e6) };
}

/**
 * Rates of several functions measured in ROUNDS interleaved slices, so that each sees
 * the same machine: per function the best and the median slice, by wall and CPU time.
 */
async function rates(fns, seconds) {
  for (const fn of Object.values(fns)) for (let i = 0; i < 300; i++) await fn();
  const seen = Object.fromEntries(Object.keys(fns).map((k) => [k, { wall: [], cpu: [] }]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, fn] of Object.entries(fns)) {
      const one = await slice(fn, seconds / ROUNDS);
      seen[k].wall.push(one.wall);
      seen[k].cpu.push(one.cpu);
    }
  }
  return Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, { best: Math.max(...v.wall), median: median(v.wall), cpuBest: Math.max(...v.cpu) }]));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

let sink = 0;
let distinct = 0;
const measured = await rates(
  {
    json: () => {
      sink += JSON.stringify(JSON.parse(payload)).length;
    },
    aex1: () => {
      const input = JSON.parse(payload);
      sink += decideCall(perms, { callsUsed: 0 }, { tool: 'shell.exec', args: {}, actions: [{ cap: 'shell.exec' }] }).events.length + input.tool_name.length;
    },
    aex2: async () => {
      const input = JSON.parse(payload);
      sink += (await decideLine(input.tool_input.command)).actions.length;
    },
    // The same call with a new text every time: nothing cached for a line can help.
    aex2Distinct: async () => {
      const input = JSON.parse(payload);
      sink += (await decideLine(`${input.tool_input.command}${++distinct}`)).actions.length;
    },
  },
  SECONDS,
);
const jsonRate = measured.json.best;
const aex1Rate = measured.aex1.best;
const aex2Rate = measured.aex2.best;

const corpus = JSON.parse(readFileSync(path.join(root, 'tests', 'bypass', 'corpus.json'), 'utf8'));
const lines = corpus.map((c) => c.line);
const passes = [];
const passes150 = [];
const tally = { allow: 0, confirm: 0, deny: 0, not_allowed: 0, other: 0 };
for (let r = 0; r < RUNS + 1; r++) {
  t0 = performance.now();
  let ms150 = 0;
  for (let i = 0; i < lines.length; i++) {
    const d = await decideLine(lines[i]);
    if (r === 0) tally[d.verdict in tally ? d.verdict : 'other']++;
    if (i === 149) ms150 = performance.now() - t0;
  }
  const ms = performance.now() - t0;
  if (r > 0) {
    // the first pass warms the JIT
    passes.push(ms);
    passes150.push(ms150);
  }
}
rmSync(base, { recursive: true, force: true });

const corpusMs = median(passes);
const result = {
  typical_call: TYPICAL,
  parser_load_and_first_decision_ms: +firstMs.toFixed(1),
  decisions_per_s: Math.round(aex2Rate),
  decisions_per_s_median: Math.round(measured.aex2.median),
  decisions_per_cpu_s: Math.round(measured.aex2.cpuBest),
  distinct_lines_decisions_per_s: Math.round(measured.aex2Distinct.best),
  distinct_lines_decisions_per_cpu_s: Math.round(measured.aex2Distinct.cpuBest),
  target_decisions_per_s: 20000,
  baseline_json_roundtrip_per_s: Math.round(jsonRate),
  baseline_aex1_name_only_per_s: Math.round(aex1Rate),
  cost_vs_json_roundtrip: +(jsonRate / aex2Rate).toFixed(1),
  cost_vs_aex1_name_only: +(aex1Rate / aex2Rate).toFixed(1),
  corpus_lines: lines.length,
  corpus_total_ms: +corpusMs.toFixed(1),
  corpus_per_line_us: +((corpusMs * 1000) / lines.length).toFixed(1),
  corpus_first_150_ms: +median(passes150).toFixed(1),
  corpus_first_150_best_ms: +Math.min(...passes150).toFixed(1),
  target_corpus_ms: 100,
  corpus_verdicts: tally,
};
if (json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const pass = (ok) => (ok ? 'PASS' : 'OVER');
  console.log(`typical Bash call: ${TYPICAL}`);
  console.log(`parser load + first decision   ${result.parser_load_and_first_decision_ms} ms (once per process)`);
  console.log(`describe + decide              ${result.decisions_per_s.toLocaleString('en')} decisions/s (target >= 20,000) ${pass(aex2Rate >= 20000)}  [best of ${ROUNDS} slices; median ${result.decisions_per_s_median.toLocaleString('en')}/s; per CPU second ${result.decisions_per_cpu_s.toLocaleString('en')}]`);
  console.log(`  a new line text every call    ${result.distinct_lines_decisions_per_s.toLocaleString('en')} decisions/s (per CPU second ${result.distinct_lines_decisions_per_cpu_s.toLocaleString('en')})`);
  console.log(`  baseline JSON parse+stringify ${result.baseline_json_roundtrip_per_s.toLocaleString('en')}/s -> a decision costs ${result.cost_vs_json_roundtrip}x`);
  console.log(`  baseline AEX 1 name-only      ${result.baseline_aex1_name_only_per_s.toLocaleString('en')}/s -> a decision costs ${result.cost_vs_aex1_name_only}x`);
  console.log(`bypass corpus (${lines.length} lines)    ${result.corpus_total_ms} ms total, ${result.corpus_per_line_us} us/line (target < 100 ms) ${pass(corpusMs < 100)}  [median of ${RUNS}]`);
  console.log(`  first 150 lines (the issue's corpus size) ${result.corpus_first_150_ms} ms ${pass(result.corpus_first_150_ms < 100)}  [best ${result.corpus_first_150_best_ms} ms]`);
  console.log(`  verdicts: ${Object.entries(tally).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ')}`);
}
if (sink < 0) console.log(sink); // keeps the baselines from being optimised away
