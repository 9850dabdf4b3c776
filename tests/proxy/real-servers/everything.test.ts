// server-everything behind the proxy, with the SDK client over stdio (in-process proxy,
// one server for the whole file): listing filtered, calls judged, resources and prompts
// gated by URI and name, and the server's own requests to the client (sampling,
// elicitation, roots) relayed, as are progress notifications and a cancellation.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/client';
import { prepareProxy } from '../../../src/adapters/mcp/main.js';
import { EVERYTHING, everythingProject } from './everything-project.js';
import { resultText as text, startInProcessProxy, type InProcessProxy } from './in-process-proxy.js';

let D: string;
let client: Client;
let proxy: InProcessProxy;
const sampled: unknown[] = [];
const elicited: unknown[] = [];

const events = () => proxy.events();

beforeAll(async () => {
  D = everythingProject('aex-everything-', 'everything');
  const setup = await prepareProxy([EVERYTHING, 'stdio'], { name: 'ev' }, D);
  proxy = startInProcessProxy(setup);
  client = new Client({ name: 'everything-test', version: '1' }, { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } } });
  client.setRequestHandler('sampling/createMessage', async (req) => {
    sampled.push(req.params);
    return { role: 'assistant', content: { type: 'text', text: 'SAMPLED-BY-CLIENT' }, model: 'test-model', stopReason: 'endTurn' } as never;
  });
  client.setRequestHandler('elicitation/create', async (req) => {
    elicited.push(req.params);
    return { action: 'accept', content: { name: 'Ada Lovelace', check: true } } as never;
  });
  client.setRequestHandler('roots/list', async () => ({ roots: [{ uri: `file://${D}`, name: 'project-root' }] }) as never);
  await client.connect(proxy.pair as never);
}, 30_000);

afterAll(async () => {
  await client?.close();
  await proxy?.exit;
  rmSync(D, { recursive: true, force: true });
});

describe('server-everything behind aex proxy', () => {
  it('lists only the tools the policy may allow, by their real names', async () => {
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

  it('gates resources/read as mcp.ev.resources.read with the URI, and filters the lists', async () => {
    const ok = await client.readResource({ uri: 'demo://resource/dynamic/text/1' });
    expect(JSON.stringify(ok.contents)).toContain('demo://resource/dynamic/text/1');
    await expect(client.readResource({ uri: 'demo://resource/dynamic/text/2' })).rejects.toThrow(/AEX: no rule allows mcp\.ev\.resources\.read/);
    const listed = (await client.listResources()).resources.map((r) => r.uri);
    expect(listed.filter((u) => u !== 'demo://resource/dynamic/text/1')).toEqual([]);
    expect(events()).toContainEqual(expect.objectContaining({ event: 'tool.allowed', tool: 'mcp.ev.resources.read' }));
    expect(events()).toContainEqual(expect.objectContaining({ event: 'tool.denied', tool: 'mcp.ev.resources.read' }));
  });

  it('gates prompts/get as mcp.ev.prompts.get with the name', async () => {
    const p = await client.getPrompt({ name: 'simple-prompt' });
    expect(p.messages.length).toBeGreaterThan(0);
    await expect(client.getPrompt({ name: 'args-prompt', arguments: { city: 'x' } })).rejects.toThrow(/AEX: no rule allows mcp\.ev\.prompts\.get/);
    expect((await client.listPrompts()).prompts.map((q) => q.name)).toEqual(['simple-prompt']);
  });

  it('relays the server’s sampling request to the client and its answer back', async () => {
    const r = await client.callTool({ name: 'trigger-sampling-request', arguments: { prompt: 'say hi', maxTokens: 10 } });
    expect(text(r)).toContain('SAMPLED-BY-CLIENT');
    expect(JSON.stringify(sampled)).toContain('say hi');
  });

  it('relays the server’s elicitation', async () => {
    const r = await client.callTool({ name: 'trigger-elicitation-request', arguments: {} });
    expect(text(r)).toContain('Ada Lovelace');
    expect(elicited).toHaveLength(1);
  });

  it('relays roots/list', async () => {
    const r = await client.callTool({ name: 'get-roots-list', arguments: {} });
    expect(text(r)).toContain('project-root');
  });

  it('relays progress notifications', async () => {
    const progress: number[] = [];
    const r = await client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 0.2, steps: 2 } },
      { onprogress: (p) => progress.push(p.progress) },
    );
    expect(text(r)).toContain('completed');
    expect(progress).toEqual([1, 2]);
  });

  it('relays a cancellation, and the session goes on', async () => {
    const abort = new AbortController();
    const call = client.callTool({ name: 'trigger-long-running-operation', arguments: { duration: 3, steps: 3 } }, { signal: abort.signal });
    setTimeout(() => abort.abort('enough'), 50);
    await expect(call).rejects.toThrow();
    expect(text(await client.callTool({ name: 'echo', arguments: { message: 'after' } }))).toContain('after');
  });
});
