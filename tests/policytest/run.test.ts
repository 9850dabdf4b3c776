// `aex test` in process (docs/policy-tests.md): each case is described and decided as
// enforcement would (the starter test of `aex init --policy` passes, Claude Code payloads
// go through the gate's describer), a mismatch exits 1, a broken file exits 2.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initPolicy } from '../../src/authoring/init.js';
import { runTestCommand } from '../../src/policytest/index.js';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-policytest-')));
  env = { ...process.env, AEX_STATE_DIR: path.join(dir, '..', `${path.basename(dir)}-state`) };
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(env.AEX_STATE_DIR!, { recursive: true, force: true });
});

const POLICY = `policy workspace v0
goal "policy tests"

allow shell.exec:"git status", shell.exec:"git push *", file.read:./**, file.write:./src/**
allow mcp.github.create_issue
deny shell.exec:"rm -rf *"
confirm before mcp.github.create_issue where repo matches "me/*"
`;

function project(policy = POLICY): void {
  mkdirSync(path.join(dir, '.aex'), { recursive: true });
  writeFileSync(path.join(dir, '.aex', 'policy.aex'), policy);
}

function testFile(name: string, body: string): string {
  const f = path.join(dir, '.aex', name);
  writeFileSync(f, body);
  return f;
}

describe('aex test', () => {
  it('the starter test aex init --policy writes passes', async () => {
    initPolicy(dir);
    const r = await runTestCommand({ files: [], cwd: dir, env });
    expect(r.stdout).toMatch(/\d+ passed, 0 failed\n$/);
    expect(r.exitCode).toBe(0);
    expect(r.results[0]!.cases.length).toBeGreaterThan(10);
  });

  it('prints a table with the expected and got verdict and the deciding rule', async () => {
    project();
    testFile(
      'policy.test.aex',
      [
        'policytest workspace v1',
        'expect deny shell.exec "git status && rm -rf /"',
        'expect allow file.read "./src/a.ts"',
        'expect confirm mcp.github.create_issue {"repo": "me/x"}',
        'expect not_allowed file.read "/etc/passwd"',
        'expect deny file.write "./.aex/policy.aex"',
      ].join('\n'),
    );
    const r = await runTestCommand({ files: [], cwd: dir, env });
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('.aex/policy.test.aex (policytest workspace v1) against .aex/policy.aex');
    expect(lines[1]).toMatch(/^ +line +expect +got +call +decided by$/);
    expect(lines[2]).toMatch(/^ {2}ok +2 +deny +deny +shell\.exec "git status && rm -rf \/" +deny shell\.exec:"rm -rf \*" \(\.aex\/policy\.aex:6\)$/);
    expect(lines[3]).toMatch(/ok +3 +allow +allow +file\.read "\.\/src\/a\.ts" +allow file\.read:\.\/\*\* \(\.aex\/policy\.aex:4\)$/);
    expect(lines[4]).toMatch(/ok +4 +confirm +confirm .*confirm before mcp\.github\.create_issue where repo matches "me\/\*" \(\.aex\/policy\.aex:7\)$/);
    expect(lines[5]).toMatch(/ok +5 +not_allowed +not_allowed .*no rule allows file\.read "\/etc\/passwd" under policy workspace/);
    expect(lines[6]).toMatch(/ok +6 +deny +deny .*protected \.aex\/\*\*$/);
    expect(lines.at(-2)).toBe('5 passed, 0 failed');
  });

  it('a mismatch fails with exit 1 and says what was decided', async () => {
    project();
    const f = testFile('policy.test.aex', 'policytest w v1\nexpect allow shell.exec "git status; rm -rf build"\nexpect allow shell.exec "git status"\n');
    const r = await runTestCommand({ files: [f], cwd: dir, env });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/FAIL +2 +allow +deny +shell\.exec "git status; rm -rf build" +deny shell\.exec:"rm -rf \*"/);
    expect(r.stdout).toMatch(/1 passed, 1 failed\n$/);
  });

  it('--json carries every case with its rule and source', async () => {
    project();
    const f = testFile('policy.test.aex', 'policytest w v1\nexpect deny shell.exec "rm -rf /"\n');
    const r = await runTestCommand({ files: [f], cwd: dir, env, json: true });
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ passed: 1, failed: 0, broken: 0 });
    expect(j.files[0].cases[0]).toMatchObject({ line: 2, expect: 'deny', got: 'deny', pass: true, rule: 'deny shell.exec:"rm -rf *"', source: '.aex/policy.aex:6' });
    expect(j.files[0].source).toBeUndefined();
  });

  it('Claude Code payloads from files are described by the gate\'s describer', async () => {
    project();
    mkdirSync(path.join(dir, '.aex', 'fixtures'));
    const payload = (name: string, body: unknown) => writeFileSync(path.join(dir, '.aex', 'fixtures', name), JSON.stringify(body));
    payload('write-policy.json', { hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: '.aex/policy.aex', content: 'allow *' } });
    payload('edit-src.json', { tool_name: 'Edit', tool_input: { file_path: 'src/a.ts', old_string: 'a', new_string: 'b' } });
    payload('bash.json', { tool_name: 'Bash', tool_input: { command: 'git status && rm -rf ~' } });
    payload('bash-sub.json', { tool_name: 'Bash', cwd: 'src', tool_input: { command: 'cat ../../outside.txt' } });
    payload('mcp.json', { tool_name: 'mcp__github__create_issue', tool_input: { repo: 'me/x' } });
    const f = testFile(
      'hooks.test.aex',
      [
        'policytest hooks v1',
        'expect deny payload claude-code "fixtures/write-policy.json"',
        'expect allow payload claude-code "fixtures/edit-src.json"',
        'expect deny payload claude-code "fixtures/bash.json"',
        'expect not_allowed payload claude-code "fixtures/bash-sub.json"',
        'expect confirm payload claude-code "fixtures/mcp.json"',
      ].join('\n'),
    );
    const r = await runTestCommand({ files: [f], cwd: dir, env });
    expect(r.results[0]!.cases.map((c) => `${c.line} ${c.got}`)).toEqual(['2 deny', '3 allow', '4 deny', '5 not_allowed', '6 confirm']);
    expect(r.exitCode).toBe(0);
  });

  it('a payload that cannot be read is an error at its case', async () => {
    project();
    writeFileSync(path.join(dir, '.aex', 'bad.json'), '{"tool_name": 3}');
    const f = testFile('p.test.aex', 'policytest w v1\nexpect deny payload claude-code "missing.json"\nexpect deny payload claude-code "bad.json"\nexpect deny shell.exec "rm -rf /"\n');
    const r = await runTestCommand({ files: [f], cwd: dir, env });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toContain('.aex/p.test.aex:2:33: error AEX141: cannot read the payload missing.json');
    expect(r.stdout).toContain('.aex/p.test.aex:3:33: error AEX141: bad.json is not a claude-code hook payload');
    expect(r.stdout).toMatch(/1 passed, 0 failed, 1 file with errors\n$/);
  });

  it('a syntax error is reported with a caret and nothing runs', async () => {
    project();
    const f = testFile('p.test.aex', 'policytest w v1\nexpect allow file.raed ./a\n');
    const r = await runTestCommand({ files: [f], cwd: dir, env });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toContain('.aex/p.test.aex:2:24: error AEX140: the value must be one JSON string or JSON object');
    expect(r.stdout).toContain('\n  expect allow file.raed ./a\n                         ^\n');
  });

  it('a candidate policy is tested with `policy "FILE"` or --policy before it ships', async () => {
    project();
    writeFileSync(path.join(dir, 'candidate.aex'), POLICY.replace('allow mcp.github.create_issue', 'allow mcp.github.create_issue, shell.exec:"git log *"'));
    const f = testFile('p.test.aex', 'policytest w v1\npolicy "../candidate.aex"\nexpect allow shell.exec "git log --oneline"\n');
    expect((await runTestCommand({ files: [f], cwd: dir, env })).exitCode).toBe(0);
    expect((await runTestCommand({ files: [f], cwd: dir, env, policy: '.aex/policy.aex' })).exitCode).toBe(1);
  });

  it('a policy with errors is reported with its own file and line', async () => {
    project('policy broken v0\ngoal "x"\n\nallow shell.exec:"git status" where\n');
    const f = testFile('p.test.aex', 'policytest w v1\nexpect allow shell.exec "git status"\n');
    const r = await runTestCommand({ files: [f], cwd: dir, env });
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/\.aex\/policy\.aex:4:\d+: error AEX\d{3}/);
  });

  it('no test files is a usage error', async () => {
    project();
    const r = await runTestCommand({ files: [], cwd: dir, env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no policy tests/);
  });

  it('grants never change what a test decides', async () => {
    project();
    const { createGrant } = await import('../../src/grants/store.js');
    createGrant(dir, 'shell.exec:"npm test"', { env });
    const f = testFile('p.test.aex', 'policytest w v1\nexpect not_allowed shell.exec "npm test"\n');
    expect((await runTestCommand({ files: [f], cwd: dir, env })).exitCode).toBe(0);
  });
});
