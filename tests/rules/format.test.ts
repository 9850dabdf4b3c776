import { describe, expect, it } from 'vitest';
import { formatQualifier, formatRule } from '../../src/rules/format.js';
import { unionRules } from '../../src/rules/merge.js';
import { parseRule } from '../rule-text.js';
import { qualifierField, qualifierKind } from '../../src/rules/qualifier.js';
import type { RuleSpec } from '../../src/rules/types.js';

describe('qualifierKind (docs/language.md)', () => {
  const table: Array<[string, string]> = [
    ['shell.exec', 'command'],
    ['shell.*', 'command'],
    ['shell', 'command'],
    ['shellx.exec', 'path'],
    ['network', 'network'],
    ['network.*', 'network'],
    ['network.fetch', 'network'],
    ['networkx', 'path'],
    ['file.read', 'path'],
    ['*', 'path'],
    ['mcp.fs.read_*', 'path'],
  ];
  it.each(table)('%s → %s', (tool, kind) => {
    expect(qualifierKind(tool)).toBe(kind);
  });
  it('network qualifiers with :// are URL globs', () => {
    expect(qualifierField('network.fetch', 'https://github.com/**')).toBe('url');
    expect(qualifierField('network.fetch', '*.github.com')).toBe('host');
    expect(qualifierField('shell.exec', 'git *')).toBe('command');
    expect(qualifierField('file.read', 'src/**')).toBe('path');
  });
});

describe('formatRule (canonical text)', () => {
  const table: Array<[RuleSpec, string, string?]> = [
    [{ tool: 'file.read' }, 'file.read'],
    [{ tool: 'file.read', path: 'src/**' }, 'file.read:src/**'],
    [{ tool: 'file.read', path: '/a/**', alsoPaths: ['src/**'] }, 'file.read:/a/** & src/**'],
    [{ tool: 'file.read', path: 'my docs/**' }, 'file.read:"my docs/**"'],
    [{ tool: 'file.read', path: 'a,b' }, 'file.read:"a,b"'],
    [{ tool: 'file.read', path: 'a#b' }, 'file.read:"a#b"'],
    [{ tool: 'file.read', path: '' }, 'file.read:""'],
    [{ tool: 'file.read', path: 'x\ny' }, 'file.read:"x\\ny"'],
    [{ tool: 'shell.exec', command: 'git status' }, 'shell.exec:"git status"'],
    [{ tool: 'shell.exec', command: 'git diff *' }, 'shell.exec:"git diff *"'],
    [{ tool: 'shell.exec', command: 'ls' }, 'shell.exec:ls'],
    [{ tool: 'shell.exec', command: `echo "a\\b"` }, 'shell.exec:"echo \\"a\\\\b\\""'],
    [{ tool: 'network.fetch', host: '*.github.com' }, 'network.fetch:*.github.com'],
    [{ tool: 'network.fetch', url: 'https://github.com/**' }, 'network.fetch:https://github.com/**'],
    [
      { tool: 'mcp.slack.post', where: [{ arg: ['channel'], op: 'in', value: ['C1', 'C2'] }, { arg: ['n'], op: '==', value: 3 }] },
      'mcp.slack.post where channel in ["C1", "C2"] and n == 3',
    ],
    [{ tool: 'mcp.gh.*', where: [{ arg: ['opts', 'repo'], op: 'matches', value: 'secret-org/*' }] }, 'mcp.gh.* where opts.repo matches "secret-org/*"'],
    [{ tool: 'x', where: [{ arg: ['o'], op: '==', value: { a: [1, null], b: 'c' } }] }, 'x where o == {"a": [1, null], "b": "c"}'],
  ];
  it.each(table)('%j → %s', (rule, want) => {
    expect(formatRule(rule)).toBe(want);
  });

  it('keywords in front only when asked', () => {
    const deny: RuleSpec = { tool: 'shell.exec', command: 'rm -rf *', keyword: 'deny' };
    expect(formatRule(deny)).toBe('shell.exec:"rm -rf *"');
    expect(formatRule(deny, { keyword: true })).toBe('deny shell.exec:"rm -rf *"');
    expect(formatRule({ tool: 'shell.exec', command: 'git push *', keyword: 'confirm' }, { keyword: true })).toBe('confirm before shell.exec:"git push *"');
    expect(formatRule({ tool: 'file.read', keyword: 'use' }, { keyword: true })).toBe('use file.read');
    expect(formatRule({ tool: 'file.read' }, { keyword: true })).toBe('file.read');
    // rules.map(formatRule) passes an index as the second argument
    expect([deny].map(formatRule)).toEqual(['shell.exec:"rm -rf *"']);
  });

  it('formatQualifier reads back through parseRule', () => {
    for (const q of ['src/**', 'a b', 'a"b', 'a\\b', 'x,y', '#', 'é/**', 'a\tb']) {
      expect(parseRule(`file.read:${formatQualifier(q)}`)).toEqual({ tool: 'file.read', path: q });
    }
    expect(parseRule('shell.exec:"git diff *"')).toEqual({ tool: 'shell.exec', command: 'git diff *' });
    expect(parseRule('network.fetch:*.github.com')).toEqual({ tool: 'network.fetch', host: '*.github.com' });
    expect(parseRule('network.fetch:https://x.com/**')).toEqual({ tool: 'network.fetch', url: 'https://x.com/**' });
  });
});

describe('unionRules / sameRule compare every qualifier and where', () => {
  it('keeps rules that differ only in command, host, url or where', () => {
    const rules: RuleSpec[] = [
      { tool: 'shell.exec', command: 'git status' },
      { tool: 'shell.exec', command: 'git diff *' },
      { tool: 'shell.exec', command: 'git status', origin: 'other' },
      { tool: 'network.fetch', host: 'a.com' },
      { tool: 'network.fetch', host: 'b.com' },
      { tool: 'network.fetch', url: 'https://a.com/**' },
      { tool: 'x', where: [{ arg: ['a'], op: '==', value: { p: 1, q: 2 } }] },
      { tool: 'x', where: [{ arg: ['a'], op: '==', value: { q: 2, p: 1 } }] },
      { tool: 'x', where: [{ arg: ['a'], op: '==', value: 2 }] },
      { tool: 'x' },
    ];
    const u = unionRules(rules);
    expect(u.map((r) => formatRule(r))).toEqual([
      'shell.exec:"git status"',
      'shell.exec:"git diff *"',
      'network.fetch:a.com',
      'network.fetch:b.com',
      'network.fetch:https://a.com/**',
      'x where a == {"p": 1, "q": 2}',
      'x where a == 2',
      'x',
    ]);
    expect(u[0]!.origin).toBeUndefined();
  });
});
