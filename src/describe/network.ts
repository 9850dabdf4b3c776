// Network attributes of actions (docs/shell.md): the host lowercased, IDNA-encoded,
// without a trailing dot, IP literals in canonical form; the URL normalised. The WHATWG
// URL parser does the IDNA and IP canonicalisation (`0x7f.1` → `127.0.0.1`), so a rule
// on a host cannot be dodged by another spelling of it.

import type { Action } from './types.js';

export interface NetworkTarget {
  url: string;
  host: string;
}

/** The host as rules compare it: lowercased, IDNA, no trailing dot, IPv6 without brackets. */
export function normaliseHost(hostname: string): string {
  let h = hostname.toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  while (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/** The URL and host of `raw`; null when it is not an absolute URL with a host. */
export function networkTarget(raw: unknown): NetworkTarget | null {
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    return null;
  }
  const host = normaliseHost(u.hostname);
  if (host === '') return null;
  return { url: u.href, host };
}

/** A network action on `raw`: with url/host when it parses, else with an unresolved host. */
export function networkAction(cap: string, raw: unknown, args: Record<string, unknown>): Action {
  const target = networkTarget(raw);
  if (target) return { cap, url: target.url, host: target.host, args };
  return { cap, args, unresolved: [{ what: 'host', why: 'unparseable url' }] };
}
