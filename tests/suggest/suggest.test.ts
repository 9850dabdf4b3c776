// `aex suggest` (docs/policy-tests.md): from a real audit (the kernel's own events), the
// narrowest rules that would have allowed the refused calls, as a diff `git apply`
// accepts; applied, the diff allows those calls and nothing a deny rule or protected
// state refused; confirmed calls get grants, never allow rules.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decideCall } from '../../src/runtime/kernel/decide.js';
import { loadPolicyFile } from '../../src/runtime/policy/load.js';
import { mergePermissions } from '../../src/rules/merge.js';
import { describeCall } from '../../src/describe/index.js';
import { runSuggestCommand } from '../../src/suggest/index.js';
import { suggestRules } from '../../src/suggest/rules.js';
import type { Finding } from '../../src/suggest/read.js';

const POLICY = `policy workspace v0
goal "suggest test"

allow shell.exec:"git status", file.read:./docs/**
deny shell.exec:"rm -rf *"
confirm before shell.exec:"make deploy *"
allow shell.exec:"make *"

budget calls=100
`;

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-suggest-')));
  mkdirSync(path.join(dir, '.aex'));
  mkdirSync(path.join(dir, 'src', 'lib'), { recursive: true });
  writeFileSync(path.join(dir, '.aex', 'policy.aex'), POLICY);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Call = { tool: string; args: Record<string, unknown> };
const sh = (command: string): Call => ({ tool: 'shell.exec', args: { command } });

async function decisions(calls: Call[]) {
  const policy = await loadPolicyFile(path.join(dir, '.aex', 'policy.aex'), { cwd: dir });
  const perms = mergePermissions({ policy: policy.layer, cwd: dir });
  const out = [];
  for (const c of calls) {
    const described = await describeCall(c, { root: dir, cwd: dir, home: '/nonexistent-home' });
    out.push(decideCall(perms, { callsUsed: 0 }, described, { eventFields: { hook_tool: 'Bash' } }));
  }
  return out;
}

async function auditOf(calls: Call[]): Promise<string> {
  const file = path.join(dir, 'audit.jsonl');
  const lines = (await decisions(calls)).flatMap((d) => [...d.events, ...(d.verdict === 'allow' ? d.proceed : [])]).map((e, i) => JSON.stringify({ seq: i + 1, ts: '2030-01-01T00:00:00Z', ...e }));
  writeFileSync(file, lines.join('\n') + '\nnot json\n');
  return file;
}

const REFUSED: Call[] = [
  sh('npm test'),
  sh('npm run build'),
  sh('npm run lint'),
  sh('npx tsc --noEmit'),
  { tool: 'file.read', args: { path: 'src/lib/a.ts' } },
  { tool: 'file.read', args: { path: 'src/lib/b.ts' } },
  { tool: 'file.read', args: { path: 'README.md' } },
  { tool: 'network.fetch', args: { url: 'https://registry.npmjs.org/left-pad' } },
];
const NEVER: Call[] = [sh('rm -rf build'), { tool: 'file.write', args: { path: '.aex/policy.aex', content: 'allow *' } }, sh('eval "$X"')];

