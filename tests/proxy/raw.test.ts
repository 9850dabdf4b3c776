import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { INIT, rawProxy, SERVER, withTimeout } from './helpers.js';

// Raw JSON-RPC lines: the malformed-traffic rules and the lifecycle.
let P: string;
beforeAll(() => {
  P = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-proxy-raw-')));
  writeFileSync(path.join(P, 'policy.json'), JSON.stringify({ allow: ['echo', 'crash', 'executed', 'aex.*'], deny: ['secrets.read'], budget: { calls: 10 } }));
});
afterAll(() => rmSync(P, { recursive: true, force: true }));

const upstream = () => ['--', process.execPath, SERVER];

describe('aex proxy: malformed traffic is answered and never forwarded', () => {
  it('parse error, batch, missing method, wrong jsonrpc, notifications', async () => {
    const px = rawProxy(P, ['--policy', 'policy.json', '--audit', 'raw-audit.jsonl', ...upstream()]);
    try {
      px.send(INIT(1));
      const init = await px.next();
      expect(init).toMatchObject({ jsonrpc: '2.0', id: 1, result: { serverInfo: { name: 'aex-fixture' } } });
      px.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));

      px.send('this is not json');
      expect(await px.next()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });

      px.send(JSON.stringify([{ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'secrets.read', arguments: {} } }]));
      expect(await px.next()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request: batch requests are not supported' } });

      px.send(JSON.stringify({ jsonrpc: '2.0', id: 3 }));
      expect(await px.next()).toEqual({ jsonrpc: '2.0', id: 3, error: { code: -32600, message: 'Invalid Request: missing method' } });

      px.send(JSON.stringify({ jsonrpc: '1.0', id: 4, method: 'tools/call', params: { name: 'secrets.read' } }));
      expect(await px.next()).toEqual({ jsonrpc: '2.0', id: 4, error: { code: -32600, message: 'Invalid Request: jsonrpc must be "2.0"' } });

      px.send('42');
      expect(await px.next()).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'Invalid Request: message is not a JSON object' } });

      // A denied tools/call sent as a notification: no reply at all (the next reply is the ping's).
      px.send(JSON.stringify({ jsonrpc: '2.0', method: 'tools/call', params: { name: 'secrets.read', arguments: {} } }));
      px.send('');
      px.send(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'ping' }));
      expect(await px.next()).toEqual({ jsonrpc: '2.0', id: 5, result: {} });

      // A refusal is a tool result with isError, not a JSON-RPC error.
      px.send(JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'secrets.read', arguments: {} } }));
      expect(await px.next()).toEqual({
        jsonrpc: '2.0',
        id: 6,
        // Deny is checked before allow: the deny rule is the one named.
        result: { content: [{ type: 'text', text: "AEX: denied by 'deny secrets.read' (policy.json:1): secrets.read" }], isError: true },
      });
      px.send(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { arguments: {} } }));
      expect(await px.next()).toMatchObject({ id: 7, error: { code: -32602 } });

      // Nothing above reached the server: it executed no tool at all.
      px.send(JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'executed', arguments: {} } }));
      expect(await px.next()).toEqual({ jsonrpc: '2.0', id: 8, result: { content: [{ type: 'text', text: '[]' }] } });

      // tools/list with a cursor: no meta-tools appended to later pages.
      px.send(JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/list', params: {} }));
      const page1 = (await px.next()) as { result: { tools: Array<{ name: string }> } };
      expect(page1.result.tools.map((t) => t.name)).toEqual(['echo', 'executed', 'crash', 'aex_checkpoint', 'aex_resume', 'aex_list_tasks', 'aex_review_task']);
      px.send(JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'tools/list', params: { cursor: 'next' } }));
      const page2 = await px.next();
      if ('result' in page2) {
        expect((page2 as { result: { tools: Array<{ name: string }> } }).result.tools.map((t) => t.name)).not.toContain('aex_checkpoint');
      } else {
        expect(page2).toMatchObject({ id: 10, error: {} });
      }

      px.child.stdin.end();
      expect(await withTimeout(px.exit, 15_000, 'proxy exit')).toEqual({ code: 0, signal: null });
    } finally {
      px.child.kill('SIGKILL');
    }
    const events = readFileSync(path.join(P, 'raw-audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.filter((e) => e.event === 'proxy.parse_error')).toHaveLength(1);
    expect(events.filter((e) => e.event === 'proxy.invalid_request').map((e) => e.why)).toEqual([
      'batch',
      'missing method',
      'jsonrpc must be "2.0"',
      'message is not a JSON object',
      'tools/call needs params.name (a string)',
    ]);
    expect(events.filter((e) => e.event === 'tool.denied')).toHaveLength(2);
  });
});

