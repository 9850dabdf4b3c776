import { describe, expect, it } from 'vitest';
import { dedupeRules, effectiveAllowList, globWithin, intersectRules, ruleCoveredBy } from '../../src/rules/intersect.js';
import { formatRule } from '../../src/rules/format.js';
import { parseRule } from '../rule-text.js';

const cwd = '/w';
const show = (task: string[] | undefined, policy: string[] | undefined) =>
  effectiveAllowList(task?.map((t) => parseRule(t)), policy?.map((t) => parseRule(t)), cwd).map(formatRule);

describe('effective allow list = pairwise intersection (docs/design.md#rules-and-permissions)', () => {
  const table: Array<[string[] | undefined, string[] | undefined, string[]]> = [
    [['file.*'], ['file.read', 'file.write'], ['file.read', 'file.write']],
    [['file.read', 'file.write'], ['file.*'], ['file.read', 'file.write']],
    [['*'], ['git.*', 'tests.run'], ['git.*', 'tests.run']],
    [['git.*'], ['*'], ['git.*']],
    [['file.read'], ['file.read'], ['file.read']],
    [['file.read'], ['file.write'], []],
    [['a.b.*'], ['a.*'], ['a.b.*']],
    [['a.*'], ['a.b.*'], ['a.b.*']],
    [['a.*'], ['b.*'], []],
    [['network.*'], ['networkx.*'], []],
    [['Network.fetch'], ['network.*'], []],
    [['file.read', 'file.*'], ['file.*'], ['file.*']],
    [['file.read:src/**'], ['file.*'], ['file.read:src/**']],
    [['file.read'], ['file.*:/w/**'], ['file.read:/w/**']],
    [['file.read:src/**'], ['file.read:/w/**'], ['file.read:src/**']],
    [['file.read:/w/**'], ['file.read:src/lib/**'], ['file.read:src/lib/**']],
    [['file.read:src/**'], ['file.read:docs/**'], ['file.read:src/** & docs/**']],
    [['file.read'], [], []],
    [undefined, ['file.read', 'file.*'], ['file.*']],
    [['tests.run'], undefined, ['tests.run']],
  ];
  it.each(table)('%j ∩ %j', (task, policy, want) => {
    expect(show(task, policy)).toEqual(want);
  });
});

describe('ruleCoveredBy (AEX015)', () => {
  it('tool inside some allow pattern with an at-least-as-broad path part', () => {
    expect(ruleCoveredBy({ tool: 'file.read' }, [{ tool: 'file.*' }])).toBe(true);
    expect(ruleCoveredBy({ tool: 'file.*' }, [{ tool: 'file.read' }, { tool: 'file.write' }])).toBe(false);
    expect(ruleCoveredBy({ tool: 'file.read', path: '/w/src/**' }, [{ tool: 'file.read', path: '/w/**' }])).toBe(true);
    expect(ruleCoveredBy({ tool: 'file.read', path: '/w/**' }, [{ tool: 'file.read', path: '/w/src/**' }])).toBe(false);
    expect(ruleCoveredBy({ tool: 'file.read' }, [{ tool: 'file.read', path: '/w/**' }])).toBe(false);
    expect(ruleCoveredBy({ tool: 'file.read', path: '/w/a.txt' }, [{ tool: 'file.read', path: '/w/*.txt' }])).toBe(true);
    expect(ruleCoveredBy({ tool: 'x' }, [])).toBe(false);
    expect(ruleCoveredBy({ tool: 'network.fetch' }, [{ tool: '*' }])).toBe(true);
  });
});

describe('globWithin', () => {
  const table: Array<[string, string, boolean]> = [
    ['/a/b/c', '/a/**', true],
    ['/a/**', '/a/**', true],
    ['/a/b/**', '/a/**', true],
    ['/a/**', '/a/b/**', false],
    ['/a/**', '/a/*', false],
    ['/a/*.ts', '/a/*', true],
    ['/a/x*.ts', '/a/*.ts', true],
    ['/a/*.ts', '/a/x*.ts', false],
    ['/a/?', '/a/*', true],
    ['/a/b/c.ts', '/a/**/*.ts', true],
    ['/ab/c', '/a/**', false],
    ['/a', '/a/**', true],
  ];
  it.each(table)('%s within %s → %s', (inner, outer, want) => {
    expect(globWithin(inner, outer, cwd)).toBe(want);
  });
});

