import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decision, gate, gateState, pool, type Run } from './helpers.js';

// One project directory with a JSON policy, a symlink farm and an .aex policy elsewhere.
let P: string;
let OUT: string;
const POLICY = {
  allow: [
    'file.read:src/**',
    'file.write:src/**',
    'shell.exec',
    'network.search',
    'todo.*',
    'agent.todo.*',
    'agent.spawn',
    'mcp.github.*',
    'unknown.Foo',
  ],
  deny: ['file.read:src/private/**', 'mcp.github.delete_repo'],
  require_confirmation: ['shell.exec'],
};

beforeAll(() => {
  P = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-gate-')));
  OUT = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-gate-out-')));
  mkdirSync(path.join(P, 'src'));
  mkdirSync(path.join(P, 'secret'));
  mkdirSync(path.join(P, 'src', 'private'));
  mkdirSync(path.join(P, 'src', 'sub'));
  writeFileSync(path.join(P, 'src', 'private', 'p.txt'), 'private\n');
  symlinkSync(path.join(P, 'src', 'private', 'p.txt'), path.join(P, 'src', 'to-private'));
  writeFileSync(path.join(P, 'src', 'a.ts'), 'export {}\n');
  writeFileSync(path.join(P, 'secret', 'k'), 'key\n');
  writeFileSync(path.join(OUT, 'x'), 'outside\n');
  symlinkSync(path.join(P, 'secret', 'k'), path.join(P, 'src', 'to-secret'));
  symlinkSync(path.join(OUT, 'x'), path.join(P, 'src', 'to-outside'));
  symlinkSync(OUT, path.join(P, 'src', 'outdir'));
  writeFileSync(path.join(P, 'policy.json'), JSON.stringify(POLICY));
  writeFileSync(path.join(P, 'bad.json'), '{"allow": [');
});

afterAll(() => {
  rmSync(P, { recursive: true, force: true });
  rmSync(OUT, { recursive: true, force: true });
});

// Refusal texts name the rule and the action (docs/design.md#the-kernel). The JSON policy is one line.
const ALLOWED = (tool: string) => `${tool} allowed by policy "policy" (policy.json).`;
const NOT_ALLOWED = (cap: string, subject?: string, tail = '') => `no rule allows ${cap}${subject !== undefined ? ` ${JSON.stringify(subject)}` : ''} under policy policy (policy.json)${tail}`;
const NARROWER = '; search a narrower path';
const DENIED = (rule: string, subject: string) => `denied by 'deny ${rule}' (policy.json:1): ${subject}`;
// A denied search also names the area and points lower (docs/paths.md).
const SEARCH_DENIED = (rule: string, subject: string) => `${DENIED(rule, subject)}; the search reaches ${rule.slice(rule.indexOf(':') + 1)}: search a narrower path`;
const ASK = (subject: string) => `confirmation required by 'confirm before shell.exec' (policy.json:1): ${subject}`;

interface Case {
  name: string;
  tool?: string;
  input?: Record<string, unknown>;
  raw?: string;
  args?: string[];
  stdout: string | (() => string);
  code: 0 | 2;
  stderr?: string;
}

function hook(toolName: string, toolInput: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    session_id: 'table',
    transcript_path: '/dev/null',
    cwd: P,
    permission_mode: 'default',
    hook_event_name: 'PreToolUse',
    tool_name: toolName,
    tool_input: toolInput,
    tool_use_id: 'toolu_1',
    ...extra,
  };
}