describe('aex proxy lifecycle', () => {
  it('client EOF closes the upstream and the proxy exits with its code', async () => {
    const px = rawProxy(P, ['--policy', 'policy.json', '--', process.execPath, '-e', 'process.stdin.resume(); process.stdin.on("end", () => process.exit(7));']);
    try {
      px.child.stdin.end();
      expect(await withTimeout(px.exit, 15_000, 'proxy exit')).toEqual({ code: 7, signal: null });
    } finally {
      px.child.kill('SIGKILL');
    }
  });

  // An upstream that ignores EOF and SIGTERM: tests/proxy/core-stdio.test.ts, with short grace periods.

  it('a missing upstream binary: -32603 to the pending request, exit 127', async () => {
    const px = rawProxy(P, ['--policy', 'policy.json', '--', 'aex-no-such-binary-xyz']);
    try {
      px.send(INIT(1));
      expect(await px.next()).toMatchObject({ jsonrpc: '2.0', id: 1, error: { code: -32603 } });
      expect(await withTimeout(px.exit, 15_000, 'proxy exit')).toEqual({ code: 127, signal: null });
      expect(px.stderr()).toContain('cannot start upstream "aex-no-such-binary-xyz"');
    } finally {
      px.child.kill('SIGKILL');
    }
  });

  it('an upstream crash answers pending requests with errors, flushes the audit and exits with its code', async () => {
    const px = rawProxy(P, ['--policy', 'policy.json', '--audit', 'crash-audit.jsonl', ...upstream()]);
    try {
      px.send(INIT(1));
      await px.next();
      px.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      px.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'crash', arguments: {} } }));
      expect(await px.next()).toMatchObject({ jsonrpc: '2.0', id: 2, error: { code: -32603, message: 'Upstream server exited (code 3) before answering.' } });
      expect(await withTimeout(px.exit, 15_000, 'proxy exit')).toEqual({ code: 3, signal: null });
    } finally {
      px.child.kill('SIGKILL');
    }
    const events = readFileSync(path.join(P, 'crash-audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['tool.allowed', 'upstream.crashed', 'proxy.exited']));
    expect(events.at(-1)).toMatchObject({ event: 'proxy.exited', code: 3, calls_used: 1 });
  });
});

describe('aex proxy signals', () => {
  it('SIGTERM to the proxy is passed to the upstream; the proxy exits with its status', async () => {
    const px = rawProxy(P, ['--policy', 'policy.json', '--', process.execPath, SERVER]);
    try {
      px.send(INIT(1));
      await px.next();
      px.child.kill('SIGTERM');
      expect(await withTimeout(px.exit, 15_000, 'proxy exit')).toEqual({ code: 143, signal: null });
    } finally {
      px.child.kill('SIGKILL');
    }
  });
});

describe('aex proxy confirmation over raw JSON-RPC', () => {
  it('asks with elicitation/create; a cancelled call gets no reply and the question is withdrawn', async () => {
    writeFileSync(path.join(P, 'confirm.json'), JSON.stringify({ allow: ['echo', 'executed'], require_confirmation: ['echo'] }));
    const px = rawProxy(P, ['--policy', 'confirm.json', ...upstream()]);
    try {
      px.send(INIT(1, { elicitation: {} }));
      await px.next();
      px.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
      px.send(JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'a' } } }));
      const ask = (await px.next()) as { id: string; method: string; params: { message: string; requestedSchema: unknown } };
      expect(ask).toMatchObject({ jsonrpc: '2.0', method: 'elicitation/create', params: { requestedSchema: { type: 'object', properties: {} } } });
      // An unguessable id: 128 random bits.
      expect(ask.id).toMatch(/^aex-confirm-[0-9a-f]{32}$/);
      px.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 2, reason: 'user gave up' } }));
      expect(await px.next()).toEqual({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: ask.id, reason: 'tool call cancelled by the client' } });
      px.send(JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping' }));
      expect(await px.next()).toEqual({ jsonrpc: '2.0', id: 3, result: {} });

      px.send(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'echo', arguments: { text: 'b' } } }));
      const ask2 = (await px.next()) as { id: string };
      expect(ask2.id).toMatch(/^aex-confirm-[0-9a-f]{32}$/);
      expect(ask2.id).not.toBe(ask.id);
      px.send(JSON.stringify({ jsonrpc: '2.0', id: ask2.id, result: { action: 'accept', content: {} } }));
      expect(await px.next()).toEqual({ jsonrpc: '2.0', id: 4, result: { content: [{ type: 'text', text: 'echo: b' }] } });
      // The elicitation answer was consumed by the proxy, not forwarded; the cancelled call never ran.
      px.send(JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'executed', arguments: {} } }));
      expect(await px.next()).toEqual({ jsonrpc: '2.0', id: 5, result: { content: [{ type: 'text', text: '["echo"]' }] } });
      px.child.stdin.end();
      expect(await withTimeout(px.exit, 15_000, 'proxy exit')).toEqual({ code: 0, signal: null });
    } finally {
      px.child.kill('SIGKILL');
    }
  });
});
