import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateMessageRequestSchema, ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { aexInProcess } from '../helpers/in-process-cli.js';
import { connectInProcess, connectThroughProxy, type Connected } from './helpers.js';

// A real SDK client → `node bin/aex.js proxy` → a real SDK McpServer (tests/fixtures/mcp/server.mjs),
// all over stdio. Most cases run the proxy in this process (connectInProcess: the same command
// line, set-up and relay on a stream pair); the first case and the resume in a new proxy
// process spawn it (connectThroughProxy).
let P: string;
const POLICY = {
  allow: ['echo', 'file.*', 'executed', 'ask_user', 'sample', 'aex.*', 'resources.read', 'prompts.get'],
  deny: ['secrets.read', 'file.read:secret/**'],
  require_confirmation: ['file.write'],
  budget: { calls: 6 },
};

beforeAll(() => {
  P = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-proxy-')));
  writeFileSync(path.join(P, 'policy.json'), JSON.stringify(POLICY));
  writeFileSync(path.join(P, 'nometa.json'), JSON.stringify({ ...POLICY, deny: [...POLICY.deny, 'aex.checkpoint', 'aex_resume'] }));
  mkdirSync(path.join(P, 'tasks'));
  writeFileSync(
    path.join(P, 'tasks', 'fix.aex'),
    'task fix v0\ngoal "Fix the failing test."\nuse file.read, network.fetch\nneed p: str\ndo file.read(path=p) -> content\ncheck content\nreturn content\n',
  );
});
afterAll(() => rmSync(P, { recursive: true, force: true }));

const text = (r: unknown) => ((r as { content: Array<{ text: string }> }).content[0]!.text);

async function closeQuietly(c: Connected | undefined) {
  if (!c) return;
  await c.client.close().catch(() => {});
  // An in-process proxy has flushed its audit once it has exited, as a spawned one has when close returns.
  await c.exited;
}