const cases: Array<Omit<Case, 'input'> & { input?: () => Record<string, unknown> }> = [
  // Built-in tools, mapped (docs/hosts.md) and judged on real paths.
  { name: 'Read inside src', input: () => hook('Read', { file_path: `${P}/src/a.ts` }), stdout: () => decision('allow', ALLOWED('file.read')), code: 0 },
  { name: 'Read relative path resolved against cwd', input: () => hook('Read', { file_path: 'src/a.ts' }), stdout: () => decision('allow', ALLOWED('file.read')), code: 0 },
  { name: 'Read secret (outside the qualified allow)', input: () => hook('Read', { file_path: `${P}/secret/k` }), stdout: () => decision('deny', NOT_ALLOWED('file.read', 'secret/k')), code: 0 },
  { name: 'Read src/private (qualified deny inside the allow)', input: () => hook('Read', { file_path: `${P}/src/private/p.txt` }), stdout: () => decision('deny', DENIED('file.read:src/private/**', 'src/private/p.txt')), code: 0 },
  { name: 'Read a symlink in src that points into src/private', input: () => hook('Read', { file_path: `${P}/src/to-private` }), stdout: () => decision('deny', DENIED('file.read:src/private/**', 'src/to-private')), code: 0 },
  { name: 'Read src/x/../private/p.txt (dot-dot into the deny)', input: () => hook('Read', { file_path: `${P}/src/x/../private/p.txt` }), stdout: () => decision('deny', DENIED('file.read:src/private/**', 'src/private/p.txt')), code: 0 },
  { name: 'Read /etc/passwd (outside the qualified allow)', input: () => hook('Read', { file_path: '/etc/passwd' }), stdout: () => decision('deny', NOT_ALLOWED('file.read', '/etc/passwd')), code: 0 },
  { name: 'Read src/../secret/k (dot-dot)', input: () => hook('Read', { file_path: `${P}/src/../secret/k` }), stdout: () => decision('deny', NOT_ALLOWED('file.read', 'secret/k')), code: 0 },
  { name: 'Read through an in-tree symlink to secret', input: () => hook('Read', { file_path: `${P}/src/to-secret` }), stdout: () => decision('deny', NOT_ALLOWED('file.read', 'src/to-secret')), code: 0 },
  { name: 'Read through a symlink leaving the project', input: () => hook('Read', { file_path: `${P}/src/to-outside` }), stdout: () => decision('deny', NOT_ALLOWED('file.read', 'src/to-outside')), code: 0 },
  { name: 'Write a new file through a symlinked directory', input: () => hook('Write', { file_path: `${P}/src/outdir/new.txt`, content: 'x' }), stdout: () => decision('deny', NOT_ALLOWED('file.write', 'src/outdir/new.txt')), code: 0 },
  { name: 'Read without file_path (qualified allow needs a path)', input: () => hook('Read', {}), stdout: () => decision('deny', NOT_ALLOWED('file.read')), code: 0 },
  { name: 'NotebookRead', input: () => hook('NotebookRead', { notebook_path: `${P}/src/n.ipynb` }), stdout: () => decision('allow', ALLOWED('file.read')), code: 0 },
  // A search may read its whole subtree (docs/paths.md): src holds the denied src/private.
  { name: 'Glob with path src reaches src/private', input: () => hook('Glob', { pattern: '*.ts', path: `${P}/src` }), stdout: () => decision('deny', SEARCH_DENIED('file.read:src/private/**', 'src')), code: 0 },
  { name: 'Glob with path src/sub', input: () => hook('Glob', { pattern: '*.ts', path: `${P}/src/sub` }), stdout: () => decision('allow', ALLOWED('file.read')), code: 0 },
  { name: 'Glob without path searches cwd', input: () => hook('Glob', { pattern: '**/*' }), stdout: () => decision('deny', SEARCH_DENIED('file.read:src/private/**', P)), code: 0 },
  { name: 'Glob with a ../ pattern reaches the parent', input: () => hook('Glob', { pattern: '../**/*.ts', path: `${P}/src/sub` }), stdout: () => decision('deny', SEARCH_DENIED('file.read:src/private/**', 'src/sub, src')), code: 0 },
  { name: 'Grep in secret', input: () => hook('Grep', { pattern: 'key', path: `${P}/secret` }), stdout: () => decision('deny', NOT_ALLOWED('file.read', 'secret', NARROWER)), code: 0 },
  { name: 'LS src', input: () => hook('LS', { path: `${P}/src` }), stdout: () => decision('deny', SEARCH_DENIED('file.read:src/private/**', 'src')), code: 0 },
  { name: 'LS src/sub', input: () => hook('LS', { path: `${P}/src/sub` }), stdout: () => decision('allow', ALLOWED('file.read')), code: 0 },
  { name: 'Write new file in src', input: () => hook('Write', { file_path: `${P}/src/new.ts`, content: '' }), stdout: () => decision('allow', ALLOWED('file.write')), code: 0 },
  { name: 'Edit outside project', input: () => hook('Edit', { file_path: `${OUT}/x`, old_string: 'a', new_string: 'b' }), stdout: () => decision('deny', NOT_ALLOWED('file.write', `${OUT}/x`)), code: 0 },
  { name: 'MultiEdit in src', input: () => hook('MultiEdit', { file_path: `${P}/src/a.ts`, edits: [] }), stdout: () => decision('allow', ALLOWED('file.write')), code: 0 },
  { name: 'NotebookEdit uses notebook_path', input: () => hook('NotebookEdit', { notebook_path: `${P}/secret/n.ipynb` }), stdout: () => decision('deny', NOT_ALLOWED('file.write', 'secret/n.ipynb')), code: 0 },
  { name: 'Bash asks (confirm before shell.exec)', input: () => hook('Bash', { command: 'git status' }), stdout: () => decision('ask', ASK('git status')), code: 0 },
  // Each simple command is an action: `ls` reads the cwd, which file.read:src/** does not cover.
  { name: 'Bash ls reads the cwd', input: () => hook('Bash', { command: 'ls' }), stdout: () => decision('deny', NOT_ALLOWED('file.read', P)), code: 0 },
  { name: 'Bash cat of a denied file', input: () => hook('Bash', { command: 'git status && cat src/private/p.txt' }), stdout: () => decision('deny', DENIED('file.read:src/private/**', 'src/private/p.txt')), code: 0 },
    // AEX does not parse PowerShell: one unresolved shell.exec, which only an unqualified rule matches.
  { name: 'PowerShell is shell.exec', input: () => hook('PowerShell', { command: 'dir' }), stdout: () => decision('ask', ASK('dir')), code: 0 },
  { name: 'WebFetch not allowed', input: () => hook('WebFetch', { url: 'https://example.com', prompt: 'x' }), stdout: () => decision('deny', NOT_ALLOWED('network.fetch', 'https://example.com/')), code: 0 },
  { name: 'WebSearch allowed', input: () => hook('WebSearch', { query: 'x' }), stdout: () => decision('allow', ALLOWED('network.search')), code: 0 },
  { name: 'TodoWrite', input: () => hook('TodoWrite', { todos: [] }), stdout: () => decision('allow', ALLOWED('agent.todo.write')), code: 0 },
  { name: 'TodoRead', input: () => hook('TodoRead', {}), stdout: () => decision('allow', ALLOWED('agent.todo.read')), code: 0 },
  { name: 'Agent', input: () => hook('Agent', { prompt: 'x' }), stdout: () => decision('allow', ALLOWED('agent.spawn')), code: 0 },
  { name: 'Task (older name of Agent)', input: () => hook('Task', { prompt: 'x' }), stdout: () => decision('allow', ALLOWED('agent.spawn')), code: 0 },
  { name: 'MCP tool under mcp.github.*', input: () => hook('mcp__github__create_issue', { title: 't' }), stdout: () => decision('allow', ALLOWED('mcp.github.create_issue')), code: 0 },
  { name: 'MCP tool with underscores in its name', input: () => hook('mcp__github__list_pull_requests', {}), stdout: () => decision('allow', ALLOWED('mcp.github.list_pull_requests')), code: 0 },
  { name: 'MCP tool denied by name', input: () => hook('mcp__github__delete_repo', {}), stdout: () => decision('deny', DENIED('mcp.github.delete_repo', 'mcp.github.delete_repo')), code: 0 },
  { name: 'MCP tool of another server', input: () => hook('mcp__slack__post_message', {}), stdout: () => decision('deny', NOT_ALLOWED('mcp.slack.post_message')), code: 0 },
  { name: 'Unknown tool allowed by unknown.Foo', input: () => hook('Foo', {}), stdout: () => decision('allow', ALLOWED('unknown.Foo')), code: 0 },
  { name: 'Unknown tool denied', input: () => hook('Bar', {}), stdout: () => decision('deny', NOT_ALLOWED('unknown.Bar')), code: 0 },
  { name: 'Dotted tool name kept', input: () => hook('network.fetch', {}), stdout: () => decision('deny', NOT_ALLOWED('network.fetch')), code: 0 },
  { name: 'missing tool_input is {}', input: () => { const h = hook('WebSearch'); delete h.tool_input; return h; }, stdout: () => decision('allow', ALLOWED('network.search')), code: 0 },
  { name: 'missing hook_event_name is treated as PreToolUse', input: () => { const h = hook('WebSearch'); delete h.hook_event_name; return h; }, stdout: () => decision('allow', ALLOWED('network.search')), code: 0 },
  // Events the gate does not handle: exit 0, no output.
  { name: 'PostToolUse ignored', input: () => hook('Read', { file_path: '/etc/passwd' }, { hook_event_name: 'PostToolUse' }), stdout: '', code: 0 },
  { name: 'UserPromptSubmit ignored', raw: '{"hook_event_name":"UserPromptSubmit","prompt":"hi"}', stdout: '', code: 0 },
  // Malformed input: exit 2, reason on stderr, nothing on stdout.
  { name: 'empty stdin', raw: '', stdout: '', code: 2, stderr: 'aex gate: no input received on stdin\n' },
  { name: 'garbage stdin', raw: 'rm -rf /', stdout: '', code: 2, stderr: 'aex gate: invalid JSON on stdin\n' },
  { name: 'JSON array', raw: '[1,2]', stdout: '', code: 2, stderr: 'aex gate: hook input must be a JSON object\n' },
  { name: 'missing tool_name', input: () => { const h = hook('Read'); delete h.tool_name; return h; }, stdout: '', code: 2, stderr: 'aex gate: missing tool_name in input\n' },
  { name: 'tool_name not a string', input: () => hook(42 as unknown as string), stdout: '', code: 2, stderr: 'aex gate: tool_name must be a string\n' },
  { name: 'tool_input not an object', input: () => hook('Read', 'x' as unknown as Record<string, unknown>), stdout: '', code: 2, stderr: 'aex gate: tool_input must be a JSON object\n' },
    // A path with NUL is refused: an unresolved path, which a deny path rule may match (docs/design.md#unresolved-parts).
  { name: 'NUL byte in a path', input: () => hook('Read', { file_path: `${P}/src/a\u0000.ts` }), stdout: () => decision('deny', DENIED('file.read:src/private/**', 'file.read (AEX cannot read part of it: describe failed: Path contains a NUL byte.)')), code: 0 },
  { name: 'cwd that does not exist', input: () => hook('WebSearch', {}, { cwd: '/nonexistent-aex-dir/x' }), stdout: '', code: 2, stderr: 'aex gate: cwd /nonexistent-aex-dir/x is not an existing directory\n' },
  { name: 'unknown option', args: ['--polcy', 'x'], input: () => hook('Read', { file_path: `${P}/src/a.ts` }), stdout: '', code: 2, stderr: 'aex gate: unknown option "--polcy" (see aex gate --help)\n' },
];

