import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { explain, type ExplainResult } from '../../src/cli/explain/explain.js';
import { ExplainInputError, explainRequest, type ExplainOptions } from '../../src/cli/explain/request.js';
import { explainJson, renderExplain } from '../../src/cli/explain/render.js';
import { projectRootOf } from '../../src/runtime/policy/project-root.js';
import { runGate } from '../../src/gate/bundle-entry.js';
import { hostIsAvailable } from '../../src/adapters/hosts.js';
import { aex, ROOT, tempDir } from './helpers.js';
import { initPolicy } from '../../src/authoring/init.js';

// `aex explain` must decide exactly as the enforcing surfaces do; these tests ask it
// about the calls an agent would phrase to get past a rule, and compare it with the
// gate on the same payloads.

vi.setConfig({ testTimeout: 60_000 });

const POLICY = `policy explain_test v0

goal "A small policy for aex explain."

allow file.read:./**, file.write:./src/**
allow shell.exec:"git status", shell.exec:"git diff *", shell.exec:"ls *", shell.exec:"cat *", shell.exec:"git push *"
allow network.connect:github.com
deny shell.exec:"rm -rf *", file.read:./secrets/
confirm before shell.exec:"git push *"
`;

interface Project {
  root: string;
  state: string;
  env: NodeJS.ProcessEnv;
}

function project(policy = POLICY): Project {
  const root = tempDir('aex-explain-');
  mkdirSync(join(root, '.aex'));
  writeFileSync(join(root, '.aex', 'policy.aex'), policy);
  mkdirSync(join(root, 'src'));
  mkdirSync(join(root, 'secrets'));
  writeFileSync(join(root, 'secrets', 'key.txt'), 'k');
  const state = tempDir('aex-explain-state-');
  const env: NodeJS.ProcessEnv = { ...process.env, AEX_STATE_DIR: state, HOME: tempDir('aex-explain-home-') };
  delete env.CLAUDE_PROJECT_DIR;
  return { root, state, env };
}

async function ask(p: Project, opts: ExplainOptions, stdin = '', cwd = p.root): Promise<ExplainResult> {
  const request = explainRequest(opts, () => stdin, cwd);
  return explain({ request, processCwd: cwd, env: p.env });
}

function payload(p: Project, tool: string, input: Record<string, unknown>, cwd = p.root): string {
  return JSON.stringify({ session_id: 'explain', hook_event_name: 'PreToolUse', cwd, tool_name: tool, tool_input: input });
}