describe('aex proxy with a real MCP client and server', () => {
  it('filters tools/list and appends the meta-tools', async () => {
    const c = await connectThroughProxy(P, ['--policy', 'policy.json']);
    try {
      const names = (await c.client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(['echo', 'file.read', 'file.write', 'ask_user', 'sample', 'executed', 'aex_checkpoint', 'aex_resume', 'aex_list_tasks', 'aex_review_task']);
      expect(c.stderr()).toContain('proxy Policy: policy.json');
      expect(c.stderr()).toContain('proxy Budget: 6 calls');
    } finally {
      await closeQuietly(c);
    }
  });

  it('forwards allowed calls, refuses denied ones as tool errors, and never lets a refused call reach the server', async () => {
    const c = await connectInProcess(P, ['--policy', 'policy.json', '--audit', 'audit-1.jsonl']);
    try {
      expect(text(await c.client.callTool({ name: 'echo', arguments: { text: 'hi' } }))).toBe('echo: hi');
      const denied = await c.client.callTool({ name: 'secrets.read', arguments: {} });
      expect(denied.isError).toBe(true);
      // Unlisted and denied: the deny rule is reported (deny before allow).
      expect(text(denied)).toBe("AEX: denied by 'deny secrets.read' (policy.json:1): secrets.read");
      const notAllowed = await c.client.callTool({ name: 'network.fetch', arguments: { url: 'http://127.0.0.1/' } });
      expect(text(notAllowed)).toBe('AEX: no rule allows network.fetch under policy policy (policy.json)');
      const pathDenied = await c.client.callTool({ name: 'file.read', arguments: { path: 'secret/key.txt' } });
      expect(text(pathDenied)).toBe("AEX: denied by 'deny file.read:secret/**' (policy.json:1): secret/key.txt");
      expect(text(await c.client.callTool({ name: 'file.read', arguments: { path: 'src/ok.ts' } }))).toBe('read src/ok.ts');
      expect(JSON.parse(text(await c.client.callTool({ name: 'executed', arguments: {} })))).toEqual(['echo', 'file.read']);
    } finally {
      await closeQuietly(c);
    }
    const audit = readFileSync(path.join(P, 'audit-1.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(audit.map((e) => e.seq)).toEqual(audit.map((_, i) => i + 1));
    const decisions = audit.filter((e) => e.event === 'tool.allowed' || e.event === 'tool.denied').map((e) => [e.event, e.tool, e.reason ?? null]);
    expect(decisions).toEqual([
      ['tool.allowed', 'echo', null],
      ['tool.denied', 'secrets.read', 'denied'],
      ['tool.denied', 'network.fetch', 'not_allowed'],
      ['tool.denied', 'file.read', 'denied'],
      ['tool.allowed', 'file.read', null],
      ['tool.allowed', 'executed', null],
    ]);
  });

  it('enforces the call budget; refusals consume nothing', async () => {
    const c = await connectInProcess(P, ['--policy', 'policy.json']);
    try {
      for (let i = 0; i < 3; i++) await c.client.callTool({ name: 'secrets.read', arguments: {} });
      for (let i = 0; i < 6; i++) expect(text(await c.client.callTool({ name: 'echo', arguments: { text: String(i) } }))).toBe(`echo: ${i}`);
      const over = await c.client.callTool({ name: 'echo', arguments: { text: 'x' } });
      expect(over.isError).toBe(true);
      expect(text(over)).toBe('AEX: call budget exhausted (6 calls) before echo');
    } finally {
      await closeQuietly(c);
    }
  });

  it('asks through elicitation when the client supports it: accept runs the call', async () => {
    const asked: string[] = [];
    const c = await connectInProcess(P, ['--policy', 'policy.json'], { elicitation: {} }, (client) =>
      client.setRequestHandler(ElicitRequestSchema, async (req) => {
        asked.push(req.params.message);
        return { action: 'accept', content: {} };
      }),
    );
    try {
      expect(text(await c.client.callTool({ name: 'file.write', arguments: { path: 'out.txt', content: 'x' } }))).toBe('wrote out.txt');
      expect(asked).toHaveLength(1);
      expect(asked[0]).toBe(`AEX: confirmation required by 'confirm before file.write' (policy.json:1): out.txt. Arguments: {"path":"out.txt","content":"x"}. Accept to allow this call, decline to refuse it.`);
    } finally {
      await closeQuietly(c);
    }
  });

  it('asks through elicitation: decline refuses and costs no budget', async () => {
    const c = await connectInProcess(P, ['--policy', 'policy.json', '--audit', 'audit-decline.jsonl'], { elicitation: {} }, (client) =>
      client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'decline' })),
    );
    try {
      for (let i = 0; i < 7; i++) {
        const r = await c.client.callTool({ name: 'file.write', arguments: { path: 'out.txt' } });
        expect(r.isError).toBe(true);
        expect(text(r)).toBe("AEX: confirmation required by 'confirm before file.write' (policy.json:1): out.txt; the user declined");
      }
      // 7 declined confirmations later the whole budget of 6 is still there.
      for (let i = 0; i < 6; i++) expect(text(await c.client.callTool({ name: 'echo', arguments: { text: 'x' } }))).toBe('echo: x');
      expect(text(await c.client.callTool({ name: 'echo', arguments: { text: 'x' } }))).toBe('AEX: call budget exhausted (6 calls) before echo');
    } finally {
      await closeQuietly(c);
    }
    const events = readFileSync(path.join(P, 'audit-decline.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).event);
    expect(events.filter((e) => e === 'confirm.denied')).toHaveLength(7);
  });

  it('without elicitation refuses confirm-gated calls unless --auto-confirm', async () => {
    const plain = await connectInProcess(P, ['--policy', 'policy.json']);
    try {
      const r = await plain.client.callTool({ name: 'file.write', arguments: { path: 'a.txt' } });
      expect(r.isError).toBe(true);
      // The refusal names the rule and never advises weakening AEX.
      expect(text(r)).toBe(
        "AEX: confirmation required by 'confirm before file.write' (policy.json:1): a.txt; this client cannot ask the user (it has no elicitation capability), so the call is refused",
      );
    } finally {
      await closeQuietly(plain);
    }
    const auto = await connectInProcess(P, ['--policy', 'policy.json', '--auto-confirm']);
    try {
      expect(text(await auto.client.callTool({ name: 'file.write', arguments: { path: 'a.txt' } }))).toBe('wrote a.txt');
    } finally {
      await closeQuietly(auto);
    }
  });

  it('checkpoint, then resume in a new proxy process; resume never lowers the budget used', async () => {
    const one = await connectInProcess(P, ['--policy', 'policy.json']);
    try {
      await one.client.callTool({ name: 'echo', arguments: { text: '1' } });
      await one.client.callTool({ name: 'echo', arguments: { text: '2' } });
      await one.client.callTool({ name: 'secrets.read', arguments: {} });
      const saved = JSON.parse(text(await one.client.callTool({ name: 'aex_checkpoint', arguments: { name: 'two-calls', description: 'after two echoes' } })));
      expect(saved).toEqual({ path: '.aex/checkpoints/two-calls/', message: 'Checkpoint "two-calls" saved to .aex/checkpoints/two-calls/' });
      const bad = one.client.callTool({ name: 'aex.checkpoint', arguments: { name: '../escape' } });
      await expect(bad).rejects.toThrow(/Meta-tool error: Invalid checkpoint name "\.\.\/escape"\./);
    } finally {
      await closeQuietly(one);
    }
    const cp = JSON.parse(readFileSync(path.join(P, '.aex', 'checkpoints', 'two-calls', 'checkpoint.json'), 'utf8'));
    expect(cp).toMatchObject({ name: 'two-calls', description: 'after two echoes', callsUsed: 2, budget: 6 });
    expect(cp.toolHistory.map((h: { tool: string; decision: string }) => `${h.tool}:${h.decision}`)).toEqual(['echo:forward', 'echo:forward', 'secrets.read:block']);
    expect(readFileSync(path.join(P, '.aex', 'checkpoints', 'two-calls', 'audit.jsonl'), 'utf8')).toContain('"event":"tool.denied"');

    const two = await connectThroughProxy(P, ['--policy', 'policy.json']);
    try {
      const resumed = JSON.parse(text(await two.client.callTool({ name: 'aex_resume', arguments: { name: 'two-calls' } })));
      expect(resumed).toMatchObject({ name: 'two-calls', description: 'after two echoes', toolsCalled: ['echo', 'secrets.read'], callsUsed: 2, budgetRemaining: 4 });
      expect(Array.isArray(resumed.auditSummary)).toBe(true);
      for (let i = 0; i < 4; i++) expect(text(await two.client.callTool({ name: 'echo', arguments: { text: 'x' } }))).toBe('echo: x');
      expect(text(await two.client.callTool({ name: 'echo', arguments: { text: 'x' } }))).toBe('AEX: call budget exhausted (6 calls) before echo');
      // Resuming the 2-call checkpoint again cannot give the spent calls back.
      const again = JSON.parse(text(await two.client.callTool({ name: 'aex.resume', arguments: { name: 'two-calls' } })));
      expect(again.callsUsed).toBe(6);
      expect(again.budgetRemaining).toBe(0);
      expect(text(await two.client.callTool({ name: 'echo', arguments: { text: 'x' } }))).toBe('AEX: call budget exhausted (6 calls) before echo');
      await expect(two.client.callTool({ name: 'aex_resume', arguments: { name: 'nope' } })).rejects.toThrow(/Meta-tool error: Checkpoint "nope" not found at /);
    } finally {
      await closeQuietly(two);
    }

    // A different budget is refused unless force is true.
    writeFileSync(path.join(P, 'bigger.json'), JSON.stringify({ ...POLICY, budget: { calls: 50 } }));
    const three = await connectInProcess(P, ['--policy', 'bigger.json']);
    try {
      await expect(three.client.callTool({ name: 'aex_resume', arguments: { name: 'two-calls' } })).rejects.toThrow(/budget of 6 calls but the current budget is 50/);
      const forced = JSON.parse(text(await three.client.callTool({ name: 'aex_resume', arguments: { name: 'two-calls', force: true } })));
      expect(forced).toMatchObject({ callsUsed: 2, budgetRemaining: 48 });
    } finally {
      await closeQuietly(three);
    }
  });

  it('meta-tools obey deny rules on aex.* (either spelling)', async () => {
    const c = await connectInProcess(P, ['--policy', 'nometa.json']);
    try {
      const names = (await c.client.listTools()).tools.map((t) => t.name);
      expect(names).not.toContain('aex_checkpoint');
      expect(names).not.toContain('aex_resume');
      expect(names).toContain('aex_list_tasks');
      const r = await c.client.callTool({ name: 'aex_checkpoint', arguments: { name: 'x' } });
      expect(r.isError).toBe(true);
      expect(text(r)).toBe("AEX: denied by 'deny aex.checkpoint' (nometa.json:1): aex.checkpoint");
      const r2 = await c.client.callTool({ name: 'aex.resume', arguments: { name: 'x' } });
      expect(text(r2)).toBe("AEX: denied by 'deny aex_resume' (nometa.json:1): aex.resume");
    } finally {
      await closeQuietly(c);
    }
  });

  it('list_tasks and review_task stay inside the working directory', async () => {
    const c = await connectInProcess(P, ['--policy', 'policy.json']);
    try {
      const listed = JSON.parse(text(await c.client.callTool({ name: 'aex_list_tasks', arguments: {} })));
      const task = listed.tasks.find((t: { type: string }) => t.type === 'task');
      expect(task).toEqual({ name: 'fix', path: 'tasks/fix.aex', type: 'task', goal: 'Fix the failing test.', tools: ['file.read', 'network.fetch'] });
      for (const t of listed.tasks) expect(path.isAbsolute(t.path)).toBe(false);
      const review = JSON.parse(text(await c.client.callTool({ name: 'aex_review_task', arguments: { task: 'tasks/fix.aex' } })));
      expect(review).toMatchObject({
        task: 'tasks/fix.aex',
        goal: 'Fix the failing test.',
        requested: ['file.read', 'network.fetch'],
        effective: { allow: ['file.read'], budget: 6 },
        checks: ['content'],
        valid: true,
        runsUnderPolicy: false,
      });
      // The same review as `aex review` (src/authoring/review.ts): its warnings, word for word.
      expect(review.warnings).toContain('Tool "network.fetch" requested by task but not in policy allow list.');
      await expect(c.client.callTool({ name: 'aex_review_task', arguments: { task: '/etc/passwd' } })).rejects.toThrow(
        /Meta-tool error: Task "\/etc\/passwd" must be an \.aex file inside the working directory\./,
      );
      await expect(c.client.callTool({ name: 'aex_review_task', arguments: { task: '../../etc/hostname' } })).rejects.toThrow(/inside the working directory/);
    } finally {
      await closeQuietly(c);
    }
  });

  it('passes resources, prompts, and server-initiated elicitation and sampling through untouched', async () => {
    const c = await connectInProcess(P, ['--policy', 'policy.json'], { elicitation: {}, sampling: {} }, (client) => {
      client.setRequestHandler(ElicitRequestSchema, async (req) => {
        expect(req.params.message).toBe('Favourite colour?');
        return { action: 'accept', content: { colour: 'teal' } };
      });
      client.setRequestHandler(CreateMessageRequestSchema, async () => ({ role: 'assistant', content: { type: 'text', text: 'hello back' }, model: 'fake' }));
    });
    try {
      const resources = await c.client.listResources();
      expect(resources.resources.map((r) => r.uri)).toEqual(['fixture://hello']);
      expect((await c.client.readResource({ uri: 'fixture://hello' })).contents).toEqual([{ uri: 'fixture://hello', text: 'hello from the fixture' }]);
      expect((await c.client.readResource({ uri: 'fixture://items/7' })).contents).toEqual([{ uri: 'fixture://items/7', text: 'item 7' }]);
      const templates = await c.client.listResourceTemplates();
      expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toEqual(['fixture://items/{id}']);
      expect((await c.client.listPrompts()).prompts.map((p) => p.name)).toEqual(['greet']);
      const prompt = await c.client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } });
      expect(prompt.messages[0]!.content).toEqual({ type: 'text', text: 'Say hello to Ada.' });
      await c.client.setLoggingLevel('info');
      expect(await c.client.ping()).toEqual({});
      expect(text(await c.client.callTool({ name: 'ask_user', arguments: {} }))).toBe('user said accept teal');
      expect(text(await c.client.callTool({ name: 'sample', arguments: {} }))).toBe('model said hello back');
    } finally {
      await closeQuietly(c);
    }
  });
});

