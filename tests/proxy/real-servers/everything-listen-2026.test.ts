// server-everything (a 2025-11-25 server) behind `aex proxy --listen`, with an SDK v2 client
// pinned to 2026-07-28 over Streamable HTTP (in-process proxy, one server for the file):
// listing filtered, calls judged, resources and prompts gated, the server's sampling,
// elicitation and roots requests reaching the client inside input_required results,
// progress streamed on the call's own response, and a cancellation by closing it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { prepareProxy } from '../../../src/adapters/mcp/main.js';
import { EVERYTHING, everythingProject } from './everything-project.js';
import { resultText as text } from './in-process-proxy.js';
import { listeningProxy, type ListeningProxy } from '../listen-2026-harness.js';

let D: string;
let client: Client;
let proxy: ListeningProxy;
const sampled: unknown[] = [];
const elicited: unknown[] = [];

const events = () => proxy.events();

beforeAll(async () => {
  D = everythingProject('aex-everything-l26-', 'everything over http, 2026');
  proxy = await listeningProxy(await prepareProxy([EVERYTHING, 'stdio'], { name: 'ev' }, D));
  client = new Client(
    { name: 'everything-l26', version: '1' },
    { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } }, versionNegotiation: { mode: { pin: '2026-07-28' } } },
  );
  client.setRequestHandler('sampling/createMessage', async (req) => {
    sampled.push(req.params);
    return { role: 'assistant', content: { type: 'text', text: 'SAMPLED-BY-CLIENT' }, model: 'test-model', stopReason: 'endTurn' } as never;
  });
  client.setRequestHandler('elicitation/create', async (req) => {
    elicited.push(req.params);
    return { action: 'accept', content: { name: 'Ada Lovelace', check: true } } as never;
  });
  client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: `file://${D}`, name: 'project-root' }] }) as never);
  await client.connect(new StreamableHTTPClientTransport(new URL(proxy.url)));
}, 30_000);

afterAll(async () => {
  await client?.close().catch(() => {});
  // server-everything exits on its own terms when its input closes (the code is its, not the proxy's).
  await proxy?.stop();
  rmSync(D, { recursive: true, force: true });
});

describe('server-everything behind aex proxy --listen, client on 2026-07-28', () => {
  it('is a 2026 session on the client side and a 2025 one on the server side', () => {
    expect(client.getServerVersion()?.name).toMatch(/everything/);
    expect(proxy.listener.era()).toBe('modern');
    expect(events()).toContainEqual(expect.objectContaining({ event: 'client.protocol', version: '2026-07-28' }));
    expect(events()).toContainEqual(expect.objectContaining({ event: 'upstream.protocol', version: 'initialize' }));
  });

  it('lists only the tools the policy may allow', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(['echo', 'get-roots-list', 'get-sum', 'trigger-elicitation-request', 'trigger-long-running-operation', 'trigger-sampling-request']);
  });

  it('runs allowed calls and refuses a denied one, naming the rule', async () => {
    expect(text(await client.callTool({ name: 'echo', arguments: { message: 'hi there' } }))).toContain('hi there');
    expect(text(await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } }))).toContain('5');
    const r = await client.callTool({ name: 'get-env', arguments: {} });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('deny mcp.ev.get-env');
    expect(text(r)).not.toContain('PATH');
  });

  it('gates resources/read by URI and prompts/get by name', async () => {
    const ok = await client.readResource({ uri: 'demo://resource/dynamic/text/1' });
    expect(JSON.stringify(ok.contents)).toContain('demo://resource/dynamic/text/1');
    await expect(client.readResource({ uri: 'demo://resource/dynamic/text/2' })).rejects.toThrow(/AEX: no rule allows mcp\.ev\.resources\.read/);
    expect((await client.getPrompt({ name: 'simple-prompt' })).messages.length).toBeGreaterThan(0);
    await expect(client.getPrompt({ name: 'args-prompt', arguments: { city: 'x' } })).rejects.toThrow(/AEX: no rule allows mcp\.ev\.prompts\.get/);
    expect(events()).toContainEqual(expect.objectContaining({ event: 'tool.denied', tool: 'mcp.ev.resources.read' }));
  });

  it('brings the server’s sampling, elicitation and roots requests to the client inside the call', async () => {
    expect(text(await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'say hi', maxTokens: 10 } }))).toContain('SAMPLED-BY-CLIENT');
    expect(JSON.stringify(sampled)).toContain('say hi');
    expect(text(await client.callTool({ name: 'trigger-elicitation-request', arguments: {} }))).toContain('Ada Lovelace');
    expect(elicited).toHaveLength(1);
    expect(text(await client.callTool({ name: 'get-roots-list', arguments: {} }))).toContain('project-root');
  });

  it('streams progress on the call’s own response', async () => {
    const progress: number[] = [];
    const r = await client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 0.2, steps: 2 } }, { onprogress: (p) => progress.push(p.progress) });
    expect(text(r)).toContain('completed');
    expect(progress).toEqual([1, 2]);
  });

  it('a closed response cancels the call, and the session goes on', async () => {
    const abort = new AbortController();
    const call = client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 3, steps: 3 } }, { signal: abort.signal });
    setTimeout(() => abort.abort('enough'), 50);
    await expect(call).rejects.toThrow();
    expect(text(await client.callTool({ name: 'echo', arguments: { message: 'after' } }))).toContain('after');
  });
});