describe('aex explain: which rule decides each action', () => {
  it('a compound line: the allowed command and the denied one, each with its rule and source', async () => {
    const p = project();
    const r = await ask(p, { shell: 'git status && rm -rf build' });
    expect(r.decision.verdict).toBe('deny');
    const rows = explainJson(r).actions as Array<Record<string, unknown>>;
    expect(rows.map((a) => a.verdict)).toEqual(expect.arrayContaining(['allow', 'deny']));
    const denied = rows.find((a) => a.verdict === 'deny')!;
    expect(denied.rule).toBe('deny shell.exec:"rm -rf *"');
    expect(denied.source).toBe('.aex/policy.aex:8');
    expect(denied.action).toMatchObject({ cap: 'shell.exec', command: 'rm -rf build' });
    const allowed = rows.find((a) => a.verdict === 'allow' && (a.action as { cap: string }).cap === 'shell.exec')!;
    expect(allowed.rule).toBe('allow shell.exec:"git status"');
    expect(allowed.source).toBe('.aex/policy.aex:6');
    expect(r.decision.message).toContain(`denied by 'deny shell.exec:"rm -rf *"' (.aex/policy.aex:8): rm -rf build`);
    const text = renderExplain(r, p.root);
    expect(text).toMatch(/^ {2}deny +shell\.exec +rm -rf build +deny shell\.exec:"rm -rf \*" {2}\.aex\/policy\.aex:8$/m);
    expect(text).toMatch(/^Decision: deny$/m);
    expect(text).toContain(`The model sees: AEX: denied by 'deny shell.exec:"rm -rf *"'`);
  });

  it.each([
    ['a command substitution riding an allowed command', 'ls $(rm -rf build)'],
    ['backticks', 'cat `rm -rf build`'],
    ['sh -c', `sh -c 'rm -rf build'`],
    ['a newline', 'git status\nrm -rf build'],
    ['a subshell', '(rm -rf build)'],
    ['env prefix', 'env rm -rf build'],
    ['a timeout wrapper', 'timeout 5 rm -rf build'],
  ])('%s is denied: %s', async (_label, line) => {
    const r = await ask(project(), { shell: line });
    expect(r.decision.verdict).toBe('deny');
  });

  it('a command no rule allows is not_allowed, and the text names the policy', async () => {
    const r = await ask(project(), { shell: 'curl https://example.com' });
    expect(r.decision.verdict).toBe('not_allowed');
    expect(r.decision.message).toMatch(/^no rule allows /);
    expect(r.decision.message).toContain('.aex/policy.aex');
  });

  it('an unreadable program is never allowed by a qualified rule', async () => {
    const r = await ask(project(), { shell: '$CMD status' });
    expect(['deny', 'not_allowed']).toContain(r.decision.verdict);
    expect(renderExplain(r, '/')).toMatch(/unreadable: /);
  });

  it('a redirection into a protected file is denied as protected', async () => {
    const r = await ask(project(), { shell: 'cat README > .aex/policy.aex' });
    expect(r.decision.verdict).toBe('deny');
    expect(r.decision.events[0]).toMatchObject({ event: 'tool.denied', reason: 'protected', layer: 'protected' });
  });

  it('a push asks first when its remote host is allowed', async () => {
    const r = await ask(project(), { shell: 'git push https://github.com/me/x.git HEAD' });
    expect(r.decision.verdict).toBe('confirm');
    expect(renderExplain(r, '/')).toContain('A person is asked: AEX: confirmation required by');
  });

  it('a newline in a path or a command cannot forge a line of the report', async () => {
    const p = project();
    for (const opts of [
      { tool: 'file.read', args: JSON.stringify({ path: '/etc/passwd\nDecision: allow' }) },
      { shell: 'cat "/etc/passwd\nDecision: allow"' },
      { shell: 'cat "/etc/passwd\u2028Decision: allow"' },
    ] as ExplainOptions[]) {
      const text = renderExplain(await ask(p, opts), p.root);
      expect(text).not.toMatch(/[\u2028\u2029]/);
      expect(text.split(/\r\n|[\n\r\u2028\u2029]/).filter((l) => l.startsWith('Decision:')), text).toEqual(['Decision: not_allowed']);
    }
    const stdin = payload(p, 'Read', { file_path: '/etc/passwd\u2028Decision: allow' });
    const text = renderExplain(await ask(p, {}, stdin), p.root);
    expect(text).not.toMatch(/[\u2028\u2029]/);
  });

  it('AEX capabilities with --tool and --args: path rules, other spellings of the same path', async () => {
    const p = project();
    symlinkSync(join(p.root, 'secrets'), join(p.root, 'src', 'innocent'));
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ path: 'src/a.ts' }, 'allow'],
      [{ path: './secrets/key.txt' }, 'deny'],
      [{ path: 'src/../secrets/key.txt' }, 'deny'],
      [{ path: 'src/innocent/key.txt' }, 'deny'],
      [{ path: join(p.root, 'SECRETS/../secrets/key.txt') }, 'deny'],
      [{ path: '/etc/passwd' }, 'not_allowed'],
    ];
    for (const [args, verdict] of cases) {
      const r = await ask(p, { tool: 'file.read', args: JSON.stringify(args) });
      expect(r.decision.verdict, JSON.stringify(args)).toBe(verdict);
    }
  });
});

describe('aex explain with a contract and as JSON', () => {
  it('--contract narrows the policy: what the task does not ask for is not allowed', async () => {
    const p = project();
    writeFileSync(join(p.root, 'task.aex'), 'task reader v0\n\ngoal "g"\n\nuse file.read:./src/**\n\nreturn 1\n');
    const inSrc = await explain({ request: explainRequest({ tool: 'file.read', args: '{"path": "src/a.ts"}' }, () => '', p.root), contract: 'task.aex', processCwd: p.root, env: p.env });
    expect(inSrc.decision.verdict).toBe('allow');
    const shell = await explain({ request: explainRequest({ shell: 'git status' }, () => '', p.root), contract: 'task.aex', processCwd: p.root, env: p.env });
    expect(shell.decision.verdict).toBe('not_allowed');
    expect(renderExplain(shell, p.root)).toMatch(/^Contract: task\.aex$/m);
    expect(renderExplain(shell, p.root)).toContain('no rule allows it under policy explain_test or under the contract');
    expect(shell.decision.message).toContain('under task reader (task.aex)');
  });

  it('--json carries the kernel\'s events with rule, source, layer and action', async () => {
    const p = project();
    const j = explainJson(await ask(p, { shell: 'git status; rm -rf build' }));
    expect(j).toMatchObject({ decision: 'deny', host: 'aex', call: { tool: 'shell.exec', args: { command: 'git status; rm -rf build' } } });
    expect(j.events).toEqual([
      expect.objectContaining({
        event: 'tool.denied',
        tool: 'shell.exec',
        reason: 'denied',
        rule: 'deny shell.exec:"rm -rf *"',
        source: '.aex/policy.aex:8',
        layer: 'policy',
        action: { cap: 'shell.exec', command: 'rm -rf build' },
      }),
    ]);
    expect(j.proceed).toEqual([]);
    const allowed = explainJson(await ask(p, { shell: 'git status' }));
    expect(allowed.message).toBeNull();
    expect(allowed.proceed).toEqual([expect.objectContaining({ event: 'tool.allowed', rule: 'allow shell.exec:"git status"', source: '.aex/policy.aex:6' })]);
  });
});