describe('aex gate: table of hook inputs (real processes)', () => {
  const results = new Map<string, Run>();
  beforeAll(async () => {
    // One session per case: this table is about decisions; lock contention has its own test.
    const runs = await pool(cases, 4, (c) => {
      const text = c.raw ?? JSON.stringify({ ...c.input!(), session_id: `table-${cases.indexOf(c)}` });
      return gate(text, c.args ?? ['--policy', 'policy.json'], P);
    });
    cases.forEach((c, i) => results.set(c.name, runs[i]!));
  }, 120_000);

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = results.get(c.name)!;
    const expected = typeof c.stdout === 'function' ? c.stdout() : c.stdout;
    expect(r.stdout, `stderr: ${r.stderr}`).toBe(expected);
    expect(r.code).toBe(c.code);
    if (c.stderr !== undefined) expect(r.stderr).toBe(c.stderr);
    if (c.code === 0) expect(r.stderr).toBe('');
  });
});

describe('aex gate: policy discovery, flags and contracts', () => {
  let D: string;
  beforeAll(() => {
    D = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-gate-disc-')));
    mkdirSync(path.join(D, 'src'));
  });
  afterAll(() => rmSync(D, { recursive: true, force: true }));

  const input = (toolName: string, toolInput: Record<string, unknown> = {}, cwd?: string) =>
    JSON.stringify({ session_id: 'disc', cwd: cwd ?? D, hook_event_name: 'PreToolUse', tool_name: toolName, tool_input: toolInput });

  it('denies everything when no policy is found, unless --allow-no-policy', async () => {
    const none = await gate(input('WebSearch', { query: 'x' }), [], D);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe(
      decision('deny', `no policy found (looked for .aex/policy.aex and aex.policy.aex in ${D}); every call is denied until a policy exists`),
    );
    const allowed = await gate(input('WebSearch', { query: 'x' }), ['--allow-no-policy'], D);
    expect(allowed.stdout).toBe(decision('allow', `no policy found (looked for .aex/policy.aex and aex.policy.aex in ${D}); --allow-no-policy is set`));
    const deferred = await gate(input('WebSearch', { query: 'x' }), ['--allow-no-policy', '--defer-allow'], D);
    expect(deferred.stdout).toBe('');
    expect(deferred.code).toBe(0);
  });

  it('discovers .aex/policy.aex in the hook cwd (not the process cwd) and names it in the allow reason', async () => {
    mkdirSync(path.join(D, '.aex'), { recursive: true });
    writeFileSync(
      path.join(D, '.aex', 'policy.aex'),
      'policy workspace v0\ngoal "Test boundary."\nallow file.read, shell.exec\ndeny network.*\nconfirm before shell.exec\n',
    );
    const r = await gate(input('Read', { file_path: `${D}/src/a.ts` }), [], tmpdir());
    expect(r.stdout).toBe(decision('allow', 'file.read allowed by policy "workspace" (.aex/policy.aex).'));
    const net = await gate(input('WebFetch', { url: 'http://x' }), [], tmpdir());
    // Deny is checked before allow (docs/design.md#the-kernel).
    expect(net.stdout).toBe(decision('deny', "denied by 'deny network.*' (.aex/policy.aex:4): http://x/"));
    const deferAllow = await gate(input('Read', { file_path: `${D}/src/a.ts` }), ['--defer-allow'], D);
    expect(deferAllow.stdout).toBe('');
    const deferDeny = await gate(input('WebSearch'), ['--defer-allow'], D);
    expect(deferDeny.stdout).toBe(decision('deny', "denied by 'deny network.*' (.aex/policy.aex:4): network.search"));
    // The compiled policy is cached in the state folder, never in the workspace.
    expect(existsSync(path.join(D, '.aex', 'cache'))).toBe(false);
    expect(existsSync(path.join(path.dirname(gateState(D).budget), 'cache'))).toBe(true);
  });

  it('re-reads a changed policy (the cache is keyed by content)', async () => {
    writeFileSync(path.join(D, '.aex', 'policy.aex'), 'policy workspace v1\ngoal "Test boundary."\nallow shell.exec\n');
    const r = await gate(input('Read', { file_path: `${D}/src/a.ts` }), [], D);
    expect(r.stdout).toBe(decision('deny', 'no rule allows file.read "src/a.ts" under policy workspace (.aex/policy.aex)'));
    writeFileSync(path.join(D, '.aex', 'policy.aex'), 'policy workspace v0\ngoal "Test boundary."\nallow file.read, shell.exec\ndeny network.*\nconfirm before shell.exec\n');
  });

  it('--contract narrows the policy', async () => {
    writeFileSync(path.join(D, 'task.aex'), 'task readonly v0\ngoal "Read one file."\nuse file.read\nneed p: str\ndo file.read(path=p) -> content\nreturn content\n');
    const read = await gate(input('Read', { file_path: `${D}/src/a.ts` }), ['--contract', 'task.aex'], D);
    expect(read.stdout).toBe(decision('allow', 'file.read allowed by policy "workspace" (.aex/policy.aex).'));
    const bash = await gate(input('Bash', { command: 'ls' }), ['--contract', 'task.aex'], D);
    expect(bash.stdout).toBe(decision('deny', 'no rule allows shell.exec "ls" under task readonly (task.aex)'));
  });

  it('an invalid policy or contract blocks with exit 2', async () => {
    writeFileSync(path.join(D, 'broken.aex'), 'policy broken v0\nalow file.read\n');
    const bad = await gate(input('Read', { file_path: `${D}/src/a.ts` }), ['--policy', 'broken.aex'], D);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^aex gate: .*broken\.aex:\d+:\d+: AEX\d+: /);
    const badJson = await gate(input('Read', { file_path: `${D}/src/a.ts` }), ['--policy', 'nope.json'], D);
    expect(badJson.code).toBe(2);
    expect(badJson.stderr).toMatch(/^aex gate: cannot read policy .*nope\.json/);
    writeFileSync(path.join(D, 'bad-task.aex'), 'task t v0\ngoal "g"\nuse file.read\n');
    const badTask = await gate(input('Read', { file_path: `${D}/src/a.ts` }), ['--contract', 'bad-task.aex'], D);
    expect(badTask.code).toBe(2);
    expect(badTask.stdout).toBe('');
  });

  it('prints its usage with --help', async () => {
    const r = await gate('', ['--help'], D);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: aex gate/);
  });
});

