// A scripted Anthropic Messages API on 127.0.0.1, for running the real Claude Code client
// against (ANTHROPIC_BASE_URL). It replays tool calls from a script instead of thinking:
// each request of the main agent loop (one that offers tools) takes the next scripted turn,
// and every other request (titles, summaries, quota probes) gets a short text answer. It
// streams Server-Sent Events in the order the client's SDK reads them (message_start,
// content blocks with their deltas, message_delta with the stop reason, message_stop).
//
// Every request is recorded, so a test can read what the model was told: the tool results
// (AEX's refusal text arrives there) and the tool list the client offers.

import type { ServerResponse } from 'node:http';
import { sendJson, startScriptedHttp, turnsInOrder, type RecordedRequest, type TurnScript } from './scripted-http.js';

export type { RecordedRequest };

export interface ScriptedToolUse {
  name: string;
  input: Record<string, unknown>;
}

/** One answer of the model: text, tool calls, or both. */
export interface ScriptedTurn {
  text?: string;
  toolUses?: ScriptedToolUse[];
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

/** Chooses the turn for one main-loop request (one that offers the agent's tools). */
export type Script = TurnScript<ScriptedTurn>;

/** A script that plays `turns` in order, one per main-loop request. */
export const inOrder: (turns: readonly ScriptedTurn[]) => Script = turnsInOrder;

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
  let mainIndex = 0;
  const http = await startScriptedHttp((req, res) => {
    const { body } = req;
    if (req.method === 'POST' && req.path.endsWith('/v1/messages/count_tokens')) {
      sendJson(res, 200, { input_tokens: 10 });
      return;
    }
    if (req.method === 'POST' && req.path.endsWith('/v1/messages') && body !== undefined) {
      const model = typeof body.model === 'string' ? body.model : 'claude-scripted';
      const turn = isMainLoop(body) ? (script(body, mainIndex++) ?? { text: 'done' }) : { text: 'ok' };
      const message = messageOf(model, blocksOf(turn));
      if (body.stream === true) stream(res, message);
      else sendJson(res, 200, message);
      return;
    }
    sendJson(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'not scripted' } });
  });
  const { requests } = http;
  return {
    url: http.origin,
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
    close: http.close,
  };
}