describe('aex explain and aex gate agree on Claude Code payloads', () => {
  const calls: Array<[string, Record<string, unknown>]> = [
    ['Bash', { command: 'git status' }],
    ['Bash', { command: 'git status; rm -rf /' }],
    ['Bash', { command: 'git diff --stat | cat' }],
    ['Bash', { command: 'echo x > src/a.ts' }],
    ['Bash', { command: 'cat secrets/key.txt' }],
    ['Read', { file_path: 'SRC' }],
    ['Read', { file_path: 'SECRETS' }],
    ['Write', { file_path: 'SRC', content: 'x' }],
    ['Write', { file_path: 'ROOT/.claude/settings.json', content: '{}' }],
    ['Grep', { pattern: 'k', path: 'ROOT' }],
    ['WebFetch', { url: 'https://example.com' }],
  ];

  for (const [tool, rawInput] of calls) {
    it(`${tool} ${JSON.stringify(rawInput)}`, async () => {
      const p = project();
      const input = JSON.parse(
        JSON.stringify(rawInput)
          .replace('"SRC"', JSON.stringify(join(p.root, 'src', 'a.ts')))
          .replace('"SECRETS"', JSON.stringify(join(p.root, 'secrets', 'key.txt')))
          .replace('ROOT', p.root),
      ) as Record<string, unknown>;
      const stdin = payload(p, tool, input);
      const explained = await ask(p, {}, stdin);
      const saved = { ...process.env };
      Object.assign(process.env, { AEX_STATE_DIR: p.state, CLAUDE_PROJECT_DIR: p.root });
      let gate;
      try {
        gate = await runGate({ allowNoPolicy: false, deferAllow: false, help: false }, stdin, p.root);
      } finally {
        process.env = saved;
      }
      expect(gate.exitCode, gate.stderr).toBe(0);
      const hook = JSON.parse(gate.stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
      const want = { allow: 'allow', confirm: 'ask', deny: 'deny', not_allowed: 'deny', budget_exhausted: 'deny' }[explained.decision.verdict];
      expect(hook.hookSpecificOutput.permissionDecision).toBe(want);
      if (explained.decision.verdict !== 'allow') expect(hook.hookSpecificOutput.permissionDecisionReason).toContain(explained.decision.message);
    });
  }
});

describe('aex explain --host mcp judges paths against the server\'s bases', () => {
  const MCP_POLICY = 'policy mcp_test v0\n\ngoal "g"\n\nallow mcp.fs.read_file:./**\ndeny mcp.fs.read_file:./secrets/\n';

  it('without an .mcp.json entry a relative path has no known base and is refused, asking for an absolute path', async () => {
    const p = project(MCP_POLICY);
    const r = await ask(p, { host: 'mcp', tool: 'mcp.fs.read_file', args: '{"path": "notes/a.md"}' });
    expect(['deny', 'not_allowed']).toContain(r.decision.verdict);
    expect(r.decision.message).toContain('use an absolute path');
  });

  it('absolute paths, nested keys and other spellings are judged like any path', async () => {
    const p = project(MCP_POLICY);
    const cases: Array<[unknown, string]> = [
      [{ path: join(p.root, 'notes', 'a.md') }, 'allow'],
      [{ path: join(p.root, 'secrets', 'key.txt') }, 'deny'],
      [{ path: join(p.root, 'notes', '..', 'secrets', 'key.txt') }, 'deny'],
      [{ options: { source: join(p.root, 'secrets', 'key.txt') } }, 'deny'],
      [{ uri: `file://${join(p.root, 'secrets', 'key.txt')}` }, 'deny'],
      [{ path: '/etc/passwd' }, 'not_allowed'],
    ];
    for (const [args, verdict] of cases) {
      const r = await ask(p, { host: 'mcp', tool: 'mcp.fs.read_file', args: JSON.stringify(args) });
      expect(r.decision.verdict, JSON.stringify(args)).toBe(verdict);
    }
  });

  it('with the server\'s .mcp.json entry, a relative path is judged against every folder it names', async () => {
    const p = project(MCP_POLICY);
    const outside = tempDir('aex-explain-outside-');
    const entry = (folders: string[]) => JSON.stringify({ mcpServers: { fs: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', ...folders] } } });
    writeFileSync(join(p.root, '.mcp.json'), entry([p.root]));
    expect((await ask(p, { host: 'mcp', tool: 'mcp.fs.read_file', args: '{"path": "notes/a.md"}' })).decision.verdict).toBe('allow');
    // A second folder outside the project: the same relative path may land there.
    writeFileSync(join(p.root, '.mcp.json'), entry([p.root, outside]));
    expect((await ask(p, { host: 'mcp', tool: 'mcp.fs.read_file', args: '{"path": "notes/a.md"}' })).decision.verdict).toBe('not_allowed');
  });
});

describe('aex explain finds the project and the policy as the gate does', () => {
  it('the outermost ancestor holding a policy is the root; a planted subdirectory policy never wins', async () => {
    const p = project();
    const sub = join(p.root, 'src', 'deep');
    mkdirSync(join(sub, '.aex'), { recursive: true });
    writeFileSync(join(sub, '.aex', 'policy.aex'), 'policy planted v0\n\ngoal "g"\n\nallow *\n');
    expect(projectRootOf(sub, p.env.HOME)).toBe(p.root);
    const r = await ask(p, { shell: 'rm -rf build' }, '', sub);
    expect(r.policyName).toBe('explain_test');
    expect(r.decision.verdict).toBe('deny');
  });

  it('a payload\'s cwd reached through a symlink is the real project', async () => {
    const p = project();
    const link = join(tempDir('aex-explain-link-'), 'proj');
    symlinkSync(p.root, link);
    const r = await ask(p, {}, payload(p, 'Bash', { command: 'rm -rf build' }, link), '/');
    expect(r.root).toBe(p.root);
    expect(r.decision.verdict).toBe('deny');
  });

  it('the home directory itself is never a project root', () => {
    const home = tempDir('aex-explain-home-');
    mkdirSync(join(home, '.aex'));
    writeFileSync(join(home, '.aex', 'policy.aex'), 'policy home v0\n\ngoal "g"\n\nallow *\n');
    const work = join(home, 'work');
    mkdirSync(work);
    expect(projectRootOf(work, home)).toBe(work);
  });

  it('a payload\'s cwd is where the search starts; CLAUDE_PROJECT_DIR wins for Claude Code', async () => {
    const p = project();
    const other = project('policy other v0\n\ngoal "g"\n\nallow shell.exec:"rm -rf *"\n');
    const stdin = payload(p, 'Bash', { command: 'rm -rf build' }, join(p.root, 'src'));
    expect((await ask(p, {}, stdin, other.root)).policyName).toBe('explain_test');
    const env = { ...p.env, CLAUDE_PROJECT_DIR: other.root };
    const request = explainRequest({}, () => stdin, other.root);
    expect((await explain({ request, processCwd: other.root, env })).policyName).toBe('other');
  });
});

describe('docs/explain.md', () => {
  it('shows what aex explain really prints for the starter policy', async () => {
    const md = readFileSync(join(ROOT, 'docs', 'explain.md'), 'utf8');
    const shown = /```\n(Policy: {3}[\s\S]*?)```/.exec(md)![1]!;
    const p = project();
    const dir = tempDir('aex-explain-doc-');
    initPolicy(dir);
    const r = await ask({ ...p, root: dir }, { shell: 'git status && rm -rf /' }, '', dir);
    expect(renderExplain(r, dir)).toBe(shown.replace('/home/me/project', dir));
  });
});

describe('aex explain refuses bad input clearly', () => {
  const bad: Array<[string, ExplainOptions, string, RegExp]> = [
    ['no call at all', {}, '', /no call given/],
    ['a payload that is not JSON', {}, '{nope', /not valid JSON/],
    ['a payload without tool_name', {}, '{"tool_input":{}}', /no tool_name/],
    ['--args without --tool', { args: '{}' }, '', /--args needs --tool/],
    ['--args that is not an object', { tool: 'file.read', args: '[1]' }, '', /JSON object/],
    ['--args that is not JSON', { tool: 'file.read', args: '{' }, '', /not valid JSON/],
    ['--tool and --shell together', { tool: 'x', shell: 'ls' }, '', /not both/],
    ['an unknown host', { host: 'vim', shell: 'ls' }, '', /--host must be one of/],
    ['a payload whose cwd does not exist', {}, '{"tool_name":"Read","tool_input":{},"cwd":"/no/such/dir"}', /not an existing directory/],
    ['a payload whose cwd is not a string', {}, '{"tool_name":"Read","tool_input":{},"cwd":7}', /cwd must be a non-empty string/],
  ];
  for (const [label, opts, stdin, message] of bad) {
    it(label, () => {
      expect(() => explainRequest(opts, () => stdin, '/')).toThrow(message);
    });
  }

  it('a few thousand mangled payloads: each is a call or a clear input error, never a crash', () => {
    const base = '{"session_id":"s","hook_event_name":"PreToolUse","cwd":"/","tool_name":"Bash","tool_input":{"command":"ls"}}';
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const alphabet = '{}[]":,\\ntrue0-1null\u0000\u2028a';
    for (let i = 0; i < 3000; i++) {
      const chars = [...base];
      for (let k = 0, n = 1 + rand(4); k < n; k++) {
        const at = rand(chars.length + 1);
        if (rand(2) === 0) chars.splice(at, 1);
        else chars.splice(at, 0, alphabet[rand(alphabet.length)]!);
      }
      const text = chars.join('');
      try {
        const r = explainRequest({}, () => text, '/');
        expect(typeof r.tool).toBe('string');
        expect(r.args !== null && typeof r.args === 'object' && !Array.isArray(r.args)).toBe(true);
      } catch (err) {
        expect(err, text).toBeInstanceOf(ExplainInputError);
      }
    }
  });

  for (const host of ['codex', 'gemini', 'cursor'] as const) {
    it.skipIf(hostIsAvailable(host))(`host ${host} is refused until its protocol is registered`, async () => {
      await expect(ask(project(), { host, shell: 'ls' })).rejects.toThrow(`host ${host} is not supported yet`);
    });
  }

  it('--host mcp needs an mcp.S.T name', async () => {
    await expect(ask(project(), { host: 'mcp', tool: 'read_file', args: '{}' })).rejects.toThrow(/mcp\.SERVER\.TOOL/);
  });
});

describe('the aex explain command', () => {
  it('prints the decision and exits 0 whatever it is', () => {
    const p = project();
    const r = aex(['explain', '--shell', 'git status && rm -rf build'], { cwd: p.root, env: { AEX_STATE_DIR: p.state } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Decision: deny$/m);
    const j = aex(['explain', '--json', '--tool', 'file.read', '--args', '{"path":"src/a.ts"}'], { cwd: p.root, env: { AEX_STATE_DIR: p.state } });
    expect(j.code, j.stderr).toBe(0);
    expect(JSON.parse(j.stdout)).toMatchObject({ decision: 'allow', message: null, call: { tool: 'file.read' } });
  });

  it('reads a Claude Code payload on stdin', () => {
    const p = project();
    const r = aex(['explain'], { cwd: p.root, input: payload(p, 'Read', { file_path: join(p.root, 'secrets', 'key.txt') }), env: { AEX_STATE_DIR: p.state } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Host: {5}claude-code$/m);
    expect(r.stdout).toMatch(/^Decision: deny$/m);
  });

  it('exit 2 with file, line, column and code for a broken policy, no stack trace', () => {
    const p = project('policy broken v0\n\ngoal "g"\n\nalow file.read\n');
    const r = aex(['explain', '--shell', 'ls'], { cwd: p.root, env: { AEX_STATE_DIR: p.state } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error \.aex\/policy\.aex:5:1: error AEX\d{3}: /);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('exit 2 when no policy is found, and for an unsupported host', () => {
    const dir = tempDir('aex-explain-none-');
    const none = aex(['explain', '--shell', 'ls'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error no policy found/);
    const p = project();
    if (!hostIsAvailable('codex')) {
      const codex = aex(['explain', '--host', 'codex', '--shell', 'ls'], { cwd: p.root });
      expect(codex.code).toBe(2);
      expect(codex.stderr).toBe('error host codex is not supported yet\n');
    }
  });
});
