// bench/serve: decisions per second and latency (p50/p99) of `aex serve` over HTTP on
// loopback, with 16 concurrent clients posting Claude Code PreToolUse payloads (keep-alive
// connections, as Claude Code's http hooks and a long-lived client would use).
// Targets: p50 <= 1 ms, >= 5,000 decisions/s.
//   node bench/serve.mjs [--seconds N] [--clients N] [--json] [--profile DIR]   (npm run build first)
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
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(new URL(m[1]));
  });
  server.on('exit', (c) => reject(new Error(`aex serve exited (${c}): ${out}`)));
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
server.kill('SIGTERM');
await new Promise((r) => server.on('exit', r));
agent.destroy();
rmSync(base, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
const result = { clients, seconds: +wall.toFixed(2), decisions: latencies.length, per_second: Math.round(latencies.length / wall), p50_ms: +q(0.5).toFixed(3), p99_ms: +q(0.99).toFixed(3), server_cpu_ms_per_decision: +(cpuUsed / latencies.length).toFixed(3), p50_target_ms: 1, per_second_target: 5000 };
if (json) console.log(JSON.stringify(result, null, 2));
else {
  const pass = (ok) => (ok ? 'PASS' : 'MISS');
  console.log(`aex serve, ${clients} clients, ${result.decisions} decisions in ${result.seconds} s`);
  console.log(`  ${result.per_second} decisions/s (target >= 5000) ${pass(result.per_second >= 5000)}`);
  console.log(`  p50 ${result.p50_ms} ms (target <= 1 ms) ${pass(result.p50_ms <= 1)}, p99 ${result.p99_ms} ms`);
  console.log(`  server CPU ${result.server_cpu_ms_per_decision} ms per decision`);
}
