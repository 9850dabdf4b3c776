// The hosts of a repository's configured git remotes, for `aex init --policy`: git's
// own remote operations (fetch, pull, push) reach them, so the starter policy allows
// `network.connect` to exactly those hosts and a `git push` comes out as a
// confirmation instead of a refusal.
//
// git runs hardened as every git tool does (git-exec.ts: no hooks, fsmonitor, system or
// global configuration, pager), and anything it cannot answer yields no host: the
// policy then allows no remote, the safe side.

import { execFileSync } from 'node:child_process';
import { domainToASCII } from 'node:url';
import { GIT_HARDENING, gitEnv } from '../runtime/tools/git-exec.js';

export interface RemoteHost {
  /** The remote's name (`origin`). */
  remote: string;
  /** Lowercased host name without a trailing dot, IDNA-encoded; IP literals without brackets. */
  host: string;
}

function git(args: string[], cwd: string): string | undefined {
  try {
    return execFileSync('git', [...GIT_HARDENING, ...args], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5_000,
      // The remotes of the repository `aex init` runs in, wherever in it that is: no ceiling.
      env: gitEnv(cwd, { GIT_CEILING_DIRECTORIES: '' }),
    });
  } catch {
    return undefined;
  }
}

/** The host a git remote URL connects to, or undefined for a local path or an unreadable URL. */
export function hostOfRemoteUrl(raw: string): string | undefined {
  const url = raw.trim();
  if (url === '' || /\s/.test(url)) return undefined;
  let hostPart: string | undefined;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  if (scheme) {
    if (scheme[1]!.toLowerCase() === 'file') return undefined;
    try {
      hostPart = new URL(url.replace(/^[A-Za-z][A-Za-z0-9+.-]*:/, 'ssh:')).hostname;
    } catch {
      return undefined;
    }
  } else {
    // scp-like syntax `[user@]host:path`: a colon before any slash (git's own rule).
    const colon = url.indexOf(':');
    const slash = url.indexOf('/');
    if (colon <= 0 || (slash >= 0 && slash < colon)) return undefined;
    const userHost = url.slice(0, colon);
    const host = userHost.slice(userHost.lastIndexOf('@') + 1);
    try {
      hostPart = new URL(`ssh://${host.startsWith('[') ? host : host.includes(':') ? `[${host}]` : host}/`).hostname;
    } catch {
      return undefined;
    }
  }
  const bare = hostPart.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  // URLs of non-special schemes (ssh:) keep the name as written: IDNA-encode it here.
  const host = bare.includes(':') ? bare.toLowerCase() : domainToASCII(bare);
  // Only plain host names and IP literals are written into a policy.
  return /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(host) || /^[0-9a-f:.]+$/.test(host) ? host : undefined;
}

/** Every (remote, host) pair of the repository `dir` is in, fetch and push URLs alike, without duplicates. */
export function remoteHosts(dir: string): RemoteHost[] {
  const names = git(['remote'], dir);
  if (names === undefined) return [];
  const out: RemoteHost[] = [];
  const seen = new Set<string>();
  for (const remote of names.split('\n').map((n) => n.trim()).filter(Boolean)) {
    const urls = [git(['remote', 'get-url', '--all', remote], dir), git(['remote', 'get-url', '--push', '--all', remote], dir)];
    for (const url of urls.flatMap((u) => (u ?? '').split('\n'))) {
      const host = hostOfRemoteUrl(url);
      if (host === undefined || seen.has(host)) continue;
      seen.add(host);
      out.push({ remote, host });
    }
  }
  return out;
}
