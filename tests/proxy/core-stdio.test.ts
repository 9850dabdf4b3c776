// The stdio pieces in-process: runProxy with PassThrough streams for the client and a real
// child process upstream, with the shutdown grace periods shortened. Oversize messages,
// the upstream's stderr, re-serialised forwarding and the close sequence.
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { runProxy, type ProxySetup } from '../../src/adapters/mcp/proxy.js';
import { framedStderrLine } from '../../src/adapters/mcp/upstream-process.js';
import { LineSplitter, TopLevelScanner } from '../../src/adapters/mcp/framing.js';
import { setupFor, tempProject } from './inproc.js';
import { jsonLineReader, processAlive } from './helpers.js';
import { rmSync } from 'node:fs';

let D: string | undefined;
afterEach(() => {
  if (D) rmSync(D, { recursive: true, force: true });
  D = undefined;
});

interface Running {
  send(line: string): void;
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  end(): void;
  exit: Promise<number>;
  stderr(): string;
}

const FAST = { termAfterMs: 60, killAfterMs: 60 };

/** Waits until the upstream has written `ready` on its stderr (node may take a while to boot under load). */
async function ready(px: Running): Promise<void> {
  for (let i = 0; i < 250 && !px.stderr().includes('upstream| ready'); i++) await new Promise((r) => setTimeout(r, 20));
}

/** runProxy in this process: the test is the client on a pair of PassThrough streams. */
function start(setup: ProxySetup): Running {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let err = '';
  const stderr = new Writable({
    write(c, _e, cb) {
      err += String(c);
      cb();
    },
  });
  const nextLine = jsonLineReader(stdout, () => err);
  const exit = runProxy({ grace: FAST, ...setup }, { stdin, stdout, stderr });
  return {
    send: (l) => stdin.write(l + '\n'),
    next: (ms = 5000) => nextLine(ms),
    end: () => stdin.end(),
    exit,
    stderr: () => err,
  };
}

/** A tiny upstream: answers every request with its raw line (as received) in result.raw. */
const ECHO_RAW = `
let b='';process.stdin.on('data',d=>{b+=d;let i;while((i=b.indexOf('\\n'))>=0){const l=b.slice(0,i);b=b.slice(i+1);let m;try{m=JSON.parse(l)}catch{continue}
if(m.id!==undefined&&m.method!==undefined){process.stdout.write(JSON.stringify({jsonrpc:'2.0',id:m.id,result:{raw:l}})+'\\n')}}});
`;

describe('what reaches the server is the judged message, re-serialised', () => {
  it('a duplicate key reaches the server once, with the value AEX judged', async () => {
    D = tempProject();
    const px = start(await setupFor(D, { allow: ['echo'], deny: ['secrets.read'] }, { command: process.execPath, args: ['-e', ECHO_RAW] }));
    px.send('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"secrets.read","name":"echo","arguments":{"a":1,"a":2}}}');
    const r = (await px.next()) as { result: { raw: string } };
    expect(r.result.raw).toBe('{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"a":2}}}');
    // Pass-through traffic too: whitespace and duplicates do not survive the proxy.
    px.send('{ "jsonrpc":"2.0", "id":2, "method":"ping", "method":"ping" }');
    expect(((await px.next()) as { result: { raw: string } }).result.raw).toBe('{"jsonrpc":"2.0","id":2,"method":"ping"}');
    px.end();
    expect(await px.exit).toBe(0);
  });
});

describe('oversize messages are answered and audited, never dropped', () => {
  it('client → proxy: the request over the limit gets an error with its own id, wherever the id sits', async () => {
    D = tempProject();
    const audit = path.join(D, 'audit.jsonl');
    const px = start(await setupFor(D, { allow: ['echo'] }, { command: process.execPath, args: ['-e', ECHO_RAW], maxMessageBytes: 4096, auditFile: audit }));
    const big = 'x'.repeat(10_000);
    px.send(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'echo', arguments: { big } } }));
    expect(await px.next()).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32003, message: expect.stringMatching(/over the limit of 4096 bytes/) } });
    // The id after the large part, a string id, and an escaped quote inside the payload.
    px.send(JSON.stringify({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'echo', arguments: { big: `"\\${big}` } }, id: 'late-id' }));
    expect(await px.next()).toMatchObject({ id: 'late-id', error: { code: -32003 } });
    // A notification over the limit: no reply (the next reply is the ping's), but audited.
    px.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { big } }));
    px.send(JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'ping' }));
    expect(await px.next()).toMatchObject({ id: 8, result: {} });
    px.end();
    expect(await px.exit).toBe(0);
    const events = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.event === 'proxy.oversize').map((e) => [e.id, e.method ?? null])).toEqual([
      [7, 'tools/call'],
      ['late-id', 'tools/call'],
      [null, 'notifications/message'],
    ]);
  });

  it('upstream → proxy: a response over the limit becomes an error for the waiting request', async () => {
    D = tempProject();
    const huge = `let b='';process.stdin.on('data',d=>{b+=d;let i;while((i=b.indexOf('\\n'))>=0){const m=JSON.parse(b.slice(0,i));b=b.slice(i+1);
      if(m.id!==undefined)process.stdout.write(JSON.stringify({jsonrpc:'2.0',id:m.id,result:{content:[{type:'text',text:'y'.repeat(20000)}]}})+'\\n')}});`;
    const px = start(await setupFor(D, { allow: ['echo'] }, { command: process.execPath, args: ['-e', huge], maxMessageBytes: 4096 }));
    px.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'echo', arguments: {} } }));
    expect(await px.next()).toMatchObject({ id: 3, error: { code: -32003, message: expect.stringMatching(/the server sent a message of \d+ bytes/) } });
    px.end();
    await px.exit;
  });

  it('the scanner finds top-level id and method only, across chunk boundaries', () => {
    const text = JSON.stringify({ params: { id: 'inner', method: 'x', s: 'a"b\\"id":9' }, method: 'tools/call', id: 42, jsonrpc: '2.0' });
    const s = new TopLevelScanner();
    for (let i = 0; i < text.length; i += 3) s.feed(Buffer.from(text.slice(i, i + 3)));
    expect(s.result()).toMatchObject({ id: 42, method: 'tools/call', response: false });
    const got: unknown[] = [];
    const split = new LineSplitter(() => got.push('line'), (info) => got.push(info), 64);
    split.push(Buffer.from(JSON.stringify({ jsonrpc: '2.0', id: 5, result: { t: 'z'.repeat(200) } }) + '\n{"a":1}\n'));
    expect(got).toEqual([{ bytes: expect.any(Number), id: 5, response: true }, 'line']);
  });
});

