// Network actions of shell effects (docs/shell.md): URLs for network.fetch, hosts for
// network.connect, each normalised by the rule library so rules and actions agree on
// one spelling of every host.

import type { Action, DescribeContext } from '../types.js';
import { normaliseHost, normaliseUrl } from '../../rules/host-pattern.js';
import type { ShellWord } from './words.js';
import type { EffectSet } from './sink.js';
import { pathFor, type Bases } from './bases.js';

function unresolvedNetwork(cap: string, given: string, why: string, what = 'host'): Action {
  return { cap, url: given, unresolved: [{ what, why }] };
}

/** A host as ssh, nc or telnet take it: `host`, `user@host`, `[v6]`, `ssh://user@host:port`. */
export function hostAction(cap: string, word: ShellWord): Action {
  if (word.literal === undefined) return { cap, unresolved: [{ what: 'host', why: 'dynamic host' }] };
  let text = word.literal;
  if (text.includes('://')) {
    const parsed = urlHost(text);
    return parsed === null ? { cap, unresolved: [{ what: 'host', why: 'invalid host' }] } : { cap, host: parsed };
  }
  const at = text.lastIndexOf('@');
  if (at >= 0) text = text.slice(at + 1);
  const host = normaliseHost(text);
  return host === null ? { cap, unresolved: [{ what: 'host', why: 'invalid host' }] } : { cap, host };
}

function urlHost(text: string): string | null {
  try {
    const u = new URL(text);
    return u.hostname === '' ? null : normaliseHost(u.hostname);
  } catch {
    return null;
  }
}

/**
 * A URL operand of curl or wget. Without a scheme both assume http://. `file:` URLs are
 * file reads. curl expands `{a,b}` and `[1-9]` in URLs, so an authority holding either is
 * an unknown host (unless globbing is off).
 */
export function urlEffect(word: ShellWord, effects: EffectSet, bases: Bases, ctx: DescribeContext, globbing: boolean): void {
  if (word.literal === undefined) {
    effects.add(unresolvedNetwork('network.fetch', word.text, 'dynamic url', 'url'));
    return;
  }
  const raw = word.literal.includes('://') ? word.literal : 'http://' + word.literal;
  const authority = raw.slice(raw.indexOf('://') + 3).split(/[/?#]/)[0] ?? '';
  if (globbing && (authority.includes('{') || /\[[^\]]*[^0-9a-fA-F:.\]][^\]]*\]/.test(authority))) {
    effects.add(unresolvedNetwork('network.fetch', word.literal, 'url glob'));
    return;
  }
  const normal = normaliseUrl(raw);
  if (normal === null) {
    effects.add(unresolvedNetwork('network.fetch', word.literal, 'invalid url'));
    return;
  }
  if (normal.url.startsWith('file:')) {
    let filePath: string;
    try {
      const u = new URL(normal.url);
      if (u.hostname !== '' && u.hostname !== 'localhost') {
        effects.read({ given: word.literal, forms: [], unresolved: { what: 'path', why: 'remote file url' } });
        return;
      }
      filePath = decodeURIComponent(u.pathname);
    } catch {
      effects.read({ given: word.literal, forms: [], unresolved: { what: 'path', why: 'invalid url' } });
      return;
    }
    effects.read(pathFor(filePath, bases, ctx));
    return;
  }
  effects.add({ cap: 'network.fetch', url: normal.url, host: normal.host });
}

/** The file name curl -O / wget give a download: the last segment of the URL path. */
export function remoteFileName(word: ShellWord): string | undefined {
  if (word.literal === undefined) return undefined;
  const raw = word.literal.includes('://') ? word.literal : 'http://' + word.literal;
  try {
    const name = new URL(raw).pathname.split('/').pop() ?? '';
    return name === '' ? undefined : decodeURIComponent(name);
  } catch {
    return undefined;
  }
}

/** A proxy given as a URL or host[:port]. */
export function proxyAction(word: ShellWord): Action {
  if (word.literal === undefined) return { cap: 'network.connect', unresolved: [{ what: 'host', why: 'dynamic host' }] };
  const raw = word.literal.includes('://') ? word.literal : 'http://' + word.literal;
  const host = urlHost(raw);
  return host === null
    ? { cap: 'network.connect', unresolved: [{ what: 'host', why: 'invalid host' }] }
    : { cap: 'network.connect', host };
}

/** `host:path`, `user@host:path`, `host::module`, `rsync://host/…`: the remote host, else undefined (a local path). */
export function remoteHost(text: string): string | null | undefined {
  if (text.startsWith('rsync://')) return urlHost(text);
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const before = text.slice(0, colon);
  if (before.includes('/')) return undefined;
  let host = before.slice(before.lastIndexOf('@') + 1);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return normaliseHost(host);
}
