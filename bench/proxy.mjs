// bench/proxy: 2,000 sequential tools/call round trips from an SDK client, straight to
// the fixture MCP server and through `aex proxy`, alternating call by call so both see
// the same machine load. Prints the added latency per call (median, p99) and the
// throughput ratio. Target: median added latency under 1 ms.
//   node bench/proxy.mjs [--calls N]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'aex.js');
const server = path.join(root, 'tests', 'fixtures', 'mcp', 'server.mjs');
const callsArg = process.argv.indexOf('--calls');
const calls = callsArg > 0 ? Number(process.argv[callsArg + 1]) : 2000;

const dir = mkdtempSync(path.join(tmpdir(), 'aex-bench-proxy-'));
writeFileSync(path.join(dir, 'policy.json'), JSON.stringify({ allow: ['echo'], deny: ['secrets.read', 'network.*'], budget: { calls: calls + 100 } }));

async function connect(command, args) {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  await client.connect(new StdioClientTransport({ command, args, cwd: dir, stderr: 'inherit' }));
  return client;
}

const direct = await connect(process.execPath, [server]);
const proxied = await connect(process.execPath, [bin, 'proxy', '--policy', 'policy.json', '--audit', path.join(dir, 'audit.jsonl'), '--', process.execPath, server]);

async function once(client, i) {
  const t0 = process.hrtime.bigint();
  const r = await client.callTool({ name: 'echo', arguments: { text: `call ${i}` } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.isError || r.content[0].text !== `echo: call ${i}`) throw new Error(`unexpected result ${JSON.stringify(r)}`);
  return ms;
}

// Warm-up (JIT, page cache) on both paths.
for (let i = 0; i < 100; i++) {
  await once(direct, i);
  await once(proxied, i);
}

const d = [];
const p = [];
for (let i = 0; i < calls; i++) {
  if (i % 2 === 0) {
    d.push(await once(direct, i));
    p.push(await once(proxied, i));
  } else {
    p.push(await once(proxied, i));
    d.push(await once(direct, i));
  }
}
await direct.close();
await proxied.close();
rmSync(dir, { recursive: true, force: true });

const q = (xs, f) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(f * s.length))];
};
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const addedMedian = q(p, 0.5) - q(d, 0.5);
const addedP99 = q(p, 0.99) - q(d, 0.99);
console.log(`calls ${calls} each way, alternating`);
console.log(`direct   median ${q(d, 0.5).toFixed(3)} ms  p99 ${q(d, 0.99).toFixed(3)} ms  total ${sum(d).toFixed(0)} ms`);
console.log(`proxied  median ${q(p, 0.5).toFixed(3)} ms  p99 ${q(p, 0.99).toFixed(3)} ms  total ${sum(p).toFixed(0)} ms`);
console.log(`added latency median ${addedMedian.toFixed(3)} ms  p99 ${addedP99.toFixed(3)} ms`);
console.log(`throughput ratio (proxied/direct) ${(sum(d) / sum(p)).toFixed(2)}`);
console.log(`target median added < 1 ms: ${addedMedian < 1 ? 'PASS' : 'OVER'}`);
