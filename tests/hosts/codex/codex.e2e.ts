// The real Codex CLI (`codex exec`) in a scratch project made by `aex init --policy --codex`,
// against a scripted Responses API on loopback. Each session replays a list of tool calls;
// the assertions read what Codex sent back to the "model" (AEX's reason arrives there) and
// what happened on disk or at the MCP server.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inOrder, startResponsesServer, type ScriptedTurn, type ToolOutput } from '../shared/openai-responses-server.js';
import { parentAndChild } from '../shared/scripted-http.js';
import { codexLauncher, runCodex, type CodexRun } from './harness.js';
import { auditFiles, auditLines, auditText, describeWithoutAexOnPath, itJudgesShellCalls } from '../shared/cases.js';
import { RECORDING_SERVER, makeScratch, type Scratch } from './scratch.js';

const launcher = codexLauncher();

const exec = (cmd: string): ScriptedTurn => ({ calls: [{ name: 'exec_command', arguments: { cmd } }] });
const patch = (body: string): ScriptedTurn => ({ calls: [{ name: 'apply_patch', input: `*** Begin Patch\n${body}*** End Patch\n` }] });
const mcp = (name: string, args: Record<string, unknown>): ScriptedTurn => ({ calls: [{ name, namespace: 'mcp__box', arguments: args }] });

const BLOCKED = /blocked by PreToolUse hook: AEX: denied/;

interface Session {
  scratch: Scratch;
  run: CodexRun;
  outputs: ToolOutput[];
  offered: unknown[];
}

/** Plays `turns` in one `codex exec` and returns the tool outputs, one per turn, in order. */
async function session(scratch: Scratch, turns: ScriptedTurn[], pathOverride?: string): Promise<Session> {
  const server = await startResponsesServer(inOrder(turns));
  try {
    const run = await runCodex(launcher!, { project: scratch.project, home: scratch.home, baseUrl: server.baseUrl, path: pathOverride, env: scratch.env });
    const outputs = server.toolOutputs();
    const offered = (server.requests.find((r) => Array.isArray(r.body?.tools))?.body?.tools ?? []) as unknown[];
    if (outputs.length !== turns.length) throw new Error(`codex answered ${outputs.length} of ${turns.length} tool calls (exit ${run.exitCode})\n${run.stdout}\n${run.stderr}`);
    return { scratch, run, outputs, offered };
  } finally {
    await server.close();
  }
}

