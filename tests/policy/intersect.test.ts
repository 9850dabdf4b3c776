import { describe, expect, it } from 'vitest';
import { dedupeRules, effectiveAllowList, globWithin, intersectRules, ruleCoveredBy } from '../../src/rules/intersect.js';
import { formatRule, parseRule } from '../../src/rules/match.js';

const cwd = '/w';
const show = (task: string[] | undefined, policy: string[] | undefined) =>
  effectiveAllowList(task?.map(parseRule), policy?.map(parseRule), cwd).map(formatRule);

describe('effective allow list = pairwise intersection (§4.5)', () => {
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
