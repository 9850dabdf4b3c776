// `aex gate --server URL`: the thin client of `aex serve` for command hooks. It posts the
// payload to URL/hook/HOST and prints the answer the server computed. It fails closed: an
// unreachable server, a refused token, a timeout or an unreadable reply is the host's
// blocking failure answer, never a pass.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { HookAnswer, HostName } from '../adapters/host-protocol.js';
import { hostEnvOf } from './host-env.js';

/** How long the client waits for the server (a hook has its own, longer, timeout). */
const CLIENT_TIMEOUT_MS = 10_000;

export function readToken(file: string): string {
  const token = readFileSync(file, 'utf8').trim();
  if (token === '') throw new Error(`token file ${file} is empty`);
  return token;
}

function isAnswer(v: unknown): v is HookAnswer {
  const o = v as HookAnswer | null;
  return o !== null && typeof o === 'object' && typeof o.stdout === 'string' && typeof o.stderr === 'string' && Number.isInteger(o.exitCode);
}

/** The server's answer for `payloadText`, as the gate would print it. Throws on any trouble. */
export function askServer(server: string, host: HostName, payloadText: string, token: string | undefined, env: NodeJS.ProcessEnv = process.env, timeoutMs = CLIENT_TIMEOUT_MS): Promise<HookAnswer> {
  // `unix:/path/to/socket` reaches a server started with --socket.
  const socketPath = server.startsWith('unix:') ? server.slice('unix:'.length) : undefined;
  const url = socketPath !== undefined ? new URL(`http://aex-serve/hook/${host}`) : new URL(`hook/${host}`, server.endsWith('/') ? server : `${server}/`);
  if (url.protocol !== 'http:') throw new Error(`--server must be an http:// URL or unix:SOCKET (got ${server})`);
  return new Promise((resolve, reject) => {
    // The host's session variables travel with the payload: the server judges with them.
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-aex-client': 'command', 'x-aex-host-env': Buffer.from(JSON.stringify(hostEnvOf(env))).toString('base64') };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    const req = http.request(url, { method: 'POST', headers, timeout: timeoutMs, ...(socketPath !== undefined ? { socketPath } : {}) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`aex serve answered HTTP ${res.statusCode}: ${body.slice(0, 200)}`));
        try {
          const v: unknown = JSON.parse(body);
          if (!isAnswer(v)) return reject(new Error('aex serve sent an answer the gate cannot read'));
          resolve(v);
        } catch {
          reject(new Error('aex serve sent an answer the gate cannot read'));
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`aex serve did not answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(new Error(`cannot reach aex serve at ${server}: ${err.message}`)));
    req.end(payloadText);
  });
}
