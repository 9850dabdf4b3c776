// server-memory (a 2025-11-25 server) behind the proxy, with an SDK v2 client pinned to
// protocol 2026-07-28 over stdio (in-process proxy, one server for the whole file): the
// proxy answers server/discover, translates every request and result, and still judges
// each call; `confirm before` is asked through the 2026 multi-round-trip mechanism.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { prepareProxy } from '../../../src/adapters/mcp/main.js';
import { resultText as text, startInProcessProxy, type InProcessProxy } from './in-process-proxy.js';

const MEMORY = path.resolve('node_modules/.bin/mcp-server-memory');
let D: string;
let client: Client;
let proxy: InProcessProxy;
const asked: Array<Record<string, unknown>> = [];
let answer: 'accept' | 'decline' = 'accept';

const events = () => proxy.events();

beforeAll(async () => {
  D = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-memory-')));
  mkdirSync(path.join(D, '.aex'));
  writeFileSync(
    path.join(D, '.aex', 'policy.aex'),
    ['policy p v0', 'goal "memory"', 'allow mcp.mem.read_graph, mcp.mem.search_nodes, mcp.mem.create_entities', 'confirm before mcp.mem.create_entities', ''].join('\n'),
  );
  // The server keeps its graph where this variable says (the proxy's environment is the server's).
  process.env.MEMORY_FILE_PATH = path.join(D, 'memory.jsonl');
  const setup = await prepareProxy([MEMORY], { name: 'mem' }, D);
  proxy = startInProcessProxy(setup);
  client = new Client({ name: 'memory-test', version: '1' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
  client.setRequestHandler('elicitation/create', async (req) => {
    asked.push(req.params as Record<string, unknown>);
    return { action: answer, ...(answer === 'accept' ? { content: {} } : {}) } as never;
  });
  await client.connect(proxy.pair as never);
}, 30_000);

afterAll(async () => {
  await client?.close();
  await proxy?.exit;
  delete process.env.MEMORY_FILE_PATH;
  rmSync(D, { recursive: true, force: true });
});

describe('server-memory behind aex proxy, client on 2026-07-28', () => {
  it('speaks 2026-07-28 to the client and 2025-11-25 to the server', () => {
    expect(client.getServerVersion()?.name).toBe('memory-server');
    expect(events()).toContainEqual(expect.objectContaining({ event: 'client.protocol', version: '2026-07-28' }));
    expect(events()).toContainEqual(expect.objectContaining({ event: 'upstream.protocol', version: 'initialize' }));
  });

  it('lists only the allowed tools', async () => {
    const names = (await client.listTools()).tools.map((t) => t.name).sort();
    expect(names).toEqual(['create_entities', 'read_graph', 'search_nodes']);
  });

  it('a write needing confirmation is asked through input_required, and runs once when accepted', async () => {
    const r = await client.callTool({ name: 'create_entities', arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote notes'] }] } });
    expect(r.isError).toBeFalsy();
    expect(asked).toHaveLength(1);
    expect(String(asked[0]!.message)).toContain('mcp.mem.create_entities');
    const stored = readFileSync(path.join(D, 'memory.jsonl'), 'utf8');
    expect(stored.match(/"Ada"/g)).toHaveLength(1);
    expect(text(await client.callTool({ name: 'search_nodes', arguments: { query: 'Ada' } }))).toContain('wrote notes');
  });

  it('a declined confirmation writes nothing', async () => {
    answer = 'decline';
    const r = await client.callTool({ name: 'create_entities', arguments: { entities: [{ name: 'Mallory', entityType: 'person', observations: [] }] } });
    answer = 'accept';
    expect(r.isError).toBe(true);
    expect(readFileSync(path.join(D, 'memory.jsonl'), 'utf8')).not.toContain('Mallory');
    expect(events()).toContainEqual(expect.objectContaining({ event: 'confirm.denied', tool: 'mcp.mem.create_entities' }));
  });

  it('a tool no rule allows is refused', async () => {
    const r = await client.callTool({ name: 'delete_entities', arguments: { entityNames: ['Ada'] } });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('AEX:');
    expect(readFileSync(path.join(D, 'memory.jsonl'), 'utf8')).toContain('Ada');
  });
});
