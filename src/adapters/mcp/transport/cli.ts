// `aex proxy` with --url (remote Streamable HTTP upstream) or --listen (Streamable HTTP
// listener for the client): the transport flags read and checked, then the same set-up
// and relay as the stdio proxy (../main.ts, ../proxy.ts).

import { AexError } from '../../../errors.js';
import { prepareProxy, type ProxyCliOptions } from '../main.js';
import { banner } from '../proxy.js';
import { upstreamHeaders, upstreamUrl } from './http-upstream.js';
import { parseListen } from './listen-address.js';
import { runProxyTransports, type TransportChoice } from './run.js';

export interface TransportCliOptions extends ProxyCliOptions {
  url?: unknown;
  header?: unknown;
  headerEnv?: unknown;
  bearerEnv?: unknown;
  listen?: unknown;
  listenRemote?: unknown;
}

/** Whether the transport flags are in use (otherwise the plain stdio proxy runs). */
export function wantsTransports(o: TransportCliOptions): boolean {
  return o.url !== undefined || o.listen !== undefined;
}

function list(v: unknown, flag: string): string[] {
  if (v === undefined || v === false) return [];
  const all = Array.isArray(v) ? v : [v];
  if (!all.every((x) => typeof x === 'string' && x !== '')) throw new AexError(`${flag} needs a value`);
  return all as string[];
}

function one(v: unknown, flag: string): string | undefined {
  const all = list(v, flag);
  if (all.length > 1) throw new AexError(`${flag} may be given once`);
  return all[0];
}

export function transportChoice(upstream: string[], o: TransportCliOptions, env: NodeJS.ProcessEnv): TransportChoice {
  const choice: TransportChoice = {};
  try {
    const url = one(o.url, '--url');
    const headers = list(o.header, '--header');
    const headerEnv = list(o.headerEnv, '--header-env');
    const bearer = one(o.bearerEnv, '--bearer-env');
    if (url !== undefined) {
      if (upstream.length > 0) throw new Error('--url and an upstream command after "--" exclude each other: the upstream is one or the other');
      upstreamUrl(url);
      choice.url = { url, headers: upstreamHeaders(headers, headerEnv, bearer, env) };
    } else if (headers.length + headerEnv.length > 0 || bearer !== undefined) {
      throw new Error('--header, --header-env and --bearer-env go with --url');
    }
    const listen = one(o.listen, '--listen');
    if (listen !== undefined) choice.listen = parseListen(listen, o.listenRemote === true);
    else if (o.listenRemote === true) throw new Error('--listen-remote goes with --listen');
  } catch (err) {
    throw new AexError((err as Error).message);
  }
  return choice;
}

export async function proxyTransportsCommand(upstream: string[], o: TransportCliOptions): Promise<void> {
  const cwd = process.cwd();
  const choice = transportChoice(upstream, o, process.env);
  // A remote upstream has no command; the set-up's command names the URL for the banner.
  const setup = await prepareProxy(choice.url !== undefined ? [choice.url.url] : upstream, o, cwd);
  if (choice.url !== undefined) setup.args = [];
  process.stderr.write(banner(setup));
  let code: number;
  try {
    // A listener stops every session's upstream on a signal, remote ones included (their sessions are ended).
    const forwardSignals = choice.url === undefined || choice.listen !== undefined;
    code = await runProxyTransports({ ...setup, forwardSignals }, choice, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
  } catch (err) {
    throw new AexError(`proxy failed: ${(err as Error).message}`);
  }
  process.exit(code);
}
