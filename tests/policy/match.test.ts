import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatRule } from '../../src/rules/format.js';
import { patternWithin, toolMatches } from '../../src/rules/tool-pattern.js';
import { pathGlobMatches } from '../../src/rules/path-glob.js';
import { ruleAppliesToAction, type MatchMode } from '../../src/runtime/kernel/rule-applies.js';
import type { RuleSpec } from '../../src/rules/types.js';
import { parseRule } from '../rule-text.js';

// A rule held against one action of `tool` touching `paths` (each its own only form).
function ruleMatchesCall(rule: RuleSpec, tool: string, paths: readonly string[], cwd: string, mode: MatchMode = 'allow'): boolean {
  return ruleAppliesToAction(rule, { cap: tool, paths: paths.map((p) => ({ given: p, forms: [p] })) }, cwd, mode);
}

const pathMatchesGlob = (p: string, glob: string, cwd: string) => pathGlobMatches(glob, cwd, p);

describe('toolMatches (dot boundary, exact case)', () => {
  const table: Array<[string, string, boolean]> = [
    ['network.fetch', 'network.*', true],
    ['network', 'network.*', true],
    ['network.a.b', 'network.*', true],
    ['networkx.y', 'network.*', false],
    ['networkx', 'network.*', false],
    ['Network.fetch', 'network.*', false],
    ['network.fetch', 'Network.*', false],
    ['file.read', 'file.read', true],
    ['file.readx', 'file.read', false],
    ['file.rea', 'file.read', false],
    ['anything.at.all', '*', true],
    ['file.read', 'file.*', true],
    ['file', 'file.*', true],
    ['files.read', 'file.*', false],
    ['file.read ', 'file.read', false],
  ];
  it.each(table)('%s vs %s → %s', (name, pattern, want) => {
    expect(toolMatches(name, pattern)).toBe(want);
  });

  it('patternWithin nests by dot boundary', () => {
    expect(patternWithin('file.read', 'file.*')).toBe(true);
    expect(patternWithin('file.*', 'file.read')).toBe(false);
    expect(patternWithin('a.b.*', 'a.*')).toBe(true);
    expect(patternWithin('ab.*', 'a.*')).toBe(false);
    expect(patternWithin('*', 'a.*')).toBe(false);
    expect(patternWithin('x', '*')).toBe(true);
  });
});

describe('parseRule / formatRule', () => {
  it('splits at the first colon', () => {
    expect(parseRule('file.read:/a/b:c/**')).toEqual({ tool: 'file.read', path: '/a/b:c/**' });
    expect(parseRule('tests.run')).toEqual({ tool: 'tests.run' });
    expect(formatRule({ tool: 'file.read', path: '/a/**', alsoPaths: ['src/**'] })).toBe('file.read:/a/** & src/**');
  });
});

function tmp(): string {
  return realpathSync(mkdtempSync(path.join(os.tmpdir(), 'aex-match-')));
}

