// bench/proxy: tools/call round trips from an SDK client straight to a server and through
// `aex proxy`, alternating call by call so both see the same machine load, over two
// transports:
//   stdio — the fixture server (tests/fixtures/mcp/server.mjs) vs `aex proxy -- fixture`;
//   HTTP  — server-everything in Streamable HTTP mode on 127.0.0.1 vs a stdio client of
//           `aex proxy --url` in front of that same server.
// Prints the added latency per call (median, p99) and the throughput with 64 calls in
// flight, as a ratio proxied/direct, and the proxy process's CPU time per call (which a loaded
// machine changes least). Targets: stdio median added < 0.3 ms; throughput ≥ 0.8×.
//   node bench/proxy.mjs [--calls N] [--only stdio|http] [--reference] [--profile DIR]   (npm run build first)
// --reference: over stdio, also two reference relays measured the same way in the same run
// (bench/relays/): one that passes bytes through unread, one that parses and re-serialises every
// message and does nothing else — what any relay process costs on this machine, and what a
// relay that only reads messages costs, beside which `aex proxy`'s figures can be read.
// --profile DIR: each proxy process writes a V8 CPU profile there (node --cpu-prof) when it exits.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'aex.js');
const fixture = path.join(root, 'tests', 'fixtures', 'mcp', 'server.mjs');
const everything = path.join(root, 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');
const arg = (name, dflt) => (process.argv.indexOf(name) > 0 ? process.argv[process.argv.indexOf(name) + 1] : dflt);
const calls = Number(arg('--calls', '2000'));
const only = arg('--only', undefined);
const reference = process.argv.includes('--reference');
const INFLIGHT = 64;
const profileDir = arg('--profile', undefined) !== undefined ? path.resolve(arg('--profile')) : undefined;
const nodeArgs = profileDir !== undefined ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];

const dir = mkdtempSync(path.join(tmpdir(), 'aex-bench-proxy-'));
writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ allow: ['echo', 'mcp.ev.echo'], budget: { calls: 100 * calls } }));

async function connect(transport) {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(transport);
  client.pid = transport.pid;
  return client;
}

// CPU time (user + system, Linux /proc) of a process: a loaded machine changes it far less
// than it changes latency and throughput, so it is reported per call beside them.
const cpuMs = (pid) => {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
};
const stdio = (command, args) => new StdioClientTransport({ command, args, cwd: dir, stderr: 'inherit' });
const proxyArgs = (...rest) => [...nodeArgs, bin, 'proxy', '--policy', 'policy.json', '--audit', path.join(dir, `audit-${Math.random()}.jsonl`), ...rest];

async function once(client, tool, i) {
  const t0 = process.hrtime.bigint();
  const r = await client.callTool({ name: tool, arguments: tool === 'echo' && client.fixture ? { text: `c${i}` } : { message: `c${i}` } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.isError) throw new Error(`unexpected result ${JSON.stringify(r)}`);
  return ms;
}

async function throughput(client, tool, n) {
  const t0 = process.hrtime.bigint();
  let next = 0;
  const worker = async () => {
    while (next < n) await once(client, tool, next++);
  };
  await Promise.all(Array.from({ length: INFLIGHT }, worker));
  return n / (Number(process.hrtime.bigint() - t0) / 1e9);
}

const q = (xs, f) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))];
};

async function compare(label, direct, proxied, tool, target, { reference = false } = {}) {
  for (let i = 0; i < 100; i++) {
    await once(direct, tool, i);
    await once(proxied, tool, i);
  }
  const d = [];
  const p = [];
  const cpu0 = cpuMs(proxied.pid);
  for (let i = 0; i < calls; i++) {
    const [a, b] = i % 2 === 0 ? [direct, proxied] : [proxied, direct];
    const ta = await once(a, tool, i);
    const tb = await once(b, tool, i);
    (a === direct ? d : p).push(ta);
    (b === direct ? d : p).push(tb);
  }
  const cpuOne = (cpuMs(proxied.pid) - cpu0) / calls;
  // Throughput: alternate the two, twice each, best of each.
  const td = [];
  const tp = [];
  let cpuMany = 0;
  for (let k = 0; k < 2; k++) {
    td.push(await throughput(direct, tool, calls));
    const c0 = cpuMs(proxied.pid);
    tp.push(await throughput(proxied, tool, calls));
    cpuMany += (cpuMs(proxied.pid) - c0) / (2 * calls);
  }
  const added = q(p, 0.5) - q(d, 0.5);
  const ratio = Math.max(...tp) / Math.max(...td);
  console.log(`${label}: ${calls} calls each way, alternating`);
  console.log(`  direct   median ${q(d, 0.5).toFixed(3)} ms  p99 ${q(d, 0.99).toFixed(3)} ms  ${Math.max(...td).toFixed(0)} calls/s with ${INFLIGHT} in flight`);
  console.log(`  proxied  median ${q(p, 0.5).toFixed(3)} ms  p99 ${q(p, 0.99).toFixed(3)} ms  ${Math.max(...tp).toFixed(0)} calls/s with ${INFLIGHT} in flight`);
  console.log(`  added latency median ${added.toFixed(3)} ms  p99 ${(q(p, 0.99) - q(d, 0.99)).toFixed(3)} ms`);
  console.log(`  throughput ratio (proxied/direct) ${ratio.toFixed(2)}`);
  // The stdio proxy's own process (the HTTP one is the same process, with the SDK's HTTP client in it).
  console.log(`  ${reference ? 'relay' : 'proxy'} CPU per call: ${cpuOne.toFixed(3)} ms one at a time, ${cpuMany.toFixed(3)} ms with ${INFLIGHT} in flight`);
  if (reference) return;
  if (target !== undefined) console.log(`  target median added < ${target} ms: ${added < target ? 'PASS' : 'OVER'}`);
  console.log(`  target throughput ≥ 0.8×: ${ratio >= 0.8 ? 'PASS' : 'UNDER'}`);
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

try {
  if (only !== 'http') {
    const direct = await connect(stdio(process.execPath, [fixture]));
    direct.fixture = true;
    const proxied = await connect(stdio(process.execPath, proxyArgs('--', process.execPath, fixture)));
    proxied.fixture = true;
    await compare('stdio', direct, proxied, 'echo', 0.3);
    await proxied.close();
    if (reference) {
      for (const relay of ['byte-relay', 'json-relay']) {
        const through = await connect(stdio(process.execPath, [path.join(root, 'bench', 'relays', `${relay}.mjs`), process.execPath, fixture]));
        through.fixture = true;
        await compare(`stdio through bench/relays/${relay}.mjs (reference, not aex)`, direct, through, 'echo', undefined, { reference: true });
        await through.close();
      }
    }
    await direct.close();
  }
  if (only !== 'stdio') {
    const port = await freePort();
    const server = spawn(process.execPath, [everything, 'streamableHttp'], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise((resolve) => server.stderr.on('data', (c) => String(c).includes('listening') && resolve()));
    const url = `http://127.0.0.1:${port}/mcp`;
    const direct = await connect(new StreamableHTTPClientTransport(new URL(url)));
    const proxied = await connect(stdio(process.execPath, proxyArgs('--name', 'ev', '--url', url)));
    await compare('HTTP (stdio client → aex proxy --url → server)', direct, proxied, 'echo');
    await direct.close();
    await proxied.close();
    server.kill();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
