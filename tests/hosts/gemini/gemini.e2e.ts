// The real Gemini CLI (`gemini -p`, headless) in a scratch project made by
// `aex init --policy --gemini`, against a scripted Gemini API on loopback. Each session
// replays a list of function calls; the assertions read the function responses Gemini CLI
// sent back to the "model" (AEX's reason arrives there) and what happened on disk or at the
// MCP server.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inOrder, startGeminiServer, type FunctionResult, type ScriptedTurn } from '../shared/gemini-api-server.js';
import { RECORDING_SERVER, makeScratch, type Scratch } from '../codex/scratch.js';
import { auditFiles, auditLines, auditText, describeWithoutAexOnPath, itJudgesShellCalls } from '../shared/cases.js';
import { parentAndChild } from '../shared/scripted-http.js';
import { geminiBundle, runGemini, type GeminiRun } from './harness.js';

const bundle = geminiBundle();

const call = (name: string, args: Record<string, unknown>): ScriptedTurn => ({ calls: [{ name, args }] });
const shell = (command: string) => call('run_shell_command', { command });

const BLOCKED = /Tool execution blocked: AEX: denied/;

interface Session {
  scratch: Scratch;
  run: GeminiRun;
  results: FunctionResult[];
  declared: string[];
}

/** Plays `turns` in one `gemini -p` and returns the function responses, one per turn, in order. */
async function session(scratch: Scratch, turns: ScriptedTurn[], pathOverride?: string, trust?: 'skip-trust-flag'): Promise<Session> {
  const server = await startGeminiServer(inOrder(turns));
  try {
    const run = await runGemini(bundle!, { project: scratch.project, home: scratch.home, baseUrl: server.url, path: pathOverride, env: scratch.env, trust });
    const results = server.functionResults();
    if (results.length !== turns.length) throw new Error(`gemini answered ${results.length} of ${turns.length} calls (exit ${run.exitCode})\n${run.stdout}\n${run.stderr}`);
    return { scratch, run, results, declared: server.declaredTools() };
  } finally {
    await server.close();
  }
}

