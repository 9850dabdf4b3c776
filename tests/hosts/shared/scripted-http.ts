// The HTTP side every scripted model server shares: listen on 127.0.0.1 (a free port), read
// and record each request's JSON body, let the server's own `answer` respond, and close. The
// three servers differ only in their wire format (what `answer` writes and what the test reads
// back from the recorded bodies), so that is all they keep.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  /** The request's JSON object; undefined for an empty or unparseable body. */
  body: Record<string, unknown> | undefined;
}

/**
 * Chooses the turn for one request of the agent's main loop; `undefined` ends the conversation
 * with a short text. Called with the request body and how many such requests came before.
 */
export type TurnScript<Turn> = (body: Record<string, unknown>, index: number) => Turn | undefined;

/** A script that plays `turns` in order, one per main-loop request. */
export function turnsInOrder<Turn>(turns: readonly Turn[]): TurnScript<Turn> {
  return (_body, index) => turns[index];
}

/** A scripted turn, or one worked out from the request (a sub-agent id the client chose …). */
export type TurnFrom<Turn> = Turn | ((body: Record<string, unknown>) => Turn | undefined);

/**
 * A script for a session with one sub-agent: a request whose body mentions `marker` (the
 * task the parent handed over) but not `parentPrompt` is the sub-agent's and takes the next
 * of `child`; every other request takes the next of `parent`. Each list plays in its own order.
 */
export function parentAndChild<Turn>(o: { parentPrompt: string; marker: string; parent: readonly TurnFrom<Turn>[]; child: readonly TurnFrom<Turn>[] }): TurnScript<Turn> {
  let p = 0;
  let c = 0;
  return (body) => {
    const text = JSON.stringify(body);
    const isChild = text.includes(o.marker) && !text.includes(o.parentPrompt);
    const next = isChild ? o.child[c++] : o.parent[p++];
    return typeof next === 'function' ? (next as (b: Record<string, unknown>) => Turn | undefined)(body) : next;
  };
}

export interface ScriptedHttpServer {
  /** http://127.0.0.1:<port>, without a trailing slash. */
  origin: string;
  /** Every request, in arrival order (recorded before it is answered). */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Answers one recorded request; a throw destroys the connection. */
export type Answer = (request: RecordedRequest, res: ServerResponse) => void;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (data += c));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function jsonObjectOf(text: string): Record<string, unknown> | undefined {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Writes `value` as a JSON response with the given status. */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
}

export async function startScriptedHttp(answer: Answer): Promise<ScriptedHttpServer> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = jsonObjectOf(await readBody(req));
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: RecordedRequest = { method: req.method ?? '', path: url.pathname, body };
      requests.push(request);
      answer(request, res);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
