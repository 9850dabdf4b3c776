import { describe, expect, it } from 'vitest';
import { ruleProblem } from '../../src/rules/check-rule.js';
import type { RuleSpec } from '../../src/rules/types.js';

describe('ruleProblem (AEX014 / AEX018)', () => {
  const table: Array<[RuleSpec, string | null]> = [
    [{ tool: 'shell.exec', command: 'git status' }, null],
    [{ tool: 'shell.exec', command: "git 'x" }, 'AEX014'],
    [{ tool: 'shell.exec', command: '   ' }, 'AEX014'],
    [{ tool: 'file.read', command: 'git status' }, 'AEX018'],
    [{ tool: 'shell.exec', path: 'src/**' }, 'AEX018'],
    [{ tool: 'network.fetch', host: '*.github.com' }, null],
    [{ tool: 'network.fetch', host: 'a..b' }, 'AEX014'],
    [{ tool: 'network.fetch', url: 'https://github.com/**' }, null],
    [{ tool: 'network.fetch', url: 'https://u@github.com/**' }, 'AEX014'],
    [{ tool: 'file.read', host: 'github.com' }, 'AEX018'],
    [{ tool: 'file.read', path: 'src/**' }, null],
    [{ tool: 'file.read', path: 'a\0b' }, 'AEX014'],
    [{ tool: 'file.read', path: '~bob/x' }, 'AEX014'],
    [{ tool: 'file.read', path: 'a', alsoPaths: [''] }, 'AEX014'],
    [{ tool: 'network.fetch', host: 'a.com', url: 'https://a.com/' }, 'AEX014'],
    [{ tool: 'x', where: [{ arg: ['c'], op: 'in', value: ['a'] }] }, null],
    [{ tool: 'x', where: [{ arg: ['c'], op: 'in', value: 'a' }] }, 'AEX014'],
    [{ tool: 'x', where: [{ arg: ['c'], op: 'matches', value: 1 }] }, 'AEX014'],
    [{ tool: 'x', where: [{ arg: [], op: '==', value: 1 }] }, 'AEX014'],
  ];
  it.each(table)('%j → %s', (rule, code) => {
    expect(ruleProblem(rule)?.code ?? null).toBe(code);
  });
});