describe('path qualifiers (docs/design.md#rules-and-permissions)', () => {
  it('globs: ** any depth, * one segment, ? one char, dot files included', () => {
    const cwd = tmp();
    const j = (p: string) => path.join(cwd, p);
    expect(pathMatchesGlob(j('src/a/b/c.ts'), 'src/**', cwd)).toBe(true);
    expect(pathMatchesGlob(j('src/.env'), 'src/**', cwd)).toBe(true);
    expect(pathMatchesGlob(j('src/.hidden/x'), 'src/*/x', cwd)).toBe(true);
    expect(pathMatchesGlob(j('src/a/b.ts'), 'src/*.ts', cwd)).toBe(false);
    expect(pathMatchesGlob(j('src/b.ts'), 'src/*.ts', cwd)).toBe(true);
    expect(pathMatchesGlob(j('src/ab.ts'), 'src/?.ts', cwd)).toBe(false);
    expect(pathMatchesGlob(j('src/a.ts'), 'src/?.ts', cwd)).toBe(true);
    expect(pathMatchesGlob(j('srcx/a.ts'), 'src/**', cwd)).toBe(false);
    expect(pathMatchesGlob(j('src'), 'src/**', cwd)).toBe(true);
    expect(pathMatchesGlob(j('README.md'), 'README.md', cwd)).toBe(true);
    expect(pathMatchesGlob(j('README.mdx'), 'README.md', cwd)).toBe(false);
    // braces, brackets and a leading ! are literal, never alternation or negation
    expect(pathMatchesGlob(j('a.ts'), '{a,b}.ts', cwd)).toBe(false);
    expect(pathMatchesGlob(j('x'), '!y', cwd)).toBe(false);
  });

  it('relative globs resolve against cwd; ../ in the glob is normalised', () => {
    const cwd = tmp();
    mkdirSync(path.join(cwd, 'w'));
    expect(pathMatchesGlob(path.join(cwd, 'w/x'), 'w/**', cwd)).toBe(true);
    expect(pathMatchesGlob(path.join(cwd, 'x'), 'w/../*', cwd)).toBe(true);
    expect(pathMatchesGlob(path.join(cwd, 'w/x'), 'w/**', path.join(cwd, 'w'))).toBe(false);
  });

  it('globs are lexical: a root reached through a symlink is not resolved (docs/paths.md)', () => {
    const real = tmp();
    mkdirSync(path.join(real, 'src'));
    writeFileSync(path.join(real, 'src/a.ts'), 'x');
    const linkParent = tmp();
    const viaLink = path.join(linkParent, 'proj');
    symlinkSync(real, viaLink);
    // The glob is written against the symlinked root; only the path's lexical form
    // (through the link) matches it. The describer supplies both forms of a path.
    expect(pathMatchesGlob(path.join(viaLink, 'src/a.ts'), 'src/**', viaLink)).toBe(true);
    expect(pathMatchesGlob(path.join(real, 'src/a.ts'), 'src/**', viaLink)).toBe(false);
    expect(pathMatchesGlob(path.join(real, 'src/a.ts'), path.join(viaLink, 'src/**'), '/')).toBe(false);
  });

  it('allow needs ≥1 path and every path; deny needs any path; no path part = tool only', () => {
    const cwd = tmp();
    const rule = { tool: 'file.read', path: 'src/**' };
    const inSrc = path.join(cwd, 'src/a');
    const out = path.join(cwd, 'secrets/s');
    expect(ruleMatchesCall(rule, 'file.read', [inSrc], cwd, 'allow')).toBe(true);
    expect(ruleMatchesCall(rule, 'file.read', [inSrc, out], cwd, 'allow')).toBe(false);
    expect(ruleMatchesCall(rule, 'file.read', [], cwd, 'allow')).toBe(false);
    expect(ruleMatchesCall(rule, 'file.write', [inSrc], cwd, 'allow')).toBe(false);
    const deny = { tool: 'file.read', path: 'secrets/**' };
    expect(ruleMatchesCall(deny, 'file.read', [inSrc, out], cwd, 'deny')).toBe(true);
    expect(ruleMatchesCall(deny, 'file.read', [inSrc], cwd, 'deny')).toBe(false);
    expect(ruleMatchesCall(deny, 'file.read', [], cwd, 'deny')).toBe(false);
    expect(ruleMatchesCall({ tool: 'file.*' }, 'file.read', [], cwd, 'allow')).toBe(true);
    expect(ruleMatchesCall({ tool: 'file.*' }, 'file.read', [out], cwd, 'deny')).toBe(true);
  });

  it('a conjunction (alsoPaths) needs every glob', () => {
    const cwd = tmp();
    const rule = { tool: 'file.read', path: 'src/**', alsoPaths: ['**/*.ts'] };
    expect(ruleMatchesCall(rule, 'file.read', [path.join(cwd, 'src/a.ts')], cwd)).toBe(true);
    expect(ruleMatchesCall(rule, 'file.read', [path.join(cwd, 'src/a.js')], cwd)).toBe(false);
  });

  it('a glob that cannot be evaluated throws, which the kernel turns into a denial', () => {
    const cwd = tmp();
    const bad = { tool: 'file.read', path: 'a\0b/**' };
    expect(() => ruleMatchesCall(bad, 'file.read', [path.join(cwd, 'x')], cwd, 'allow')).toThrow();
    expect(() => ruleMatchesCall(bad, 'file.read', [path.join(cwd, 'x')], cwd, 'deny')).toThrow();
  });
});
