// Hosts and URLs of network actions and rules (docs/shell.md, docs/language.md). Both sides are
// brought to one form before comparing — lowercase, no trailing dot, IDNA (punycode),
// canonical IP literals — so `GitHub.COM.`, `ＧＩＴＨＵＢ.com` and `github.com` are one host.

import { domainToASCII } from 'node:url';
import { RuleSyntaxError } from './errors.js';
import { compileSegments, segmentsMatch, type GlobSegment } from './segments.js';
import { compileWildcard, wildcardMatches, type Wildcard } from './wildcard.js';

// Characters that would change what a URL parser or IDNA mapping reads as the host
// (`a/b` → `a`, `a%41` → `aa`, `u@h` → `h`): never part of a host we accept.
const NOT_IN_HOST = /[\s/\\@?#%:*[\]<>^|"'`{}]/u;

function canonicalIPv6(inner: string): string | null {
  try {
    const h = new URL(`http://[${inner}]/`).hostname;
    return h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : null;
  } catch {
    return null;
  }
}

/**
 * The canonical host: lowercase, one trailing dot removed, IDNA-encoded, IPv4 in
 * dotted decimal, IPv6 compressed without brackets. Null when it is not a host.
 */
export function normaliseHost(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 300) return null;
  let h = raw;
  if (h.startsWith('[') && h.endsWith(']')) return canonicalIPv6(h.slice(1, -1));
  if (h.includes(':')) return /^[0-9a-fA-F:.]+$/.test(h) ? canonicalIPv6(h) : null;
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h.length === 0 || NOT_IN_HOST.test(h)) return null;
  const ascii = domainToASCII(h);
  if (ascii === '' || ascii.length > 253) return null;
  if (ascii.split('.').some((label) => label.length === 0 || label.length > 63)) return null;
  if (NOT_IN_HOST.test(ascii)) return null;
  return ascii;
}

const SPECIAL_SCHEMES = new Set(['http:', 'https:', 'ftp:', 'ws:', 'wss:', 'file:']);

/** Percent-encodings of unreserved characters decoded, the others upper-cased (RFC 3986 docs/design.md#rules-and-permissions). */
function normalisePercent(s: string): string {
  return s.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(c) ? c : `%${hex.toUpperCase()}`;
  });
}

/**
 * A URL in one form (WHATWG parse, normalised host, `%65` → `e`, no fragment), with
 * its host ('' for a file: URL). Null when it is not a URL with a special scheme —
 * `example.com/x` and `localhost:8080/x` are not URLs here; callers decide.
 */
export function normaliseUrl(raw: string): { url: string; host: string } | null {
  if (typeof raw !== 'string' || raw.includes('\0')) return null;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (!SPECIAL_SCHEMES.has(u.protocol)) return null;
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(raw.trimStart())) return null;
  let host = '';
  if (u.protocol !== 'file:') {
    const h = normaliseHost(u.hostname);
    if (h === null) return null;
    host = h;
    u.hostname = h.includes(':') ? `[${h}]` : h;
  }
  u.hash = '';
  u.pathname = normalisePercent(u.pathname);
  if (u.search) u.search = normalisePercent(u.search);
  return { url: u.href, host };
}

// ---------------------------------------------------------------------------
// Host patterns

interface HostPattern {
  /** `*`: every host. */
  any: boolean;
  /** `*.x.y`: one or more labels in front of `suffix`. */
  subdomainsOf?: string[];
  /** Otherwise label by label; `*` inside a label never crosses a dot. */
  labels?: Wildcard[];
  /** An exact host (no wildcard), already normalised. */
  exact?: string;
}

const hostPatterns = new Map<string, HostPattern>();

function normaliseLabel(label: string, pattern: string): string {
  const n = normaliseHost(label);
  if (n === null || n.includes('.')) throw new RuleSyntaxError(`'${pattern}' is not a host pattern`);
  return n;
}

/** Reads a host pattern; throws RuleSyntaxError when it is not one. */
export function parseHostPattern(pattern: string): HostPattern {
  let p = hostPatterns.get(pattern);
  if (p) return p;
  if (pattern === '*') p = { any: true };
  else if (!pattern.includes('*')) {
    const exact = normaliseHost(pattern);
    if (exact === null) throw new RuleSyntaxError(`'${pattern}' is not a host pattern`);
    p = { any: false, exact };
  } else {
    let text = pattern.endsWith('.') ? pattern.slice(0, -1) : pattern;
    // `*.` would read as the lone `*`: too easy to write by mistake for "every host".
    if (text === '*') throw new RuleSyntaxError(`'${pattern}' is not a host pattern (write * for every host)`);
    const leading = text.startsWith('*.') && !text.slice(2).includes('*');
    if (leading) text = text.slice(2);
    const raw = text.split('.');
    if (raw.some((l) => l.length === 0)) throw new RuleSyntaxError(`'${pattern}' is not a host pattern`);
    if (leading) p = { any: false, subdomainsOf: raw.map((l) => normaliseLabel(l, pattern)) };
    else {
      const labels = raw.map((l) => {
        if (!l.includes('*')) return compileWildcard(normaliseLabel(l, pattern));
        // A wildcard label: its literal pieces must be valid host characters.
        const pieces = l.split('*').filter((x) => x.length > 0);
        for (const piece of pieces) normaliseLabel(piece, pattern);
        return compileWildcard(l.toLowerCase());
      });
      p = { any: false, labels };
    }
  }
  if (hostPatterns.size > 2000) hostPatterns.clear();
  hostPatterns.set(pattern, p);
  return p;
}