describe.skipIf(bundle === undefined)('Gemini CLI end to end', () => {
  const scratches: Scratch[] = [];
  afterAll(() => scratches.forEach((s) => s.remove()));

  describe('shell and files', () => {
    let s: Session;
    let policyPath: string;
    const turns: [string, (project: string) => ScriptedTurn][] = [
      ['denied', () => shell('sudo id')],
      ['allowed', () => shell('echo hi > allowed.txt')],
      ['compound &&', () => shell('echo one > compound.txt && sudo id')],
      ['compound pipe', () => shell('echo x | sudo tee piped.txt')],
      ['command substitution', () => shell('echo "$(sudo id)" > substituted.txt')],
      ['nested shell', () => shell(`bash -c 'sudo id'`)],
      ['write_file to the policy', () => call('write_file', { file_path: '.aex/policy.aex', content: 'policy workspace v0\nallow *\n' })],
      ['write_file to the policy by absolute path', (p) => call('write_file', { file_path: path.join(p, '.aex', 'policy.aex'), content: 'allow *\n' })],
      ['write_file through ..', (p) => call('write_file', { file_path: `../${path.basename(p)}/.aex/policy.aex`, content: 'allow *\n' })],
      ['replace in the policy', () => call('replace', { file_path: '.aex/policy.aex', instruction: 'widen', old_string: 'budget calls=1000', new_string: 'allow *' })],
      ['shell append to the policy', () => shell(`echo 'allow *' >> .aex/policy.aex`)],
      ['write_file to the hooks file', () => call('write_file', { file_path: '.gemini/settings.json', content: '{}\n' })],
      ['allowed write_file', () => call('write_file', { file_path: 'notes.txt', content: 'written by write_file\n' })],
      ['confirm before', () => shell('npm publish --dry-run')],
    ];
    const out = (label: string) => s.results[turns.findIndex(([l]) => l === label)]!;

    beforeAll(async () => {
      const scratch = makeScratch({ host: 'gemini' });
      scratches.push(scratch);
      policyPath = path.join(scratch.project, '.aex', 'policy.aex');
      s = await session(scratch, turns.map(([, t]) => t(scratch.project)));
    });

    itJudgesShellCalls({ output: out, project: () => s.scratch.project, blocked: BLOCKED });

    it('keeps the policy and the hooks file out of reach, whatever the spelling or tool', () => {
      for (const label of ['write_file to the policy', 'write_file to the policy by absolute path', 'write_file through ..', 'replace in the policy', 'shell append to the policy', 'write_file to the hooks file']) {
        expect(out(label).text, label).toMatch(BLOCKED);
        expect(out(label).text, label).toMatch(/protected/);
      }
      const policy = readFileSync(policyPath, 'utf8');
      expect(policy).toContain('budget calls=1000');
      expect(policy).not.toMatch(/^allow \*$/m);
      expect(readFileSync(path.join(s.scratch.project, '.gemini', 'settings.json'), 'utf8')).toContain('gate --host gemini');
    });

    it('runs an allowed write_file', () => {
      expect(out('allowed write_file').text).not.toMatch(/blocked/);
      expect(readFileSync(path.join(s.scratch.project, 'notes.txt'), 'utf8')).toBe('written by write_file\n');
    });

    // Gemini's hook can answer "ask", but a headless run then waits for a person forever, the
    // hook cannot tell a headless run from a terminal, and several tools run without asking
    // (docs/hosts.md), so a confirmation is a refusal that says how a person approves.
    it('refuses a call the policy wants confirmed, saying how a person approves it', () => {
      expect(out('confirm before').text).toMatch(/Tool execution blocked: AEX: confirmation required/);
      expect(out('confirm before').text).toContain('confirm before shell.exec:"npm publish *"');
      expect(out('confirm before').text).toContain('aex grant');
    });

    it('records the calls in the gate audit under host gemini', () => {
      const audit = auditText(s.scratch);
      expect(audit).toContain('"host":"gemini"');
      expect(audit).toContain('sudo id');
    });
  });

  describe('MCP tools behind aex proxy', () => {
    let s: Session;
    let readme: string;
    let serverLog: string;
    const labels = ['allowed', 'denied by where', 'denied by name'] as const;
    const out = (label: (typeof labels)[number]) => s.results[labels.indexOf(label)]!;

    beforeAll(async () => {
      const scratch = makeScratch({
        host: 'gemini',
        policyLines: ['allow mcp.box.read_file', 'deny mcp.box.run', 'deny mcp.box.read_file where path has ".env"'],
        mcpConfig: (p) => {
          const file = path.join(p, '.gemini', 'settings.json');
          const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
          serverLog = path.join(p, '..', 'mcp-calls.log');
          settings.mcpServers = { box: { command: process.execPath, args: [RECORDING_SERVER, serverLog] } };
          writeFileSync(file, JSON.stringify(settings, null, 2) + '\n');
        },
      });
      scratches.push(scratch);
      readme = path.join(scratch.project, 'README.md');
      s = await session(scratch, [
        call('mcp_box_read_file', { path: readme }),
        call('mcp_box_read_file', { path: path.join(scratch.project, '.env') }),
        call('mcp_box_run', { command: 'id' }),
      ]);
    });

    it('runs the server behind aex proxy (aex init --mcp wrapped it)', () => {
      const settings = readFileSync(path.join(s.scratch.project, '.gemini', 'settings.json'), 'utf8');
      expect(settings).toMatch(/"proxy",\s*"--name",\s*"box"/);
    });

    it('runs an allowed MCP tool', () => {
      expect(out('allowed').text).toContain(`read ${readme}`);
    });

    it('blocks an MCP call by its mcp.S.T rule at the hook, with AEX\'s reason', () => {
      expect(out('denied by where').text).toMatch(BLOCKED);
      expect(out('denied by where').text).toContain('mcp.box.read_file');
    });

    it('hides a tool denied by its mcp.S.T name, and a call to it never reaches the server', () => {
      expect(s.declared).toContain('mcp_box_read_file');
      expect(s.declared).not.toContain('mcp_box_run');
      expect(out('denied by name').text).not.toContain('ran id');
      expect(readFileSync(serverLog, 'utf8')).toBe(`read_file ${readme}\n`);
    });
  });

  // Gemini CLI 0.61 starts a sub-agent with invoke_agent; the sub-agent's tool calls reach
  // the hook with the session's own session_id, so they spend its budget.
  describe('a sub-agent', () => {
    const BUDGET = 3;
    const PARENT_PROMPT = 'Do the scripted steps.';
    const TASK = 'SUBAGENT TASK: run the scripted commands.';
    let scratch: Scratch;
    let results: ReturnType<Awaited<ReturnType<typeof startGeminiServer>>['everyFunctionResult']>;
    let run: GeminiRun;
    const resultOf = (file: string) => results.find((r) => JSON.stringify(r.args).includes(file));

    beforeAll(async () => {
      scratch = makeScratch({ host: 'gemini', policyEdit: (t) => t.replace(/budget calls=\d+/, `budget calls=${BUDGET}`) });
      scratches.push(scratch);
      const server = await startGeminiServer(
        parentAndChild<ScriptedTurn>({
          parentPrompt: PARENT_PROMPT,
          marker: TASK,
          parent: [shell('echo parent > parent.txt'), call('invoke_agent', { agent_name: 'generalist', prompt: TASK }), { text: 'done' }],
          child: [shell('echo one > one.txt'), shell('echo two > two.txt'), call('complete_task', { result: { response: 'sub-agent done' } })],
        }),
      );
      try {
        run = await runGemini(bundle!, { project: scratch.project, home: scratch.home, baseUrl: server.url, env: scratch.env, prompt: PARENT_PROMPT });
        results = server.everyFunctionResult();
      } finally {
        await server.close();
      }
    });

    it('refuses the sub-agent\'s call over the budget, and AEX\'s budget reason reaches its model', () => {
      expect(resultOf('one.txt')?.text, `${run.stdout}\n${run.stderr}`).not.toMatch(/blocked/);
      expect(readFileSync(path.join(scratch.project, 'one.txt'), 'utf8')).toBe('one\n');
      expect(resultOf('two.txt')?.text).toMatch(/Tool execution blocked: AEX: .*budget exhausted \(3 calls\)/);
      expect(existsSync(path.join(scratch.project, 'two.txt'))).toBe(false);
    });

    it('charged the sub-agent\'s calls to the session that started it', () => {
      const session = /"session_id":\s*"([^"]+)"/.exec(run.stdout)?.[1];
      expect(session).toBeDefined();
      expect(auditFiles(scratch).map((f) => path.basename(f))).toEqual([`gate-${session}.jsonl`]);
      const allowed = auditLines(scratch).filter((l) => l.event === 'tool.allowed');
      expect(allowed.map((l) => l.hook_tool)).toEqual(['run_shell_command', 'invoke_agent', 'run_shell_command']);
    });
  });

  describeWithoutAexOnPath({
    host: 'gemini',
    shell: shell,
    play: async (scratch, turns, pathOverride) => (await session(scratch, turns, pathOverride)).results.map((o) => o.text),
    blocked: BLOCKED,
    scratches,
  });
});

describe.skipIf(bundle === undefined)('Gemini CLI host limitation: --skip-trust', () => {
  let s: Session;
  afterAll(() => s?.scratch.remove());

  beforeAll(async () => {
    s = await session(makeScratch({ host: 'gemini' }), [shell('touch unjudged.txt')], undefined, 'skip-trust-flag');
  });

  // A person who trusts a folder with `gemini -p --skip-trust` gets no project hook, so AEX
  // judges nothing (aex init --gemini says so). If this starts failing, Gemini CLI has begun
  // loading project hooks under --skip-trust: update that message and docs/hosts.md.
  it('loads no project hook, so a call the policy refuses (touch: no rule allows it) runs', () => {
    expect(existsSync(path.join(s.scratch.project, 'unjudged.txt'))).toBe(true);
    expect(auditText(s.scratch)).not.toContain('"host":"gemini"');
  });
});