describe('aex suggest', () => {
  it('proposes the narrowest rules as a diff git apply accepts, and they allow exactly the refused calls', async () => {
    const audit = await auditOf([...REFUSED, ...NEVER, sh('make deploy prod'), sh('git status')]);
    const r = runSuggestCommand({ audits: [audit], cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.suggestions!.allow.map((s) => s.rule).sort()).toEqual(
      [
        'file.read:./README.md',
        'file.read:./src/lib/**',
        'network.fetch:registry.npmjs.org',
        'shell.exec:"npm run *"',
        'shell.exec:"npm test"',
        'shell.exec:"npx tsc --noEmit"',
      ].sort(),
    );
    expect(r.stdout).toMatch(/^--- a\/\.aex\/policy\.aex\n\+\+\+ b\/\.aex\/policy\.aex\n@@ /);
    // Never applied by suggest itself.
    expect(readFileSync(path.join(dir, '.aex', 'policy.aex'), 'utf8')).toBe(POLICY);
    writeFileSync(path.join(dir, 'allow.patch'), r.stdout);
    execFileSync('git', ['apply', 'allow.patch'], { cwd: dir });
    const after = await decisions([...REFUSED, ...NEVER]);
    expect(after.map((d) => d.verdict)).toEqual([...REFUSED.map(() => 'allow'), 'deny', 'deny', 'deny']);
    // And nothing wider than asked: a sibling folder, another npm command stay refused.
    const wider = await decisions([{ tool: 'file.read', args: { path: 'src/other.ts' } }, sh('npm install'), sh('npm test --watch'), { tool: 'network.fetch', args: { url: 'https://evil.example/' } }]);
    expect(wider.map((d) => d.verdict)).toEqual(['not_allowed', 'not_allowed', 'not_allowed', 'not_allowed']);
  });

  it('says what it will not suggest: deny rules, protected state, calls AEX could not read; confirmations get grants', async () => {
    const audit = await auditOf([...NEVER, sh('make deploy prod')]);
    const r = runSuggestCommand({ audits: [audit], cwd: dir });
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('no allow rule to suggest');
    expect(r.stderr).toContain(`not suggested: shell.exec "rm -rf build" was refused by 'deny shell.exec:"rm -rf *"' (.aex/policy.aex:5)`);
    expect(r.stderr).toMatch(/not suggested: file\.write "\.aex\/policy\.aex" is AEX's protected state/);
    expect(r.stderr).toContain(`aex grant 'shell.exec:"make deploy prod"' --for 30m`);
    expect(r.stderr).toMatch(/1 line was not/);
  });

  it('--json carries the rules, the grants and the notes', async () => {
    const audit = await auditOf([sh('npm test'), sh('make deploy prod')]);
    const j = JSON.parse(runSuggestCommand({ audits: [audit], cwd: dir, json: true }).stdout);
    expect(j.allow).toEqual([{ rule: 'shell.exec:"npm test"', seen: [expect.stringMatching(/audit\.jsonl:1$/)] }]);
    expect(j.grants.map((g: { rule: string }) => g.rule)).toEqual(['shell.exec:"make deploy prod"']);
  });

  it('usage errors', () => {
    expect(runSuggestCommand({ audits: [], cwd: dir }).exitCode).toBe(2);
    expect(runSuggestCommand({ audits: ['missing.jsonl'], cwd: dir }).exitCode).toBe(2);
  });
});

describe('the narrowest rule for each finding', () => {
  const f = (over: Partial<Finding>): Finding => ({ kind: 'not_allowed', cap: 'shell.exec', unresolved: false, seen: 'a:1', ...over });
  it.each([
    [[{ command: 'git log --oneline' }], ['shell.exec:"git log --oneline"']],
    [[{ command: 'git log --oneline' }, { command: 'git log -5' }], ['shell.exec:"git log *"']],
    [[{ command: 'grep -rn x $F' }], ['shell.exec:"grep -rn x *"']],
    [[{ command: 'make' }, { command: 'make -j4' }], ['shell.exec:"make *"']],
    [[{ command: 'git log' }, { command: 'git show HEAD' }], ['shell.exec:"git log"', 'shell.exec:"git show HEAD"']],
    [[{ command: '$CMD x' }], []],
    [[{ command: 'npm test', unresolved: true }], []],
    [[{ cap: 'file.write', paths: ['src/a/b/c.ts'] }, { cap: 'file.write', paths: ['src/a/d.ts'] }], ['file.write:./src/a/**']],
    [[{ cap: 'file.read', paths: ['/etc/hosts'] }], ['file.read:/etc/hosts']],
    [[{ cap: 'file.read', reach: ['src'] }], ['file.read:./src/**']],
    [[{ cap: 'file.read', paths: ['src/*.ts'] }], []],
    [[{ cap: 'network.fetch', url: 'https://api.github.com/x' }], ['network.fetch:api.github.com']],
    [[{ cap: 'mcp.github.create_issue' }], ['mcp.github.create_issue']],
    [[{ kind: 'denied', command: 'sudo ls', rule: 'deny shell.exec:"sudo *"' }], []],
  ] as Array<[Partial<Finding>[], string[]]>)('%j → %j', (findings, rules) => {
    expect(suggestRules(findings.map(f), '/proj').allow.map((s) => s.rule)).toEqual(rules);
  });
});
