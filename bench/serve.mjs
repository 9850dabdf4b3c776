// bench/serve: decisions per second and latency of `aex serve` over HTTP on loopback, with
// 16 keep-alive clients posting Claude Code PreToolUse payloads (as Claude Code's http
// hooks and a long-lived client would), measured in two parts:
//   (a) throughput: 16 clients in a CLOSED loop (each sends its next request when its last
//       is answered), for as long as --seconds; decisions/s and the server's CPU per decision.
//       The latency of this part is printed too but is not the latency target: with 16
//       requests always outstanding, Little's law makes p50 ~ 16 / throughput.
//   (b) latency: the same 16 connections in an OPEN loop at a fixed offered load (--rate,
//       5,000 requests/s in total): each request is due at its own time whether or not the
//       earlier ones were answered, and its latency counts from that time, so a stall of the
//       server shows up as latency instead of slowing the offered load down.
// Targets: >= 5,000 decisions/s in (a), p50 <= 1 ms in (b).
//   node bench/serve.mjs [--seconds N] [--clients N] [--rate N] [--json] [--profile DIR]   (npm run build first)
// The server runs in a child process of its own (`node bin/aex.js serve`), so the clients'
// CPU is not counted as the server's.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchProject } from '../scripts/scratch-project.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const arg = (name, dflt) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : dflt);
const seconds = arg('--seconds', 5);
const clients = arg('--clients', 16);
const rate = arg('--rate', 5000);
const json = argv.includes('--json');
// --profile DIR: the server writes a V8 CPU profile there (node --cpu-prof) when it stops.
const profileDir = argv.includes('--profile') ? path.resolve(argv[argv.indexOf('--profile') + 1]) : undefined;

const { base, project } = scratchProject('aex-bench-serve-', [
  'policy workspace v1',
  'goal "Default security boundary for this repository."',
  'allow file.read:./**, file.write:./**, shell.exec:"git *", shell.exec:"cat *"',
  'deny network.*, shell.exec:"rm -rf *"',
]);
const tokenFile = path.join(base, 'token');
const token = 'bench-token-0123456789abcdef';
writeFileSync(tokenFile, token);
const env = { ...process.env, AEX_STATE_DIR: path.join(base, 'state') };
delete env.CLAUDE_PROJECT_DIR;

const nodeArgs = profileDir !== undefined ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
const server = spawn(process.execPath, [...nodeArgs, path.join(root, 'bin', 'aex.js'), 'serve', '--listen', '127.0.0.1:0', '--token-file', tokenFile], { env, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
const url = await new Promise((resolve, reject) => {
  server.stdout.on('data', (d) => {
    out += d;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(new URL(m[1]));
  });
  server.once('exit', (c) => reject(new Error(`aex serve exited (${c}): ${out}`)));
});

const payloads = [
  { tool_name: 'Read', tool_input: { file_path: path.join(project, 'src', 'index.ts') } },
  { tool_name: 'Edit', tool_input: { file_path: path.join(project, 'src', 'index.ts'), old_string: 'a', new_string: 'b' } },
  { tool_name: 'Read', tool_input: { file_path: '/etc/passwd' } },
].map((p, i) => JSON.stringify({ session_id: `bench-${i}`, cwd: project, hook_event_name: 'PreToolUse', permission_mode: 'default', tool_use_id: 'toolu_bench', ...p }));

const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
function post(body) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, path: '/hook/claude-code', method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => (res.statusCode === 200 ? resolve(text) : reject(new Error(`HTTP ${res.statusCode}: ${text}`))));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

// Warm-up: compiles the policy, opens the connections; every answer must be a decision.
for (const p of payloads) if (!(await post(p)).includes('permissionDecision')) throw new Error('aex serve gave no decision');
for (let i = 0; i < 200; i++) await post(payloads[i % payloads.length]);

// The server's CPU time (user + system, Linux /proc), which a loaded machine changes far
// less than it changes throughput and latency: reported per decision.
const cpuMs = () => {
  try {
    const f = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
};
const quantile = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const ms = (t) => +t.toFixed(3);

// (a) Closed loop.
const latencies = [];
const cpu0 = cpuMs();
const end = Date.now() + seconds * 1000;
const t0 = process.hrtime.bigint();
await Promise.all(
  Array.from({ length: clients }, async (_, c) => {
    for (let i = c; Date.now() < end; i++) {
      const s = process.hrtime.bigint();
      await post(payloads[i % payloads.length]);
      latencies.push(Number(process.hrtime.bigint() - s) / 1e6);
    }
  }),
);
const wall = Number(process.hrtime.bigint() - t0) / 1e9;
const cpuUsed = cpuMs() - cpu0;
latencies.sort((a, b) => a - b);

// (b) Open loop at `rate` requests/s: request i is due at start + i/rate. Due requests are
// sent whenever the client gets to run (after each answer, and from a 1 ms timer), on
// whichever of the `clients` connections is free; latency counts from the due time.
const openLat = [];
let openErrors = 0;
{
  const total = Math.round(rate * seconds);
  const start = performance.now() + 5;
  let next = 0;
  let done = 0;
  await new Promise((resolve) => {
    const pump = () => {
      const now = performance.now();
      while (next < total && start + (next * 1000) / rate <= now) {
        const due = start + (next * 1000) / rate;
        post(payloads[next % payloads.length])
          .then(() => openLat.push(performance.now() - due), () => openErrors++)
          .finally(() => {
            if (++done === total) resolve();
            else pump();
          });
        next++;
      }
    };
    const timer = setInterval(pump, 1);
    const stop = () => clearInterval(timer);
    pump();
    const check = setInterval(() => {
      if (done === total) {
        stop();
        clearInterval(check);
      }
    }, 50);
  });
}
openLat.sort((a, b) => a - b);

server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
agent.destroy();
rmSync(base, { recursive: true, force: true });
const commits = /stopped \((.*)\)/.exec(out)?.[1] ?? '';

const result = {
  clients,
  closed_loop: { seconds: +wall.toFixed(2), decisions: latencies.length, per_second: Math.round(latencies.length / wall), p50_ms: ms(quantile(latencies, 0.5)), p99_ms: ms(quantile(latencies, 0.99)), server_cpu_ms_per_decision: +(cpuUsed / latencies.length).toFixed(3) },
  open_loop: { offered_per_second: rate, requests: openLat.length, errors: openErrors, p50_ms: ms(quantile(openLat, 0.5)), p99_ms: ms(quantile(openLat, 0.99)) },
  server: commits,
  per_second_target: 5000,
  p50_target_ms: 1,
};
if (json) console.log(JSON.stringify(result, null, 2));
else {
  const pass = (ok) => (ok ? 'PASS' : 'MISS');
  const c = result.closed_loop;
  const o = result.open_loop;
  console.log(`aex serve, ${clients} keep-alive clients`);
  console.log(`  (a) closed loop: ${c.decisions} decisions in ${c.seconds} s = ${c.per_second} decisions/s (target >= 5000) ${pass(c.per_second >= 5000)}`);
  console.log(`      server CPU ${c.server_cpu_ms_per_decision} ms per decision; latency p50 ${c.p50_ms} ms, p99 ${c.p99_ms} ms (16 always outstanding)`);
  console.log(`  (b) open loop at ${rate}/s: ${o.requests} answered, ${o.errors} errors; latency from the due time p50 ${o.p50_ms} ms (target <= 1 ms) ${pass(o.p50_ms <= 1)}, p99 ${o.p99_ms} ms`);
  if (commits !== '') console.log(`  server: ${commits}`);
}