describe('aex proxy gates resources/read and prompts/get', () => {
  it('they are the capabilities mcp.S.resources.read and mcp.S.prompts.get; a refusal is a JSON-RPC error', async () => {
    writeFileSync(path.join(P, 'reads.aex'), 'policy reads v1\ngoal "Resources only from fixture://hello."\nallow mcp.fx.resources.read where uri == "fixture://hello", mcp.fx.echo\n');
    const c = await connectInProcess(P, ['--policy', 'reads.aex', '--name', 'fx']);
    try {
      expect((await c.client.readResource({ uri: 'fixture://hello' })).contents).toEqual([{ uri: 'fixture://hello', text: 'hello from the fixture' }]);
      await expect(c.client.readResource({ uri: 'fixture://items/7' })).rejects.toThrow(/AEX: no rule allows mcp\.fx\.resources\.read/);
      await expect(c.client.getPrompt({ name: 'greet', arguments: { name: 'Ada' } })).rejects.toThrow(/AEX: no rule allows mcp\.fx\.prompts\.get/);
      // Lists are filtered like calls: a prompt no rule allows is not shown, nor is a resource.
      expect((await c.client.listPrompts()).prompts.map((p) => p.name)).toEqual([]);
      expect((await c.client.listResources()).resources.map((r) => r.uri)).toEqual(['fixture://hello']);
    } finally {
      await closeQuietly(c);
    }
  });
});

