// bench/gate: median wall time of `node bin/aex.js gate` on a typical PreToolUse Read
// call and on a typical Bash call, each against `node -e 0`, measured alternately in the
// same run (base, Read, Bash, base, …) so machine load affects all three alike.
// Targets: Read <= 1.3x, Bash <= 1.6x (the shell parser loads only when a shell call
// needs it, so a Read pays nothing for it). Two Bash lines: the typical one of words and
// operators, whose tree is built without the parser, and one with quotes, which loads it.
//   node bench/gate.mjs [--host HOST] [--runs N] [--json]   (npm run build first)
// It measures the built gate as Claude Code runs it: bin/aex.js, the CommonJS bundles of
// scripts/bundle-gate.mjs and their V8 code caches. Without them (tsc only) the gate still
// works, through the unbundled ES modules, but far slower; the bench says so rather than
// print figures of a build nobody ships.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchProject } from '../scripts/scratch-project.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'aex.js');
const argv = process.argv.slice(2);
const runsArg = argv.indexOf('--runs');
const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : 40;
const json = argv.includes('--json');

const bundleDir = path.join(root, 'dist', 'adapters', 'claude-code');
const built = existsSync(bundleDir) ? readdirSync(bundleDir) : [];
for (const name of ['gate.bundle.cjs', 'gate-shell.cjs']) {
  if (!built.includes(name)) throw new Error(`${name} is missing from dist/adapters/claude-code: run npm run build first`);
  if (!built.some((f) => f.startsWith(`${name}.`) && f.endsWith('.v8cache'))) console.error(`warning: ${name} has no code cache; figures include compiling it`);
}

const { base, project: dir } = scratchProject('aex-bench-gate-', [
  'policy workspace v1',
  'goal "Default security boundary for this repository."',
  'allow file.read:./**, file.write:./**, tests.run, git.*',
  'allow shell.exec:"git status", shell.exec:"git diff *", shell.exec:"cat *", shell.exec:"grep *", shell.exec:"npm test"',
  'deny network.*, secrets.read, shell.exec:"rm -rf *"',
  'budget calls=1000000',
]);
const stateDir = path.join(base, 'state');
mkdirSync(stateDir);
// One typical non-shell call (read) and one typical shell call (bash) per host, in the host's
// own payload format. Hosts whose protocol is not in this build are left out (and said so).
const HOST_PAYLOADS = {
  'claude-code': (() => {
    const payload = (tool_name, tool_input) =>
      JSON.stringify({
        session_id: 'bench-session',
        transcript_path: path.join(dir, 'transcript.jsonl'),
        cwd: dir,
        permission_mode: 'default',
        hook_event_name: 'PreToolUse',
        tool_name,
        tool_input,
        tool_use_id: 'toolu_bench',
      });
    return {
      read: payload('Read', { file_path: path.join(dir, 'src', 'index.ts') }),
      bash: payload('Bash', { command: 'git diff --stat && cat src/index.ts | grep -n TODO', description: 'typical call' }),
      // Quotes need the real parser (a plain line's tree is built without it): its cost shown apart.
      bashParsed: payload('Bash', { command: 'git diff --stat && grep -n "TODO" src/index.ts', description: 'a line with quotes' }),
    };
  })(),
};
const hostArg = argv.indexOf('--host');
const host = hostArg >= 0 ? argv[hostArg + 1] : 'claude-code';
if (HOST_PAYLOADS[host] === undefined) throw new Error(`bench/gate has no payloads for host ${host} (known: ${Object.keys(HOST_PAYLOADS).join(', ')})`);
const inputs = HOST_PAYLOADS[host];
const gateArgs = ['gate', '--host', host];
const env = { ...process.env, AEX_STATE_DIR: stateDir, CLAUDE_PROJECT_DIR: dir };

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

const cpu = { base: 0, read: 0, bash: 0, bashParsed: 0 };
function time(cmd, args, stdin, bucket) {
  const c0 = childCpuMs();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { input: stdin, cwd: dir, env, encoding: 'utf8' });
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

// Warm-up: fills the compiled-policy cache and the OS file cache; both calls must be allowed.
for (const [name, input] of Object.entries(inputs)) {
  const first = time(process.execPath, [bin, ...gateArgs], input);
  if (host === 'claude-code' && !first.out.includes('"permissionDecision":"allow"')) throw new Error(`unexpected gate output for ${name}: ${first.out}`);
}
time(process.execPath, ['-e', '0'], '');

const wall = { base: [], read: [], bash: [], bashParsed: [] };
for (let i = 0; i < runs; i++) {
  wall.base.push(time(process.execPath, ['-e', '0'], '', 'base').ms);
  wall.read.push(time(process.execPath, [bin, ...gateArgs], inputs.read, 'read').ms);
  wall.bash.push(time(process.execPath, [bin, ...gateArgs], inputs.bash, 'bash').ms);
  wall.bashParsed.push(time(process.execPath, [bin, ...gateArgs], inputs.bashParsed, 'bashParsed').ms);
}
rmSync(base, { recursive: true, force: true });

const b = median(wall.base);
const r = median(wall.read);
const s = median(wall.bash);
const sp = median(wall.bashParsed);
const result = {
  host,
  runs,
  node_e0_median_ms: +b.toFixed(1),
  gate_read_median_ms: +r.toFixed(1),
  gate_bash_median_ms: +s.toFixed(1),
  gate_bash_parsed_median_ms: +sp.toFixed(1),
  read_ratio: +(r / b).toFixed(2),
  bash_ratio: +(s / b).toFixed(2),
  bash_parsed_ratio: +(sp / b).toFixed(2),
  read_target: 1.3,
  bash_target: 1.6,
  cpu_per_run_ms: Number.isFinite(cpu.base) && cpu.base > 0 ? { base: cpu.base / runs, read: cpu.read / runs, bash: cpu.bash / runs, bashParsed: cpu.bashParsed / runs } : undefined,
};
if (json) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const pass = (x, t) => (x <= t ? 'PASS' : 'OVER');
  console.log(`node -e 0       median ${b.toFixed(1)} ms (${runs} runs)`);
  console.log(`aex gate Read   median ${r.toFixed(1)} ms  ratio ${result.read_ratio.toFixed(2)}x (target <= 1.30x) ${pass(result.read_ratio, 1.3)}`);
  console.log(`aex gate Bash   median ${s.toFixed(1)} ms  ratio ${result.bash_ratio.toFixed(2)}x (target <= 1.60x) ${pass(result.bash_ratio, 1.6)}  (words and operators: no parser)`);
  console.log(`aex gate Bash   median ${sp.toFixed(1)} ms  ratio ${result.bash_parsed_ratio.toFixed(2)}x (target <= 1.60x) ${pass(result.bash_parsed_ratio, 1.6)}  (quotes: tree-sitter loaded)`);
  if (result.cpu_per_run_ms) {
    const c = result.cpu_per_run_ms;
    console.log(`cpu time per run: node -e 0 ${c.base.toFixed(1)} ms, Read ${c.read.toFixed(1)} ms (${(c.read / c.base).toFixed(2)}x), Bash ${c.bash.toFixed(1)} ms (${(c.bash / c.base).toFixed(2)}x), Bash with quotes ${c.bashParsed.toFixed(1)} ms (${(c.bashParsed / c.base).toFixed(2)}x)`);
  }
}