/**
 * `github.com` exact; `*.github.com` any subdomain, not the bare domain; `*` inside a
 * label never crosses a dot; a lone `*` matches every host. Both sides normalised.
 * Throws RuleSyntaxError for a malformed pattern.
 */
export function hostPatternMatches(pattern: string, host: string): boolean {
  const p = parseHostPattern(pattern);
  if (p.any) return true;
  const h = normaliseHost(host);
  if (h === null) return false;
  if (p.exact !== undefined) return h === p.exact;
  const labels = h.split('.');
  if (p.subdomainsOf) {
    const suffix = p.subdomainsOf;
    if (labels.length <= suffix.length) return false;
    return suffix.every((l, k) => labels[labels.length - suffix.length + k] === l);
  }
  const pl = p.labels!;
  return labels.length === pl.length && pl.every((w, k) => wildcardMatches(w, labels[k]!));
}

/** Conservative: true only when every host `inner` matches is matched by `outer`. */
export function hostPatternWithin(inner: string, outer: string): boolean {
  const o = parseHostPattern(outer);
  const i = parseHostPattern(inner);
  if (o.any) return true;
  if (i.any) return false;
  if (i.exact !== undefined) return hostPatternMatches(outer, i.exact);
  if (i.subdomainsOf && o.subdomainsOf) {
    const a = i.subdomainsOf;
    const b = o.subdomainsOf;
    return a.length >= b.length && b.every((l, k) => a[a.length - b.length + k] === l);
  }
  return inner === outer;
}

// ---------------------------------------------------------------------------
// URL globs

interface UrlGlob {
  scheme: Wildcard;
  host: string;
  /** undefined: the scheme's default port only; else a wildcard over the port digits. */
  port?: Wildcard;
  /** Path (and query) segments; `**` spans segments. */
  path: GlobSegment[];
}

const urlGlobs = new Map<string, UrlGlob>();

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443', 'ws:': '80', 'wss:': '443', 'ftp:': '21' };

/** Reads a URL glob (`https://*.github.com/org/**`); throws RuleSyntaxError when malformed. */
export function parseUrlGlob(glob: string): UrlGlob {
  let g = urlGlobs.get(glob);
  if (g) return g;
  const m = /^([A-Za-z*?][A-Za-z0-9+.*?-]*):\/\/([^/]*)(\/.*)?$/s.exec(glob);
  if (!m || glob.includes('\0')) throw new RuleSyntaxError(`'${glob}' is not a URL glob`);
  const authority = m[2]!;
  if (authority.includes('@')) throw new RuleSyntaxError(`'${glob}': a URL glob may not contain user information`);
  // host, then an optional `:port`; an IPv6 literal keeps its colons inside brackets.
  const hp = /^(\[[^\]]*\]|[^:]*)(?::([0-9*?]*))?$/.exec(authority);
  if (!hp) throw new RuleSyntaxError(`'${glob}' has an unreadable host or port`);
  const hostText = hp[1]!;
  let port: Wildcard | undefined;
  if (hp[2] !== undefined && hp[2] !== '') port = compileWildcard(hp[2]);
  if (hostText === '' && m[1]!.toLowerCase() !== 'file') throw new RuleSyntaxError(`'${glob}' has no host`);
  if (hostText !== '') parseHostPattern(hostText);
  const rawPath = m[3] ?? '/';
  const path = compileSegments(normalisePercent(rawPath).split('/').slice(1));
  g = { scheme: compileWildcard(m[1]!.toLowerCase() + ':'), host: hostText, path };
  if (port !== undefined) g.port = port;
  if (urlGlobs.size > 2000) urlGlobs.clear();
  urlGlobs.set(glob, g);
  return g;
}

/**
 * Does the URL match the glob? Compared part by part on the normalised URL: scheme,
 * host (a host pattern: `*` never crosses a dot), port (default only, unless the glob
 * names one), then path and query by segments (`*` within one, `**` across).
 * User information in the URL is ignored: it never decides where a request goes.
 */
export function urlGlobMatches(glob: string, url: string): boolean {
  const g = parseUrlGlob(glob);
  const n = normaliseUrl(url);
  if (n === null) return false;
  const u = new URL(n.url);
  if (!wildcardMatches(g.scheme, u.protocol)) return false;
  if (g.host === '' ? n.host !== '' : !hostPatternMatches(g.host, n.host)) return false;
  // The URL parser drops a default port (`:443` on https), so compare the effective one.
  const effectivePort = u.port || DEFAULT_PORTS[u.protocol] || '';
  if (g.port === undefined ? u.port !== '' : !wildcardMatches(g.port, effectivePort)) return false;
  return segmentsMatch(g.path, (u.pathname + u.search).split('/').slice(1));
}
