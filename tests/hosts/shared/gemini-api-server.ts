// A scripted Gemini API (generateContent / streamGenerateContent) on 127.0.0.1, for running
// the real Gemini CLI against (GOOGLE_GEMINI_BASE_URL). It replays function calls from a
// script instead of thinking: each request that declares the agent's tools takes the next
// scripted turn; any other request (the CLI's own side questions) gets a short text answer.
// Streaming answers are Server-Sent Events with one JSON chunk each, as the SDK reads them.
//
// Every request is recorded, so a test can read what the model was told: the function
// responses (AEX's refusal text arrives there) and the tools the client declares.

import type { ServerResponse } from 'node:http';
import { sendJson, startScriptedHttp, turnsInOrder, type RecordedRequest, type TurnScript } from './scripted-http.js';

export type { RecordedRequest };

export interface ScriptedFunctionCall {
  name: string;
  args: Record<string, unknown>;
}

/** One answer of the model: text, function calls, or both. */
export interface ScriptedTurn {
  text?: string;
  calls?: ScriptedFunctionCall[];
}

export interface FunctionResult {
  name: string;
  /** The response object the client sent (`output`, `error` …). */
  response: Record<string, unknown>;
  /** Every string in the response, joined: what the model reads. */
  text: string;
}

/** Chooses the turn for one tool-declaring request; `undefined` ends with a short text. */
export type Script = TurnScript<ScriptedTurn>;

/** A script that plays `turns` in order, one per tool-declaring request. */
export const inOrder: (turns: readonly ScriptedTurn[]) => Script = turnsInOrder;

export interface GeminiServer {
  url: string;
  requests: RecordedRequest[];
  /** Function responses the client sent back, in order, each once. */
  functionResults(): FunctionResult[];
  /**
   * The function responses of every conversation the client held (the session's and each
   * sub-agent's), each once, with the arguments of the call it answers.
   */
  everyFunctionResult(): (FunctionResult & { args: Record<string, unknown> })[];
  /** Names of the functions the client declared in its first tool-declaring request. */
  declaredTools(): string[];
  close(): Promise<void>;
}

interface Declaration {
  name?: string;
}

function declarationsOf(body: Record<string, unknown>): Declaration[] {
  const tools = Array.isArray(body.tools) ? (body.tools as { functionDeclarations?: Declaration[] }[]) : [];
  return tools.flatMap((t) => (Array.isArray(t.functionDeclarations) ? t.functionDeclarations : []));
}

function declaresAgentTools(body: Record<string, unknown>): boolean {
  return declarationsOf(body).some((d) => d.name === 'run_shell_command');
}

function answerOf(turn: ScriptedTurn): Record<string, unknown> {
  const parts: Record<string, unknown>[] = [];
  if (turn.text !== undefined) parts.push({ text: turn.text });
  for (const call of turn.calls ?? []) parts.push({ functionCall: { name: call.name, args: call.args } });
  return {
    candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
    usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 10, totalTokenCount: 20 },
    modelVersion: 'gemini-scripted',
  };
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

function send(res: ServerResponse, streaming: boolean, answer: Record<string, unknown>): void {
  if (streaming) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.end(`data: ${JSON.stringify(answer)}\r\n\r\n`);
  } else {
    sendJson(res, 200, answer);
  }
}

export async function startGeminiServer(script: Script): Promise<GeminiServer> {
  let mainIndex = 0;
  const http = await startScriptedHttp((req, res) => {
    const { body } = req;
    if (req.method === 'POST' && req.path.endsWith(':countTokens')) {
      sendJson(res, 200, { totalTokens: 10 });
      return;
    }
    const streaming = req.path.endsWith(':streamGenerateContent');
    if (req.method === 'POST' && body !== undefined && (streaming || req.path.endsWith(':generateContent'))) {
      const turn = declaresAgentTools(body) ? (script(body, mainIndex++) ?? { text: 'done' }) : { text: 'ok' };
      send(res, streaming, answerOf(turn));
      return;
    }
    sendJson(res, 404, { error: { code: 404, message: 'not scripted', status: 'NOT_FOUND' } });
  });
  const { requests } = http;
  return {
    url: http.origin,
    requests,
    functionResults() {
      // Each request repeats the whole history; a result is identified by its position in it.
      let longest: FunctionResult[] = [];
      for (const r of requests) {
        if (r.body === undefined || !declaresAgentTools(r.body)) continue;
        const contents = (Array.isArray(r.body.contents) ? r.body.contents : []) as { parts?: { functionResponse?: { name?: string; response?: Record<string, unknown> } }[] }[];
        const found: FunctionResult[] = [];
        for (const c of contents) {
          for (const p of c.parts ?? []) {
            const fr = p.functionResponse;
            if (fr === undefined) continue;
            const response = fr.response ?? {};
            found.push({ name: fr.name ?? '', response, text: stringsIn(response).join('\n') });
          }
        }
        if (found.length > longest.length) longest = found;
      }
      return longest;
    },
    everyFunctionResult() {
      const seen = new Set<string>();
      const out: (FunctionResult & { args: Record<string, unknown> })[] = [];
      for (const r of requests) {
        if (r.body === undefined || !declaresAgentTools(r.body)) continue;
        const contents = (Array.isArray(r.body.contents) ? r.body.contents : []) as { parts?: { functionCall?: { name?: string; args?: Record<string, unknown> }; functionResponse?: { name?: string; response?: Record<string, unknown> } }[] }[];
        // A response answers the call of the model turn just before it, in the same order.
        let pendingCalls: { name?: string; args?: Record<string, unknown> }[] = [];
        for (const c of contents) {
          const parts = c.parts ?? [];
          const calls = parts.flatMap((p) => (p.functionCall === undefined ? [] : [p.functionCall]));
          if (calls.length > 0) pendingCalls = calls;
          for (const p of parts) {
            const fr = p.functionResponse;
            if (fr === undefined) continue;
            const call = pendingCalls.shift();
            const response = fr.response ?? {};
            const key = JSON.stringify([fr.name, call?.args, response]);
            if (seen.has(key)) continue;
            seen.add(key);
            out.push({ name: fr.name ?? '', response, text: stringsIn(response).join('\n'), args: call?.args ?? {} });
          }
        }
      }
      return out;
    },
    declaredTools() {
      const first = requests.find((r) => r.body !== undefined && declaresAgentTools(r.body));
      return first?.body === undefined ? [] : declarationsOf(first.body).map((d) => d.name ?? '');
    },
    close: http.close,
  };
}
