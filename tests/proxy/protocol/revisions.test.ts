// Every pairing of protocol revisions through the proxy, with SDK v2 clients and
// servers in-process: the client in its default mode (2025 handshake), in auto mode and
// pinned to 2026-07-28; the server 2025-only, dual, or 2026-07-28-only. In each pairing
// the policy still decides: listing filtered, calls judged, resources and prompts gated,
// `confirm before` asked through whatever the client's revision offers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { session, textOf, type ClientKind, type ServerKind, type Session } from './harness.js';

const PAIRS: Array<[ClientKind, ServerKind, 'legacy' | 'modern', 'initialize' | '2026-07-28']> = [
  ['default', 'legacy', 'legacy', 'initialize'],
  ['default', 'modern', 'legacy', '2026-07-28'],
  ['pinned', 'legacy', 'modern', 'initialize'],
  ['pinned', 'modern', 'modern', '2026-07-28'],
  ['pinned', 'dual', 'modern', '2026-07-28'],
  ['auto', 'legacy', 'modern', 'initialize'],
  ['auto', 'dual', 'modern', '2026-07-28'],
];

describe.each(PAIRS)('client %s ↔ server %s', (clientKind, serverKind, clientEra, upstreamProtocol) => {
  let s: Session;
  beforeAll(async () => {
    s = await session(serverKind, clientKind);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('negotiates each side on its own', () => {
    expect(s.negotiated.client.era()).toBe(clientEra);
    expect(s.negotiated.upstream.era()).toBe(upstreamProtocol === 'initialize' ? 'legacy' : 'modern');
    if (clientEra === 'modern') expect(s.events()).toContainEqual(expect.objectContaining({ event: 'client.protocol', version: '2026-07-28' }));
    expect(s.events()).toContainEqual(expect.objectContaining({ event: 'upstream.protocol', version: upstreamProtocol }));
  });

  it('lists only what the policy allows', async () => {
    const tools = (await s.client.listTools()).tools.map((t) => t.name);
    expect(tools).toEqual(expect.arrayContaining(['echo', 'write', 'ask_user', 'sample']));
    expect(tools).not.toContain('secret');
  });

  it('runs an allowed call and refuses another', async () => {
    expect(textOf(await s.client.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toContain('echo hi');
    const r = await s.client.callTool({ name: 'secret', arguments: {} });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toContain('AEX:');
    expect(textOf(r)).not.toContain('SECRET');
  });

  it('confirms `confirm before` through the client, and the call runs once', async () => {
    const before = s.elicitations.length;
    const r = await s.client.callTool({ name: 'write', arguments: { path: 'a.txt' } });
    expect(textOf(r)).toContain('wrote a.txt');
    expect(s.elicitations.length).toBe(before + 1);
    expect(String(s.elicitations.at(-1)!.message)).toMatch(/^AEX: .*mcp\.s\.write/);
    expect(s.log.writes.filter((w) => w === 'a.txt')).toHaveLength(1);
    expect(s.events()).toContainEqual(expect.objectContaining({ event: 'confirm.approved' }));
  });

  it('relays an elicitation of the server to the client and back', async () => {
    const r = await s.client.callTool({ name: 'ask_user', arguments: {} });
    expect(textOf(r)).toContain('Ada');
  });

  it('relays sampling', async () => {
    const r = await s.client.callTool({ name: 'sample', arguments: {} });
    expect(textOf(r)).toContain('sampled-text');
  });

  it('gates resources/read by URI and prompts/get by name', async () => {
    const note = await s.client.readResource({ uri: 'mem://note' });
    expect(JSON.stringify(note.contents)).toContain('NOTE');
    await expect(s.client.readResource({ uri: 'mem://hidden' })).rejects.toThrow(/AEX/);
    const p = await s.client.getPrompt({ name: 'greet', arguments: { who: 'x' } });
    expect(JSON.stringify(p.messages)).toContain('greet x');
    await expect(s.client.getPrompt({ name: 'leak' })).rejects.toThrow(/AEX/);
    const ev = s.events();
    expect(ev).toContainEqual(expect.objectContaining({ event: 'tool.allowed', tool: 'mcp.s.resources.read' }));
    expect(ev).toContainEqual(expect.objectContaining({ event: 'tool.denied', tool: 'mcp.s.prompts.get' }));
  });
});

describe('a declined or cancelled confirmation', () => {
  it.each([
    ['decline', 'confirm.denied'],
    ['cancel', 'confirm.cancelled'],
  ])('in 2026-07-28: %s refuses the call, audited as %s', async (action, event) => {
    const s = await session('modern', 'pinned', { elicit: () => ({ action }) });
    try {
      const r = await s.client.callTool({ name: 'write', arguments: { path: 'no.txt' } });
      expect(r.isError).toBe(true);
      expect(s.log.writes).toEqual([]);
      expect(s.events()).toContainEqual(expect.objectContaining({ event }));
    } finally {
      await s.close();
    }
  });
});
