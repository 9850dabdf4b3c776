// `aex proxy --listen HOST:PORT`: where the Streamable HTTP listener binds. Loopback
// only unless the person says otherwise (--listen-remote): the proxy holds no
// authentication of its own, so anyone who can reach the port can use the tools.

import { isIP } from 'node:net';

export interface ListenAddress {
  host: string;
  port: number;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function parseListen(raw: string, allowRemote = false): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(raw);
  if (!m) throw new Error(`--listen needs HOST:PORT (for example 127.0.0.1:8808), got ${JSON.stringify(raw)}`);
  const host = (m[1] ?? m[2])!;
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`--listen: port ${port} is out of range`);
  if (host !== 'localhost' && isIP(host) === 0) throw new Error(`--listen needs an IP address or localhost, got ${JSON.stringify(host)}`);
  if (!allowRemote && !isLoopbackHost(host)) {
    throw new Error(`--listen ${raw}: not a loopback address; the proxy does not authenticate its clients, so it listens on loopback only (add --listen-remote to bind ${host} anyway)`);
  }
  return { host, port };
}

/** Host header values a browser-borne DNS-rebinding request cannot send: the loopback names with our port. */
export function allowedHostHeaders(address: ListenAddress, actualPort: number): Set<string> {
  const names = isLoopbackHost(address.host) ? ['127.0.0.1', 'localhost', '[::1]'] : [address.host.includes(':') ? `[${address.host}]` : address.host];
  return new Set(names.map((n) => `${n}:${actualPort}`));
}