describe.skipIf(launcher === undefined)('Codex CLI end to end', () => {
  const scratches: Scratch[] = [];
  afterAll(() => scratches.forEach((s) => s.remove()));

  describe('shell and patches', () => {
    let s: Session;
    const turns: [string, ScriptedTurn][] = [
      ['denied', exec('sudo id')],
      ['allowed', exec('echo hi > allowed.txt')],
      ['compound &&', exec('echo one > compound.txt && sudo id')],
      ['compound pipe', exec('echo x | sudo tee piped.txt')],
      ['command substitution', exec('echo "$(sudo id)" > substituted.txt')],
      ['nested shell', exec(`bash -c 'sudo id'`)],
      ['patch to the policy', patch('*** Update File: .aex/policy.aex\n@@\n-budget calls=1000\n+allow *\n')],
      ['patch to ./.aex/policy.aex', patch('*** Update File: ./.aex/policy.aex\n@@\n-budget calls=1000\n+allow *\n')],
      ['shell append to the policy', exec(`echo 'allow *' >> .aex/policy.aex`)],
      ['patch deleting the hooks file', patch('*** Delete File: .codex/hooks.json\n')],
      ['allowed patch', patch('*** Add File: notes.txt\n+written by a patch\n')],
    ];
    const out = (label: string) => s.outputs[turns.findIndex(([l]) => l === label)]!;

    beforeAll(async () => {
      const scratch = makeScratch({ host: 'codex' });
      scratches.push(scratch);
      s = await session(scratch, turns.map(([, t]) => t));
    });

    itJudgesShellCalls({ output: out, project: () => s.scratch.project, blocked: BLOCKED });

    it('keeps the policy and the hooks file out of reach, whatever the spelling', () => {
      for (const label of ['patch to the policy', 'patch to ./.aex/policy.aex', 'shell append to the policy', 'patch deleting the hooks file']) {
        expect(out(label).text, label).toMatch(BLOCKED);
        expect(out(label).text, label).toMatch(/protected/);
      }
      const policy = readFileSync(path.join(s.scratch.project, '.aex', 'policy.aex'), 'utf8');
      expect(policy).toContain('budget calls=1000');
      expect(policy).not.toMatch(/^allow \*$/m);
      expect(existsSync(path.join(s.scratch.project, '.codex', 'hooks.json'))).toBe(true);
    });

    it('applies an allowed patch', () => {
      expect(out('allowed patch').text).not.toMatch(/blocked/);
      expect(readFileSync(path.join(s.scratch.project, 'notes.txt'), 'utf8')).toBe('written by a patch\n');
    });

    it('records the calls in the gate audit under host codex', () => {
      const audit = auditText(s.scratch);
      expect(audit).toContain('"host":"codex"');
      expect(audit).toContain('sudo id');
    });
  });

  describe('MCP tools behind aex proxy', () => {
    let s: Session;
    let readme: string;
    let secret: string;
    let serverLog: string;
    const labels = ['allowed', 'denied by where', 'denied by name'] as const;
    const out = (label: (typeof labels)[number]) => s.outputs[labels.indexOf(label)]!;

    beforeAll(async () => {
      const scratch = makeScratch({
        host: 'codex',
        policyLines: ['allow mcp.box.read_file', 'deny mcp.box.run', 'deny mcp.box.read_file where path has ".env"'],
        mcpConfig: (p) => {
          serverLog = path.join(p, '..', 'mcp-calls.log');
          const args = [RECORDING_SERVER, serverLog].map((a) => JSON.stringify(a)).join(', ');
          writeFileSync(path.join(p, '.codex', 'config.toml'), `[mcp_servers.box]\ncommand = ${JSON.stringify(process.execPath)}\nargs = [${args}]\n`);
        },
      });
      scratches.push(scratch);
      readme = path.join(scratch.project, 'README.md');
      secret = path.join(scratch.project, '.env');
      s = await session(scratch, [
        mcp('read_file', { path: readme }),
        mcp('read_file', { path: secret }),
        mcp('run', { command: 'id' }),
      ]);
    });

    it('runs the server behind aex proxy (aex init --mcp wrapped it)', () => {
      const config = readFileSync(path.join(s.scratch.project, '.codex', 'config.toml'), 'utf8');
      expect(config).toMatch(/"proxy", "--name", "box"/);
    });

    it('runs an allowed MCP tool', () => {
      expect(out('allowed').text).toContain(`read ${readme}`);
    });

    it('blocks an MCP call by its mcp.S.T rule at the hook, with AEX\'s reason', () => {
      expect(out('denied by where').text).toMatch(/blocked by PreToolUse hook: AEX: denied/);
      expect(out('denied by where').text).toContain('mcp.box.read_file');
    });

    it('hides a tool denied by its mcp.S.T name, and a call to it never reaches the server', () => {
      const box = s.offered.find((t) => (t as { name?: string }).name === 'mcp__box') as { tools: { name: string }[] } | undefined;
      const names = (box?.tools ?? []).map((t) => t.name);
      expect(names).toContain('read_file');
      expect(names).not.toContain('run');
      expect(out('denied by name').text).not.toContain('ran id');
      expect(readFileSync(serverLog, 'utf8')).toBe(`read_file ${readme}\n`);
    });
  });

  // Codex 0.171 starts sub-agents with `spawn_agent` when `[features] multi_agent` is on (its
  // v1 tools, in the `multi_agent_v1` namespace). A sub-agent's calls reach the hook with the
  // parent's session_id and the sub-agent's own agent_id, so they spend the parent's budget.
  describe('a sub-agent', () => {
    const BUDGET = 4;
    const PARENT_PROMPT = 'Do the scripted steps.';
    const TASK = 'SUBAGENT TASK: run the three scripted commands.';
    let scratch: Scratch;
    let outputs: ToolOutput[];
    let run: CodexRun;
    const outputOf = (file: string) => outputs.find((o) => o.input.includes(file));

    beforeAll(async () => {
      scratch = makeScratch({ host: 'codex', policyEdit: (t) => t.replace(/budget calls=\d+/, `budget calls=${BUDGET}`) });
      scratches.push(scratch);
      // The parent waits for the sub-agent by the id spawn_agent answered with.
      const spawnedId = (body: Record<string, unknown>) => /\\?"agent_id\\?":\\?"([^"\\]+)/.exec(JSON.stringify(body.input))?.[1] ?? 'unknown';
      const server = await startResponsesServer(
        parentAndChild<ScriptedTurn>({
          parentPrompt: PARENT_PROMPT,
          marker: TASK,
          parent: [
            exec('echo parent > parent.txt'),
            { calls: [{ name: 'spawn_agent', namespace: 'multi_agent_v1', arguments: { message: TASK } }] },
            (body) => ({ calls: [{ name: 'wait_agent', namespace: 'multi_agent_v1', arguments: { targets: [spawnedId(body)], timeout_ms: 60_000 } }] }),
          ],
          child: [exec('echo one > one.txt'), exec('echo two > two.txt'), exec('echo three > three.txt'), { text: 'sub-agent done' }],
        }),
      );
      try {
        run = await runCodex(launcher!, { project: scratch.project, home: scratch.home, baseUrl: server.baseUrl, env: scratch.env, prompt: PARENT_PROMPT, features: { multi_agent: true } });
        outputs = server.toolOutputs();
      } finally {
        await server.close();
      }
    });

    it('refuses the sub-agent\'s call over the budget, and AEX\'s budget reason reaches its model', () => {
      const over = outputOf('three.txt');
      expect(over?.text, `${run.stdout}\n${run.stderr}`).toMatch(/blocked by PreToolUse hook: AEX: .*budget exhausted \(4 calls\)/);
      expect(existsSync(path.join(scratch.project, 'three.txt'))).toBe(false);
      expect(readFileSync(path.join(scratch.project, 'one.txt'), 'utf8')).toBe('one\n');
    });

    it('charged the sub-agent\'s calls to the parent session (one session, the sub-agent named by agent_id)', () => {
      // `codex exec --json` names the session first: {"type":"thread.started","thread_id":…}.
      const session = /"thread_id":"([^"]+)"/.exec(run.stdout)?.[1];
      expect(session).toBeDefined();
      expect(auditFiles(scratch).map((f) => path.basename(f))).toEqual([`gate-${session}.jsonl`]);
      const lines = auditLines(scratch);
      expect(lines.filter((l) => l.event === 'tool.allowed').length).toBe(BUDGET);
      const child = lines.filter((l) => typeof l.agent_id === 'string' && l.agent_id !== session);
      expect(child.some((l) => l.event === 'tool.allowed' && l.agent_type === 'default')).toBe(true);
      expect(child.some((l) => l.event !== 'tool.allowed')).toBe(true);
      expect(lines.some((l) => l.hook_tool === 'spawn_agent' && l.event === 'tool.allowed')).toBe(true);
    });
  });

  describeWithoutAexOnPath({
    host: 'codex',
    shell: exec,
    play: async (scratch, turns, pathOverride) => (await session(scratch, turns, pathOverride)).outputs.map((o) => o.text),
    blocked: BLOCKED,
    scratches,
  });
});