it('intersectRules and dedupeRules', () => {
  expect(intersectRules({ tool: 'file.*', path: '/w/**' }, { tool: 'file.read' }, cwd)).toEqual({ tool: 'file.read', path: '/w/**' });
  expect(intersectRules({ tool: 'a' }, { tool: 'b' }, cwd)).toBeNull();
  expect(dedupeRules([{ tool: 'a.b' }, { tool: 'a.*' }, { tool: 'a.*' }, { tool: 'c' }], cwd)).toEqual([{ tool: 'a.*' }, { tool: 'c' }]);
});

describe('AEX 2 qualifiers in the pattern algebra', () => {
  it('command, host and url qualifiers: keep the narrower, drop what cannot be compared', () => {
    const sx = (command: string) => ({ tool: 'shell.exec', command });
    expect(intersectRules(sx('git diff *'), sx('git *'), cwd)).toEqual(sx('git diff *'));
    expect(intersectRules(sx('git *'), sx('git diff *'), cwd)).toEqual(sx('git diff *'));
    expect(intersectRules(sx('git status'), { tool: 'shell.*' }, cwd)).toEqual(sx('git status'));
    expect(intersectRules(sx('git *'), sx('npm *'), cwd)).toBeNull();
    expect(intersectRules(sx('git * x'), sx('git y *'), cwd)).toBeNull(); // overlap not expressible: dropped
    const net = (host: string) => ({ tool: 'network.fetch', host });
    expect(intersectRules(net('api.github.com'), net('*.github.com'), cwd)).toEqual(net('api.github.com'));
    expect(intersectRules(net('a.com'), net('b.com'), cwd)).toBeNull();
    expect(intersectRules({ tool: 'network.*', url: 'https://a.com/**' }, { tool: 'network.fetch', url: 'https://a.com/x' }, cwd)).toEqual({
      tool: 'network.fetch',
      url: 'https://a.com/x',
    });
    // different kinds (a path glob on `*` against a command pattern) are not combined
    expect(intersectRules({ tool: '*', path: '/w/**' }, sx('git *'), cwd)).toBeNull();
  });

  it('where tests join as a conjunction; containment needs the outer tests among the inner ones', () => {
    const w = (value: string) => ({ arg: ['channel'], op: '==' as const, value });
    expect(intersectRules({ tool: 'mcp.s.post', where: [w('C1')] }, { tool: 'mcp.s.*', where: [w('C1')] }, cwd)).toEqual({ tool: 'mcp.s.post', where: [w('C1')] });
    expect(intersectRules({ tool: 'mcp.s.post', where: [w('C1')] }, { tool: 'mcp.s.*' }, cwd)).toEqual({ tool: 'mcp.s.post', where: [w('C1')] });
    expect(ruleCoveredBy({ tool: 'mcp.s.post', where: [w('C1')] }, [{ tool: 'mcp.s.*' }])).toBe(true);
    expect(ruleCoveredBy({ tool: 'mcp.s.post' }, [{ tool: 'mcp.s.*', where: [w('C1')] }])).toBe(false);
    expect(ruleCoveredBy({ tool: 'shell.exec', command: 'git status' }, [{ tool: 'shell.exec', command: 'git *' }])).toBe(true);
    expect(ruleCoveredBy({ tool: 'shell.exec' }, [{ tool: 'shell.exec', command: 'git *' }])).toBe(false);
    expect(ruleCoveredBy({ tool: 'shell.exec', command: 'git *' }, [{ tool: 'shell.exec', command: 'git status' }])).toBe(false);
  });

  it('effective list keeps the new fields', () => {
    const list = effectiveAllowList([{ tool: 'shell.exec', command: 'git status' }], [{ tool: 'shell.*' }], cwd);
    expect(list.map((r) => formatRule(r))).toEqual(['shell.exec:"git status"']);
    const one = effectiveAllowList(undefined, [{ tool: 'network.fetch', host: 'a.com' }, { tool: 'network.fetch', host: 'a.com' }], cwd);
    expect(one).toEqual([{ tool: 'network.fetch', host: 'a.com' }]);
  });

  it('globWithin understands trailing /, *.env and ~ like the matcher', () => {
    expect(globWithin('/w/secrets/a', '/w/secrets/', cwd)).toBe(true);
    expect(globWithin('/w/x/prod.env', '*.env', cwd)).toBe(true);
    expect(globWithin('*.env', '/w/**', cwd)).toBe(true);
    expect(globWithin('/w/**', '*.env', cwd)).toBe(false);
    expect(globWithin('a\0b', '/w/**', cwd)).toBe(false);
    // many ** on both sides stays fast (memoised)
    const many = Array.from({ length: 40 }, () => '**').join('/x/');
    expect(globWithin(`/w/${many}/y`, `/w/${many}/z`, cwd)).toBe(false);
  });
});
