// `aex serve [--listen 127.0.0.1:PORT | --socket PATH] [--token-file F] [--audit-key-file K]`: starts the
// decision service (server.ts) and runs until SIGTERM or SIGINT, then stops accepting,
// lets requests in flight finish, and exits 0.

import path from 'node:path';
import { loadOrCreateToken } from './auth.js';
import { DEFAULT_LISTEN, defaultTokenFile } from '../adapters/serve-defaults.js';
import { startServe, type ServeOptions } from './server.js';

export interface ServeArgs {
  listen?: string;
  socket?: string;
  tokenFile?: string;
  policy?: string;
  contract?: string;
  allowNoPolicy?: boolean;
  auditKeyFile?: string;
}

/** `HOST:PORT` on loopback only: the service answers "may this run", which no other machine should ask. */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(127\.0\.0\.1|localhost|\[::1\]|::1):(\d{1,5})$/.exec(value);
  if (m === null) throw new Error(`--listen must be a loopback address with a port, e.g. ${DEFAULT_LISTEN} (got ${JSON.stringify(value)})`);
  const port = Number(m[2]);
  if (port > 65535) throw new Error(`--listen: port ${port} is out of range`);
  const host = m[1] === 'localhost' ? '127.0.0.1' : m[1]!.replace(/^\[|\]$/g, '');
  return { host, port };
}

export function serveOptions(args: ServeArgs, env: NodeJS.ProcessEnv, cwd: string): ServeOptions & { tokenFile: string } {
  if (args.listen !== undefined && args.socket !== undefined) throw new Error('give --listen or --socket, not both');
  const listen = args.socket !== undefined ? { socket: path.resolve(cwd, args.socket) } : parseListen(args.listen ?? DEFAULT_LISTEN);
  const tokenFile = args.tokenFile !== undefined ? path.resolve(cwd, args.tokenFile) : defaultTokenFile(env);
  const opts: ServeOptions & { tokenFile: string } = { listen, token: loadOrCreateToken(tokenFile), env, processCwd: cwd, tokenFile };
  if (args.policy !== undefined) opts.policy = args.policy;
  if (args.contract !== undefined) opts.contract = args.contract;
  if (args.allowNoPolicy === true) opts.allowNoPolicy = true;
  if (args.auditKeyFile !== undefined) opts.auditKeyFile = path.resolve(cwd, args.auditKeyFile);
  return opts;
}

export async function serveMain(args: ServeArgs): Promise<void> {
  const opts = serveOptions(args, process.env, process.cwd());
  const running = await startServe(opts);
  process.stdout.write(`aex serve: listening on ${running.url} (bearer token in ${opts.tokenFile})\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      void running.close().then(resolve);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  const b = running.batches;
  process.stdout.write(`aex serve: stopped (${b.calls} calls judged in ${b.batches} group commits, largest ${b.largest})\n`);
}
