// MCP resource reads name a URI: a `file:` URI is judged as a path, any other URI by URL
// globs (`mcp.S.resources.read:"https://docs.example.com/*"`), and never by a path rule.
import { describe, expect, it } from 'vitest';
import { decideCall } from '../../src/runtime/kernel/decide.js';
import { describeCall } from '../../src/describe/index.js';
import { ruleProblem } from '../../src/rules/check-rule.js';
import type { EffectivePermissions, PermissionLayer, RuleSpec } from '../../src/rules/types.js';
import { parseRule } from '../rule-text.js';

const ROOT = '/proj';

function perms(allow: string[], deny: string[] = []): EffectivePermissions {
  const src = (r: RuleSpec, i: number): RuleSpec => ({ ...r, source: { file: '/proj/.aex/policy.aex', line: i + 1 } });
  const p: PermissionLayer = {
    kind: 'policy', name: 'workspace', file: '/proj/.aex/policy.aex', root: ROOT,
    allow: allow.map((t, i) => src(parseRule(t), i)), deny: deny.map((t, i) => src(parseRule(t, 'deny'), i + 50)), confirm: [], budget: {},
  };
  return { policy: p, deny: p.deny, confirm: [], budget: {}, cwd: ROOT };
}

async function verdict(p: EffectivePermissions, uri: unknown): Promise<string> {
  const described = await describeCall({ tool: 'mcp.docs.resources.read', args: { uri } }, { root: ROOT, cwd: ROOT, home: '/home/u' });
  return decideCall(p, { callsUsed: 0 }, described).verdict;
}

describe('mcp.S.resources.read with a URL glob', () => {
  it('the qualifier is a URL glob, and it is valid only on resource reads', () => {
    const r = parseRule('mcp.docs.resources.read:"https://docs.example.com/*"');
    expect(r.url).toBe('https://docs.example.com/*');
    expect(r.path).toBeUndefined();
    expect(ruleProblem(r)).toBeNull();
    expect(parseRule('mcp.docs.resources.read:"file:///proj/docs/**"').path).toBe('file:///proj/docs/**');
  });

  it('allows the URIs it names and nothing else', async () => {
    const p = perms(['mcp.docs.resources.read:"https://docs.example.com/*"']);
    expect(await verdict(p, 'https://docs.example.com/guide')).toBe('allow');
    expect(await verdict(p, 'https://docs.example.com.evil.net/guide')).toBe('not_allowed');
    expect(await verdict(p, 'https://evil.net/https://docs.example.com/x')).toBe('not_allowed');
    expect(await verdict(p, 'file:///etc/passwd')).toBe('not_allowed');
    // Other spellings of another host: user info, an encoded dot, a trailing-dot host.
    expect(await verdict(p, 'https://docs.example.com@evil.net/guide')).toBe('not_allowed');
    expect(await verdict(p, 'https://docs%2eexample.com.evil.net/guide')).toBe('not_allowed');
    expect(await verdict(p, 'https://evil.net/guide?u=https://docs.example.com/x')).toBe('not_allowed');
    // Other spellings of the same resource are the same resource.
    expect(await verdict(p, 'HTTPS://DOCS.EXAMPLE.COM/guide')).toBe('allow');
  });

  it('a path rule never permits a URI that is not a file', async () => {
    const p = perms(['mcp.docs.resources.read:/**']);
    expect(await verdict(p, 'https://anything.example/x')).toBe('not_allowed');
    expect(await verdict(p, 'file:///proj/readme.md')).toBe('allow');
  });

  it('a URL deny rule applies before a broad allow', async () => {
    const p = perms(['mcp.docs.resources.read'], ['mcp.docs.resources.read:"https://internal.example/*"']);
    expect(await verdict(p, 'https://internal.example/secrets')).toBe('deny');
    expect(await verdict(p, 'https://public.example/a')).toBe('allow');
  });
});
