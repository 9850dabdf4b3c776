// A Streamable HTTP MCP server of revision 2026-07-28 only (SDK v2 `createMcpHandler`
// with `legacy: 'reject'`) on 127.0.0.1, for the tests of `aex proxy --url`. Every HTTP
// request it receives is recorded with its headers and body before the SDK sees it, so a
// test can check what the proxy put on the wire. The SDK itself refuses a 2026 request
// whose MCP-Protocol-Version, Mcp-Method or Mcp-Name header is missing or disagrees with
// the body; the record shows what was sent even when it was refused.

import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as z from 'zod/v4';
import { createMcpHandler, inputRequired, McpServer, ResourceTemplate } from '@modelcontextprotocol/server';

/** One HTTP request as the server received it. */
export interface SeenRequest {
  method: string;
  /** Header names in lower case; a repeated header's values joined with ", ". */
  headers: Record<string, string>;
  /** The parsed JSON body of a POST (undefined when it was not JSON). */
  body?: { id?: unknown; method?: string; params?: Record<string, unknown> };
  /** The HTTP status the server answered with. */
  status?: number;
}

export interface ModernHttpServer {
  url: string;
  seen: SeenRequest[];
  /** The tools/call names and resource URIs the server's own handlers ran. */
  ran: string[];
  close(): Promise<void>;
}

/** The non-ASCII resource: its URI travels in Mcp-Name as a Base64 sentinel. */
export const UNICODE_URI = 'uni://café';

function build(ran: string[]): McpServer {
  const server = new McpServer({ name: 'modern-http', version: '1.0.0' }, { capabilities: { tools: {}, resources: {}, prompts: {} } });
  server.registerTool('echo', { inputSchema: z.object({ text: z.string() }), annotations: { readOnlyHint: true } }, async ({ text }) => {
    ran.push('echo');
    return { content: [{ type: 'text', text: `echo ${text}` }] };
  });
  server.registerTool('secret', { inputSchema: z.object({}) }, async () => {
    ran.push('secret');
    return { content: [{ type: 'text', text: 'SECRET' }] };
  });
  // A tool that mirrors an argument into a header: a 2026 client must send it as
  // Mcp-Param-Region, and the server refuses the call without it.
  server.registerTool('route', { inputSchema: z.object({ region: z.string().meta({ 'x-mcp-header': 'Region' }), note: z.string().optional() }) }, async ({ region }) => {
    ran.push(`route ${region}`);
    return { content: [{ type: 'text', text: `routed ${region}` }] };
  });
  // A tool under `confirm before` that itself needs the person's input: AEX's question
  // first, then the server's own (an input_required round trip on the server).
  server.registerTool('deploy', { inputSchema: z.object({ target: z.string() }) }, async ({ target }, ctx) => {
    const answer = ctx.mcpReq.inputResponses?.['reason'];
    if (answer === undefined) {
      return inputRequired({ inputRequests: { reason: inputRequired.elicit({ message: `Why deploy ${target}?`, requestedSchema: z.object({ reason: z.string() }) }) } });
    }
    ran.push(`deploy ${target}`);
    return { content: [{ type: 'text', text: `deployed ${target}: ${JSON.stringify(answer)}` }] };
  });
  // Two rounds: the second question is asked only after the first is answered, and the
  // server's requestState carries the first answer across.
  server.registerTool('survey', { inputSchema: z.object({}) }, async (_a, ctx) => {
    const responses = ctx.mcpReq.inputResponses ?? {};
    const state = ctx.mcpReq.requestState<string>();
    if (state === undefined) {
      return inputRequired({ inputRequests: { first: inputRequired.elicit({ message: 'First?', requestedSchema: z.object({ name: z.string() }) }) }, requestState: 'round-1' });
    }
    if (state === 'round-1') {
      return inputRequired({
        inputRequests: { second: inputRequired.elicit({ message: 'Second?', requestedSchema: z.object({ name: z.string() }) }) },
        requestState: `round-2 ${JSON.stringify(responses['first'])}`,
      });
    }
    ran.push('survey');
    return { content: [{ type: 'text', text: `survey ${state} then ${JSON.stringify(responses['second'])}` }] };
  });
  for (const [name, uri, text] of [
    ['note', 'mem://note', 'NOTE'],
    ['hidden', 'mem://hidden', 'HIDDEN'],
  ] as const) {
    server.registerResource(name, uri, {}, async () => {
      ran.push(uri);
      return { contents: [{ uri, text }] };
    });
  }
  server.registerPrompt('greet', { argsSchema: z.object({ who: z.string() }) }, async ({ who }) => {
    ran.push('prompt greet');
    return { messages: [{ role: 'user', content: { type: 'text', text: `greet ${who}` } }] };
  });
  server.registerPrompt('leak', {}, async () => {
    ran.push('prompt leak');
    return { messages: [{ role: 'user', content: { type: 'text', text: 'LEAK' } }] };
  });
  // A template, since the SDK looks a fixed resource up by a normalized URI that a
  // non-ASCII one does not match.
  server.registerResource('uni', new ResourceTemplate('uni://{word}', { list: undefined }), {}, async (uri) => {
    const word = decodeURIComponent(uri.href.slice('uni://'.length));
    ran.push(`uni://${word}`);
    return { contents: [{ uri: `uni://${word}`, text: word === 'café' ? 'CAFE' : 'OTHER' }] };
  });
  return server;
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export async function startModernHttpServer(): Promise<ModernHttpServer> {
  const seen: SeenRequest[] = [];
  const ran: string[] = [];
  const handler = createMcpHandler(() => build(ran), { legacy: 'reject' });
  const http: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const entry: SeenRequest = { method: req.method ?? '', headers: headersOf(req) };
        if (raw.length > 0) {
          try {
            entry.body = JSON.parse(raw.toString('utf8')) as SeenRequest['body'];
          } catch {
            entry.body = undefined;
          }
        }
        seen.push(entry);
        const headers = new Headers();
        for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
        const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url ?? '/'}`, {
          method: req.method,
          headers,
          ...(req.method === 'POST' || req.method === 'DELETE' ? { body: raw } : {}),
        });
        const response = await handler.fetch(request);
        entry.status = response.status;
        res.writeHead(response.status, Object.fromEntries(response.headers));
        if (response.body) for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
        res.end();
      })().catch((err: Error) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(err.message));
      });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    seen,
    ran,
    async close() {
      await handler.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