describe('aex proxy start-up errors (exit 1, nothing spawned)', () => {
  it('refuses a missing upstream, an unknown option, a missing or invalid policy', async () => {
    const { spawnSync } = await import('node:child_process');
    const { BIN } = await import('./helpers.js');
    const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'proxy', ...args], { cwd: P, encoding: 'utf8', timeout: 20_000 });
    // The same command lines in-process (tests/helpers/in-process-cli.ts), named as spawnSync names the exit code.
    const here = async (args: string[]) => {
      const r = await aexInProcess(['proxy', ...args], { cwd: P });
      return { status: r.code, stderr: r.stderr };
    };
    const marker = path.join(P, 'spawned.txt');
    const upstream = ['--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x')`];

    const noUpstream = run(['--policy', 'policy.json']);
    expect(noUpstream.status).toBe(1);
    expect(noUpstream.stderr).toBe('error No upstream command. Use: aex proxy [options] -- <command> [args...]\n');

    const typo = await here(['--polcy', 'policy.json', ...upstream]);
    expect(typo.status).toBe(1);
    expect(typo.stderr).toMatch(/^error Unknown option `--polcy`/);

    const stray = await here(['node', 'server.mjs']);
    expect(stray.status).toBe(1);
    expect(stray.stderr).toMatch(/^error unexpected argument "node" before "--"/);

    const noPolicy = await here(upstream);
    expect(noPolicy.status).toBe(1);
    expect(noPolicy.stderr).toBe('error No policy found. Use --policy or create .aex/policy.aex\n');

    writeFileSync(path.join(P, 'broken.json'), '{"allow": ["echo"], "alow": []}');
    const invalid = run(['--policy', 'broken.json', ...upstream]);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toMatch(/^error .*broken\.json\S*: policy file failed validation/);

    expect(existsSync(marker)).toBe(false);
  });
});

describe('aex proxy with a discovered .aex policy and a --contract', () => {
  let Q: string;
  beforeAll(() => {
    Q = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-proxy-aex-')));
    mkdirSync(path.join(Q, '.aex'));
    writeFileSync(path.join(Q, '.aex', 'policy.aex'), 'policy tools v0\ngoal "Fixture tools."\nallow echo, file.*\ndeny secrets.read\nbudget calls=5\n');
    writeFileSync(path.join(Q, 'echo-only.aex'), 'task echo_only v0\ngoal "Echo once."\nuse echo\nneed t: str\ndo echo(text=t) -> out\nreturn out\n');
  });
  afterAll(() => rmSync(Q, { recursive: true, force: true }));

  it('discovers .aex/policy.aex in its cwd and narrows it with the contract', async () => {
    const c = await connectInProcess(Q, ['--contract', 'echo-only.aex']);
    try {
      expect((await c.client.listTools()).tools.map((t) => t.name).filter((n) => !n.startsWith('aex_'))).toEqual(['echo']);
      expect(text(await c.client.callTool({ name: 'echo', arguments: { text: 'a' } }))).toBe('echo: a');
      expect(text(await c.client.callTool({ name: 'file.read', arguments: { path: 'x' } }))).toBe('AEX: no rule allows file.read "x" under task echo_only (echo-only.aex)');
      expect(c.stderr()).toContain('proxy Policy: .aex/policy.aex');
      expect(c.stderr()).toContain('proxy Contract: echo-only.aex');
      expect(c.stderr()).toContain('proxy Allow: echo');
    } finally {
      await closeQuietly(c);
    }
  });
});