describe('aex gate: budget and audit', () => {
  let B: string;
  beforeAll(() => {
    B = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-gate-budget-')));
    writeFileSync(
      path.join(B, 'policy.json'),
      JSON.stringify({ allow: ['network.search', 'shell.exec'], require_confirmation: ['shell.exec'], budget: { calls: 2 } }),
    );
  });
  afterAll(() => rmSync(B, { recursive: true, force: true }));
  const input = (session: string, tool: string) =>
    JSON.stringify({ session_id: session, cwd: B, hook_event_name: 'PreToolUse', tool_name: tool, tool_input: {} });

  it('allowed and confirmed calls consume budget, refusals do not; sessions are counted separately', async () => {
    const seq: Run[] = [];
    for (const tool of ['WebSearch', 'Bash', 'WebSearch', 'Bash']) seq.push(await gate(input('s-one', tool), ['--policy', 'policy.json'], B));
    // A confirmed call runs once the user agrees, so `ask` is charged like `allow`.
    expect(seq.map((r) => JSON.parse(r.stdout).hookSpecificOutput.permissionDecision)).toEqual(['allow', 'ask', 'deny', 'deny']);
    expect(JSON.parse(seq[2]!.stdout).hookSpecificOutput.permissionDecisionReason).toBe('AEX: call budget exhausted (2 calls) before network.search');
    const other = await gate(input('s-two', 'WebSearch'), ['--policy', 'policy.json'], B);
    expect(JSON.parse(other.stdout).hookSpecificOutput.permissionDecision).toBe('allow');

    const audit = readFileSync(gateState(B).audit('s-one'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(audit.map((e) => e.event)).toEqual(['tool.allowed', 'confirm.required', 'budget.exhausted', 'budget.exhausted']);
    expect(Object.keys(audit[0]).slice(0, 3)).toEqual(['ts', 'seq', 'event']);
    expect(audit[0]).toMatchObject({ tool: 'network.search', hook_tool: 'WebSearch', calls_used: 1, budget: 2 });
    expect(audit[2]).toMatchObject({ event: 'budget.exhausted', tool: 'network.search', calls_used: 2, budget: 2 });
  });

  it('starts over after 4 hours, and survives a stale lock left by a dead process', async () => {
    const { createHash } = await import('node:crypto');
    const key = createHash('sha256').update('s-old').digest('hex');
    const dir = gateState(B).budget;
    mkdirSync(dir, { recursive: true });
    const old = new Date(Date.now() - 5 * 3600 * 1000).toISOString();
    writeFileSync(path.join(dir, `${key}.json`), JSON.stringify({ sessionId: 's-old', callsUsed: 99, lastUpdated: old }));
    writeFileSync(path.join(dir, `${key}.lock`), '999999999');
    const r = await gate(input('s-old', 'WebSearch'), ['--policy', 'policy.json'], B);
    expect(JSON.parse(r.stdout).hookSpecificOutput.permissionDecision).toBe('allow');
    const state = JSON.parse(readFileSync(path.join(dir, `${key}.json`), 'utf8'));
    expect(state).toMatchObject({ sessionId: 's-old', callsUsed: 1 });
    expect(existsSync(path.join(dir, `${key}.lock`))).toBe(false);
  });

  it('fails closed (exit 2) when the session lock stays held by a live process', async () => {
    const { createHash } = await import('node:crypto');
    const key = createHash('sha256').update('s-held').digest('hex');
    const dir = gateState(B).budget;
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${key}.lock`), String(process.pid));
    const t0 = Date.now();
    const r = await gate(input('s-held', 'WebSearch'), ['--policy', 'policy.json'], B);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^aex gate: could not lock .*: another process held it for 2 s/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    rmSync(path.join(dir, `${key}.lock`));
  });

  it('a budget record of another session blocks instead of starting over (docs/design.md#where-state-lives)', async () => {
    const { createHash } = await import('node:crypto');
    const key = createHash('sha256').update('s-swapped').digest('hex');
    const dir = gateState(B).budget;
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${key}.json`), JSON.stringify({ sessionId: 'someone-else', callsUsed: 0, lastUpdated: new Date().toISOString() }));
    const r = await gate(input('s-swapped', 'WebSearch'), ['--policy', 'policy.json'], B);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/does not belong to this session/);
  });

  it('a corrupt budget file blocks instead of resetting the count', async () => {
    const { createHash } = await import('node:crypto');
    const key = createHash('sha256').update('s-corrupt').digest('hex');
    const dir = gateState(B).budget;
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, `${key}.json`), '{not json');
    const r = await gate(input('s-corrupt', 'WebSearch'), ['--policy', 'policy.json'], B);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/corrupt budget state/);
  });
});