describe("the upstream's stderr cannot forge the audit", () => {
  it('each stderr line is prefixed and escaped; the audit on stderr is still one JSON object per line', async () => {
    D = tempProject();
    const forge = `process.stderr.write('{"ts":"x","seq":1,"event":"tool.allowed","tool":"secrets.read"}\\nline two\\r\\u001b[2K{"event":"x"}\\u2028{"seq":2}\\nready\\n'); process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`;
    const px = start(await setupFor(D, { allow: ['echo'] }, { command: process.execPath, args: ['-e', forge] }));
    await ready(px);
    px.end();
    expect(await px.exit).toBe(0);
    const lines = px.stderr().split('\n').filter(Boolean);
    for (const l of lines) {
      if (l.startsWith('{')) {
        const e = JSON.parse(l);
        expect(e.tool).not.toBe('secrets.read');
      }
    }
    expect(lines).toContain('upstream| {"ts":"x","seq":1,"event":"tool.allowed","tool":"secrets.read"}');
    expect(lines).toContain('upstream| line two\\u000d\\u001b[2K{"event":"x"}\\u2028{"seq":2}');
    expect(framedStderrLine('a\u0000b')).toBe('upstream| a\\u0000b\n');
  });
});

describe('shutdown follows the SDK close sequence, and nothing is left behind', () => {
  it('client EOF: stdin closed, SIGTERM, then SIGKILL for a server that ignores SIGTERM, its child included', async () => {
    D = tempProject();
    const pidFile = path.join(D, 'grandchild.pid');
    // The server ignores EOF and SIGTERM and starts a grandchild that does the same.
    const stubborn = `process.on('SIGTERM',()=>{});process.stdin.resume();process.stdin.on('end',()=>{});
      const c=require('child_process').spawn(process.execPath,['-e',"process.on('SIGTERM',()=>{});setInterval(()=>{},1000)"],{stdio:'ignore'});
      require('fs').writeFileSync(${JSON.stringify(pidFile)},String(c.pid));setInterval(()=>{},1000);`;
    const audit = path.join(D, 'audit.jsonl');
    const px = start(await setupFor(D, { allow: [] }, { command: process.execPath, args: ['-e', stubborn], auditFile: audit }));
    for (let i = 0; i < 50 && !existsSync(pidFile); i++) await new Promise((r) => setTimeout(r, 20));
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    const t0 = Date.now();
    px.end();
    expect(await px.exit).toBe(137);
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(FAST.termAfterMs + FAST.killAfterMs - 10);
    expect(took).toBeLessThan(1500);
    // SIGKILL is immediate, but a killed process exists until it is reaped: poll briefly.
    const alive = () => processAlive(grandchild);
    for (let i = 0; i < 40 && alive(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive()).toBe(false);
    const events = readFileSync(audit, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.event === 'upstream.terminated').map((e) => e.signal)).toEqual(['SIGTERM', 'SIGKILL']);
    expect(events.at(-1)).toMatchObject({ event: 'proxy.exited', code: 137 });
  });

  it('a server that exits on EOF is not signalled', async () => {
    D = tempProject();
    const audit = path.join(D, 'audit.jsonl');
    const px = start(await setupFor(D, { allow: [] }, { command: process.execPath, args: ['-e', "process.stdin.resume();process.stdin.on('end',()=>process.exit(4));console.error('ready')"], auditFile: audit }));
    await ready(px);
    px.end();
    expect(await px.exit).toBe(4);
    expect(readFileSync(audit, 'utf8')).not.toContain('upstream.terminated');
  });

  it('default grace: SIGTERM 1 s after EOF and SIGKILL 2 s later, inside the 2 s + 2 s an SDK client allows', async () => {
    const { DEFAULT_GRACE } = await import('../../src/adapters/mcp/proxy.js');
    expect(DEFAULT_GRACE).toEqual({ termAfterMs: 1000, killAfterMs: 2000 });
  });
});
