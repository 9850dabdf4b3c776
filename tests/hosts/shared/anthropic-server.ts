// A scripted Anthropic Messages API on 127.0.0.1, for running the real Claude Code client
// against (ANTHROPIC_BASE_URL). It replays tool calls from a script instead of thinking:
// each request of the main agent loop (one that offers tools) takes the next scripted turn,
// and every other request (titles, summaries, quota probes) gets a short text answer. It
// streams Server-Sent Events in the order the client's SDK reads them (message_start,
// content blocks with their deltas, message_delta with the stop reason, message_stop).
//
// Every request is recorded, so a test can read what the model was told: the tool results
// (AEX's refusal text arrives there) and the tool list the client offers.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedToolUse {
  name: string;
  input: Record<string, unknown>;
}

/** One answer of the model: text, tool calls, or both. */
export interface ScriptedTurn {
  text?: string;
  toolUses?: ScriptedToolUse[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: Record<string, unknown> | undefined;
}

/** A content block of a request message, as the client sends it. */
interface RequestBlock {
  type?: string;
  tool_use_id?: string;
  content?: unknown;
  is_error?: boolean;
  text?: string;
}

export interface ToolResult {
  toolUseId: string;
  text: string;
  isError: boolean;
}

/**
 * Chooses the turn for one main-loop request; `undefined` ends the conversation with a
 * short text. Called with the request body and how many main-loop requests came before.
 */
export type Script = (body: Record<string, unknown>, index: number) => ScriptedTurn | undefined;

/** A script that plays `turns` in order, one per main-loop request. */
export function inOrder(turns: readonly ScriptedTurn[]): Script {
  return (_body, index) => turns[index];
}

export interface AnthropicServer {
  url: string;
  requests: RecordedRequest[];
  /** Tool results the client sent back, in order (the text the model was shown). */
  toolResults(): ToolResult[];
  /** The tools (name and input schema) the main loop offered, from the first such request. */
  offeredTools(): { name: string; input_schema?: unknown }[];
  close(): Promise<void>;
}

let idCounter = 0;
const nextId = (prefix: string) => `${prefix}_${(++idCounter).toString(36).padStart(8, '0')}`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function blocksOf(turn: ScriptedTurn): Record<string, unknown>[] {
  const blocks: Record<string, unknown>[] = [];
  if (turn.text !== undefined) blocks.push({ type: 'text', text: turn.text });
  for (const t of turn.toolUses ?? []) blocks.push({ type: 'tool_use', id: nextId('toolu'), name: t.name, input: t.input });
  return blocks;
}

function messageOf(model: string, blocks: Record<string, unknown>[]): Record<string, unknown> {
  const usesTools = blocks.some((b) => b.type === 'tool_use');
  return {
    id: nextId('msg'),
    type: 'message',
    role: 'assistant',
    model,
    content: blocks,
    stop_reason: usesTools ? 'tool_use' : 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  };
}

function sse(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

function stream(res: ServerResponse, message: Record<string, unknown>): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const blocks = message.content as Record<string, unknown>[];
  sse(res, 'message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null } });
  blocks.forEach((b, index) => {
    if (b.type === 'text') {
      sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'text', text: '' } });
      sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'text_delta', text: b.text } });
    } else {
      sse(res, 'content_block_start', { type: 'content_block_start', index, content_block: { type: 'tool_use', id: b.id, name: b.name, input: {} } });
      sse(res, 'content_block_delta', { type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: JSON.stringify(b.input) } });
    }
    sse(res, 'content_block_stop', { type: 'content_block_stop', index });
  });
  sse(res, 'message_delta', { type: 'message_delta', delta: { stop_reason: message.stop_reason, stop_sequence: null }, usage: { output_tokens: 10 } });
  sse(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

function isMainLoop(body: Record<string, unknown>): boolean {
  return Array.isArray(body.tools) && body.tools.some((t) => (t as { name?: unknown }).name === 'Bash');
}

function textOfResult(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((c) => (typeof (c as RequestBlock).text === 'string' ? (c as RequestBlock).text : '')).join('');
  return '';
}

export async function startAnthropicServer(script: Script): Promise<AnthropicServer> {
  const requests: RecordedRequest[] = [];
  let mainIndex = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      let body: Record<string, unknown> | undefined;
      try {
        body = text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        body = undefined;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({ method: req.method ?? '', path: url.pathname, body });
      if (req.method === 'POST' && url.pathname.endsWith('/v1/messages/count_tokens')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ input_tokens: 10 }));
        return;
      }
      if (req.method === 'POST' && url.pathname.endsWith('/v1/messages') && body !== undefined) {
        const model = typeof body.model === 'string' ? body.model : 'claude-scripted';
        const turn = isMainLoop(body) ? (script(body, mainIndex++) ?? { text: 'done' }) : { text: 'ok' };
        const message = messageOf(model, blocksOf(turn));
        if (body.stream === true) stream(res, message);
        else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message));
        return;
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ type: 'error', error: { type: 'not_found_error', message: 'not scripted' } }));
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    toolResults() {
      const out: ToolResult[] = [];
      const seen = new Set<string>();
      for (const r of requests) {
        const messages = (r.body?.messages ?? []) as { role?: string; content?: unknown }[];
        for (const m of messages) {
          if (m.role !== 'user' || !Array.isArray(m.content)) continue;
          for (const b of m.content as RequestBlock[]) {
            if (b.type !== 'tool_result' || typeof b.tool_use_id !== 'string' || seen.has(b.tool_use_id)) continue;
            seen.add(b.tool_use_id);
            out.push({ toolUseId: b.tool_use_id, text: textOfResult(b.content), isError: b.is_error === true });
          }
        }
      }
      return out;
    },
    offeredTools() {
      const first = requests.find((r) => r.body !== undefined && isMainLoop(r.body));
      return ((first?.body?.tools ?? []) as { name: string; input_schema?: unknown }[]).map((t) => ({ name: t.name, input_schema: t.input_schema }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
