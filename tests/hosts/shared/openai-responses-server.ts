// A scripted OpenAI Responses API on 127.0.0.1, for running the real Codex CLI against (a
// `model_providers` entry whose base_url is this server, wire_api "responses"). It replays
// tool calls from a script instead of thinking: each request that offers tools takes the
// next scripted turn; any other request gets a short text answer. It streams the
// Server-Sent Events Codex reads (response.created, one response.output_item.done per
// output item, response.completed with usage).
//
// Every request is recorded, so a test can read what the model was told: the tool outputs
// (AEX's refusal text arrives there) and the tools the client offers.

import type { ServerResponse } from 'node:http';
import { sendJson, startScriptedHttp, turnsInOrder, type RecordedRequest, type TurnScript } from './scripted-http.js';

export type { RecordedRequest };

/**
 * A function tool call (`exec_command` …): arguments as a JSON object. Tools found by a tool
 * search live in a namespace (Codex puts MCP server S's tools in `mcp__S`).
 */
export interface ScriptedFunctionCall {
  name: string;
  namespace?: string;
  arguments: Record<string, unknown>;
}

/** A freeform tool call (Codex's `apply_patch`): the raw input text. */
export interface ScriptedCustomCall {
  name: string;
  input: string;
}

/**
 * A client-side tool search (Codex defers MCP tools behind `tool_search`: the model asks for
 * them by a query and the client adds the matches to the next request).
 */
export interface ScriptedToolSearch {
  search: string;
}

/** One answer of the model: text, tool calls, or both. */
export interface ScriptedTurn {
  text?: string;
  calls?: (ScriptedFunctionCall | ScriptedCustomCall | ScriptedToolSearch)[];
}

export interface ToolOutput {
  callId: string;
  /** The name of the call it answers (from the call item the client echoes back). */
  name: string;
  /** The call's arguments (JSON text) or freeform input, as the client echoed it. */
  input: string;
  text: string;
}

/** Chooses the turn for one tool-offering request; `undefined` ends with a short text. */
export type Script = TurnScript<ScriptedTurn>;

/** A script that plays `turns` in order, one per tool-offering request. */
export const inOrder: (turns: readonly ScriptedTurn[]) => Script = turnsInOrder;

export interface ResponsesServer {
  /** The base URL for the provider entry (ends in /v1). */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Tool outputs the client sent back, in order (the text the model was shown). */
  toolOutputs(): ToolOutput[];
  /** The names of the tools the client offered in its first tool-offering request. */
  offeredTools(): string[];
  close(): Promise<void>;
}

let idCounter = 0;
const nextId = (prefix: string) => `${prefix}_${(++idCounter).toString(36).padStart(8, '0')}`;

function itemsOf(turn: ScriptedTurn): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  if (turn.text !== undefined) {
    items.push({ type: 'message', id: nextId('msg'), role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: turn.text, annotations: [] }] });
  }
  for (const call of turn.calls ?? []) {
    if ('search' in call) items.push({ type: 'tool_search_call', id: nextId('ts'), call_id: nextId('call'), execution: 'client', status: 'completed', arguments: { query: call.search } });
    else if ('input' in call) items.push({ type: 'custom_tool_call', id: nextId('ctc'), call_id: nextId('call'), name: call.name, input: call.input, status: 'completed' });
    else {
      const namespace = call.namespace === undefined ? {} : { namespace: call.namespace };
      items.push({ type: 'function_call', id: nextId('fc'), call_id: nextId('call'), name: call.name, ...namespace, arguments: JSON.stringify(call.arguments), status: 'completed' });
    }
  }
  return items;
}

function sse(res: ServerResponse, data: Record<string, unknown>): void {
  res.write(`event: ${String(data.type)}\ndata: ${JSON.stringify(data)}\n\n`);
}

function stream(res: ServerResponse, model: string, items: Record<string, unknown>[]): void {
  const id = nextId('resp');
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  sse(res, { type: 'response.created', response: { id, object: 'response', model, status: 'in_progress', output: [] } });
  items.forEach((item, index) => {
    sse(res, { type: 'response.output_item.added', output_index: index, item: { ...item, status: 'in_progress' } });
    sse(res, { type: 'response.output_item.done', output_index: index, item });
  });
  const usage = { input_tokens: 10, input_tokens_details: { cached_tokens: 0 }, output_tokens: 10, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 20 };
  sse(res, { type: 'response.completed', response: { id, object: 'response', model, status: 'completed', output: items, usage } });
  res.end();
}

function offersTools(body: Record<string, unknown>): boolean {
  return Array.isArray(body.tools) && body.tools.length > 0;
}

function textOfOutput(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return output.map((c) => (typeof (c as { text?: unknown }).text === 'string' ? (c as { text: string }).text : '')).join('');
  if (output !== null && typeof output === 'object' && typeof (output as { content?: unknown }).content === 'string') return (output as { content: string }).content;
  return '';
}

export async function startResponsesServer(script: Script): Promise<ResponsesServer> {
  let mainIndex = 0;
  const http = await startScriptedHttp((req, res) => {
    const { body } = req;
    if (req.method === 'POST' && req.path.endsWith('/responses') && body !== undefined) {
      const model = typeof body.model === 'string' ? body.model : 'gpt-scripted';
      const turn = offersTools(body) ? (script(body, mainIndex++) ?? { text: 'done' }) : { text: 'ok' };
      stream(res, model, itemsOf(turn));
      return;
    }
    if (req.method === 'GET' && req.path.endsWith('/models')) {
      sendJson(res, 200, { object: 'list', data: [], models: [] });
      return;
    }
    sendJson(res, 404, { error: { message: 'not scripted', type: 'not_found' } });
  });
  const { requests } = http;
  return {
    baseUrl: `${http.origin}/v1`,
    requests,
    toolOutputs() {
      const out: ToolOutput[] = [];
      const seen = new Set<string>();
      for (const r of requests) {
        const input = (Array.isArray(r.body?.input) ? r.body.input : []) as Record<string, unknown>[];
        const calls = new Map<string, { name: string; input: string }>();
        for (const item of input) {
          if ((item.type === 'function_call' || item.type === 'custom_tool_call') && typeof item.call_id === 'string') {
            calls.set(item.call_id, { name: String(item.name), input: String(item.arguments ?? item.input ?? '') });
          }
        }
        for (const item of input) {
          if (item.type !== 'function_call_output' && item.type !== 'custom_tool_call_output') continue;
          const callId = item.call_id;
          if (typeof callId !== 'string' || seen.has(callId)) continue;
          seen.add(callId);
          const call = calls.get(callId);
          out.push({ callId, name: call?.name ?? '', input: call?.input ?? '', text: textOfOutput(item.output) });
        }
      }
      return out;
    },
    offeredTools() {
      const first = requests.find((r) => r.body !== undefined && offersTools(r.body));
      return ((first?.body?.tools ?? []) as { name?: string; type?: string }[]).map((t) => t.name ?? t.type ?? '');
    },
    close: http.close,
  };
}
