// The policy test reader (docs/policy-tests.md): every problem is a diagnostic at its
// line and column (AEX140), never a case that silently goes missing.
import { describe, expect, it } from 'vitest';
import { parsePolicyTestFile } from '../../src/policytest/parse.js';
import { formatDiagnostic } from '../../src/compiler/diagnostics.js';

describe('reading policy tests', () => {
  it('reads the header, the policy line, capability cases and payload cases', () => {
    const text = [
      '# a comment',
      'policytest workspace v1',
      'policy "../candidate.aex"',
      '',
      'expect deny shell.exec "git status && rm -rf /"',
      '  expect allow file.read "./src/a.ts"',
      'expect confirm mcp.github.create_issue {"repo": "me/x"}',
      'expect deny payload claude-code "fixtures/write-policy.json"',
    ].join('\n');
    const p = parsePolicyTestFile(text);
    expect(p.diagnostics).toEqual([]);
    expect(p).toMatchObject({ name: 'workspace', version: '1', policy: { file: '../candidate.aex', line: 3, column: 8 } });
    expect(p.cases).toEqual([
      { kind: 'call', line: 5, expect: 'deny', tool: 'shell.exec', value: 'git status && rm -rf /' },
      { kind: 'call', line: 6, expect: 'allow', tool: 'file.read', value: './src/a.ts' },
      { kind: 'call', line: 7, expect: 'confirm', tool: 'mcp.github.create_issue', value: { repo: 'me/x' } },
      { kind: 'payload', line: 8, expect: 'deny', host: 'claude-code', file: 'fixtures/write-policy.json', fileColumn: 33 },
    ]);
  });

  it.each([
    ['expect allow file.read "./a"', 1, 1, /first line must be the header/],
    ['policytest', 1, 11, /needs a name/],
    ['policytest w', 1, 13, /needs a version/],
    ['policytest w 1', 1, 14, /needs a version/],
    ['policytest w v1 extra', 1, 17, /unexpected text/],
    ['policytest w v1\nexpect maybe file.read "./a"', 2, 8, /unknown verdict "maybe"/],
    ['policytest w v1\nexpect allow', 2, 13, /expected a capability/],
    ['policytest w v1\nexpect allow file.read', 2, 23, /expected the call/],
    ['policytest w v1\nexpect allow file.read ./a', 2, 24, /JSON/],
    ['policytest w v1\nexpect allow file.read "./a" # why', 2, 30, /comments go on their own lines/],
    ['policytest w v1\nexpect allow file.read ["a"]', 2, 24, /JSON string or a JSON object/],
    ['policytest w v1\nexpect allow file.read null', 2, 24, /JSON string or a JSON object/],
    ['policytest w v1\nexpect allow file..read "a"', 2, 14, /not a capability/],
    ['policytest w v1\nexpct allow file.read "a"', 2, 1, /expected `expect/],
    ['policytest w v1\nexpect deny payload codex "x.json"', 2, 21, /hook payloads of claude-code/],
    ['policytest w v1\nexpect deny payload claude-code x.json', 2, 33, /JSON/],
    ['policytest w v1\nexpect deny payload claude-code {"a": 1}', 2, 33, /payload file is a JSON string/],
    ['policytest w v1\nexpect allow file.read "a"\npolicy "p.aex"', 3, 1, /before the first/],
    ['policytest w v1\npolicy "a.aex"\npolicy "b.aex"', 3, 1, /already names/],
    ['policytest w v1\npolicy p.aex', 2, 8, /JSON/],
    ['', 1, 1, /no `policytest NAME vN` header/],
  ])('%j → line %i column %i', (text, line, column, message) => {
    const p = parsePolicyTestFile(text);
    expect(p.diagnostics[0]).toMatchObject({ code: 'AEX140', severity: 'error', line, column });
    expect(p.diagnostics[0]!.message).toMatch(message);
  });

  it('every bad line is reported, not only the first', () => {
    const p = parsePolicyTestFile('policytest w v1\nexpect maybe a "x"\nexpect allow a x\nexpect allow a "ok"');
    expect(p.diagnostics.map((d) => d.line)).toEqual([2, 3]);
    expect(p.cases).toHaveLength(1);
  });

  it('diagnostics print with a caret under the column, as the compiler prints them', () => {
    const text = 'policytest w v1\nexpect maybe file.read "./a"';
    const d = parsePolicyTestFile(text).diagnostics[0]!;
    expect(formatDiagnostic(d, text, '.aex/policy.test.aex')).toBe(
      '.aex/policy.test.aex:2:8: error AEX140: unknown verdict "maybe"; use allow, confirm, deny, not_allowed\n  expect maybe file.read "./a"\n         ^^^^^',
    );
  });
});
