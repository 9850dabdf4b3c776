// Seeded mutations of command patterns, path globs, host patterns and URL globs: the
// matchers may reject a pattern only with RuleSyntaxError, never hang, and keep
// their invariants ('every' implies 'some'; covering a subtree implies it may match).

import { describe, expect, it } from 'vitest';
import { commandPatternMatches, parseCommandPattern } from '../../src/rules/command-pattern.js';
import { setRootCaseInsensitive } from '../../src/rules/case-probe.js';
import { RuleSyntaxError } from '../../src/rules/errors.js';
import { hostPatternMatches, urlGlobMatches } from '../../src/rules/host-pattern.js';
import { globCoversSubtree, globMayMatchUnder, pathGlobMatches } from '../../src/rules/path-glob.js';
import { toolMatches } from '../../src/rules/tool-pattern.js';
import type { ArgWord } from '../../src/rules/types.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = ['*', '?', ' ', '/', '.', '..', ':', ':*', "'", '"', '\\', '\0', '\n', '\u2028', 'é', 'e\u0301', '~', '**', 'a', 'Z', '-', '@', '[', ']', '%41', 'xn--', '😀', ',', '#', '\t'];

function mutate(seeds: string[], r: () => number): string {
  let s = seeds[Math.floor(r() * seeds.length)]!;
  const edits = 1 + Math.floor(r() * 4);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = r();
    const piece = ALPHABET[Math.floor(r() * ALPHABET.length)]!;
    if (op < 0.4) s = s.slice(0, at) + piece + s.slice(at);
    else if (op < 0.7) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(r() * 3));
    else if (op < 0.85) s = s.slice(0, at) + piece + s.slice(at + 1);
    else s = s + s.slice(0, at);
  }
  return s;
}

function onlySyntaxErrors(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof RuleSyntaxError)) throw e;
  }
}

const ROOT = '/m';
setRootCaseInsensitive(ROOT, false);

describe('seeded mutation (no exception but RuleSyntaxError, no hang)', () => {
  it('command patterns', () => {
    const r = rng(20240611);
    const seeds = ['git status', 'git diff *', 'rm -rf *', 'npm run *', "git commit -m 'a b'", './git log:*', '/usr/bin/*/x ?', 'echo "a\\"b"'];
    const argvs: ArgWord[][] = [
      ['git', 'status'],
      ['rm', '-rf', '/'],
      ['./git', 'log', { unknown: 'many', text: '$x' }],
      [{ unknown: 'one', text: '"$p"' }, 'a b', '*'],
      ['/usr/bin/x/x', '\n', 'é'],
    ];
    const t0 = performance.now();
    for (let k = 0; k < 3000; k++) {
      const p = mutate(seeds, r);
      onlySyntaxErrors(() => {
        parseCommandPattern(p);
        for (const argv of argvs) {
          const every = commandPatternMatches(p, argv, 'every');
          const some = commandPatternMatches(p, argv, 'some');
          if (every) expect(some, `${JSON.stringify(p)} vs ${JSON.stringify(argv)}`).toBe(true);
        }
      });
    }
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('path globs and reach', () => {
    const r = rng(7);
    const seeds = ['src/**', '*.env', 'secrets/', '~/.ssh/**', '/etc/*', 'a/../b/?', '**/.git/**', 'x/**/y/*.ts'];
    const paths = ['/m', '/m/src/a.ts', '/m/.env', '/m/a\nb/c.env', '/etc/passwd', '/m/b/x', '/m/secrets/k', '/'];
    const t0 = performance.now();
    for (let k = 0; k < 3000; k++) {
      const g = mutate(seeds, r);
      onlySyntaxErrors(() => {
        for (const p of paths) {
          const m = pathGlobMatches(g, ROOT, p);
          const covers = globCoversSubtree(g, ROOT, p);
          const may = globMayMatchUnder(g, ROOT, p);
          if (covers) expect(m && may, `${JSON.stringify(g)} over ${p}`).toBe(true);
          if (m) expect(may).toBe(true);
        }
      });
    }
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('host patterns, URL globs and tool patterns', () => {
    const r = rng(99);
    const hostSeeds = ['github.com', '*.github.com', 'api*.x.io', 'bücher.de', '[::1]', '127.0.0.1', '*'];
    const urlSeeds = ['https://github.com/**', 'https://*.github.com/org/*', 'http://[::1]:8080/x', '*://a.com/?', 'file:///etc/**'];
    const toolSeeds = ['mcp.fs.read_*', 'mcp.*.read_file', 'network.*', '*', 'file.read'];
    const hosts = ['github.com', 'api.github.com', 'GitHub.COM.', 'xn--bcher-kva.de', '::1', 'evilgithub.com'];
    const urls = ['https://github.com/org/x', 'https://github.com@evil.com/', 'http://[::1]:8080/x', 'file:///etc/passwd'];
    const t0 = performance.now();
    for (let k = 0; k < 2000; k++) {
      const h = mutate(hostSeeds, r);
      onlySyntaxErrors(() => hosts.forEach((x) => hostPatternMatches(h, x)));
      const u = mutate(urlSeeds, r);
      onlySyntaxErrors(() => urls.forEach((x) => urlGlobMatches(u, x)));
      const t = mutate(toolSeeds, r);
      for (const name of ['mcp.fs.read_file', 'network', 'file.read', '']) toolMatches(name, t);
    }
    expect(performance.now() - t0).toBeLessThan(10_000);
  });
});
