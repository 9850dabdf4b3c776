import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { compileSource } from '../../src/compiler/index.js';
import { deriveTaskName, draftContract, forceHeader, stripFences } from '../../src/authoring/draft.js';
import { draftSystemPrompt, EXAMPLE_CONTRACTS, uniqueDiagnosticLines } from '../../src/authoring/draft-prompt.js';
import { chatDraftModel } from '../../src/authoring/model.js';
import { aexInProcess as run, type CliRun } from '../helpers/in-process-cli.js';
import { aex, ROOT, tempDir } from './cli-helpers.js';

// The first case spawns the CLI, the others run it in-process (tests/helpers/in-process-cli.ts).
// Leave room for a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const FAKE = join(ROOT, 'tests', 'authoring', 'fixtures', 'fake-chat-model.mjs');

const POLICY = `policy workspace v0

goal "Workspace boundary."

allow file.read, tests.run
deny network.*, secrets.read
`;

const VALID = `task whatever v3

goal "Read the notes."

use file.read
deny network.*, secrets.read

need notes: file

do file.read(paths=[notes]) -> text

return text
`;

// Two problems: an unknown reference (AEX021) and a call without a `use` rule (AEX010).
const INVALID = `task whatever v0

goal "Read the notes."

use file.read

need notes: file

do file.read(paths=[notez]) -> text
do tests.run(cmd=["npm", "test"]) -> result

return text
`;

const EXCEEDS = `task whatever v0

goal "Write the notes."

use file.read, file.write
confirm before file.write

need notes: file

do file.read(paths=[notes]) -> text
do file.write(path=notes, contents="x")

return text
`;

let dir: string;

let scripts = 0;

/** `aex draft ARGS --model-handler FAKE`, answering with `responses` (a script file of its own per draft). */
function draft(responses: string[], args: string[]): Promise<CliRun> {
  const [argv, opts] = draftCommand(responses, args);
  return run(argv, opts);
}
function spawnDraft(responses: string[], args: string[]): CliRun {
  const [argv, opts] = draftCommand(responses, args);
  return aex(argv, opts);
}
function draftCommand(responses: string[], args: string[]): [string[], { cwd: string; env: Record<string, string> }] {
  const script = join(dir, `responses-${++scripts}.json`);
  writeFileSync(script, JSON.stringify(responses));
  return [['draft', ...args, '--model-handler', FAKE], { cwd: dir, env: { AEX_FAKE_RESPONSES: script, AEX_FAKE_LOG: join(dir, 'calls.jsonl') } }];
}

function calls(): Array<Array<{ role: string; content: string }>> {
  const p = join(dir, 'calls.jsonl');
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Array<{ role: string; content: string }>);
}

function runsDir(): string[] {
  const p = join(dir, '.aex', 'runs');
  return existsSync(p) ? readdirSync(p) : [];
}

beforeEach(() => {
  dir = tempDir();
  mkdirSync(join(dir, '.aex'));
  writeFileSync(join(dir, '.aex', 'policy.aex'), POLICY);
});

describe('aex draft with a fake LangChain chat model', () => {
  it('saves a valid first answer under .aex/runs/ with a timestamped name (one model call, spawned)', () => {
    const r = spawnDraft([VALID], ['Read the notes file, please']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = runsDir();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{8}-\d{6}-read_notes_file_please\.aex$/);
    expect(r.stdout).toBe(`✔ Draft saved to .aex/runs/${files[0]}\n`);
    const saved = readFileSync(join(dir, '.aex', 'runs', files[0]!), 'utf8');
    // header forced to the derived name and v0; contents trimmed plus one newline
    expect(saved).toBe(VALID.replace('task whatever v3', 'task read_notes_file_please v0').trim() + '\n');
    expect(compileSource(saved).ok).toBe(true);
    const c = calls();
    expect(c).toHaveLength(1);
    expect(c[0]![0]!.role).toBe('system');
    // the system prompt carries the language summary, the rules and the policy verbatim
    expect(c[0]![0]!.content).toContain('AEX task contract syntax');
    expect(c[0]![0]!.content).toContain('Drafting rules:');
    expect(c[0]![0]!.content).toContain(POLICY.trimEnd());
    expect(c[0]![1]).toEqual({ role: 'human', content: 'Read the notes file, please' });
  });

  it('fixes an invalid answer on retry: the retry shows the previous draft and the de-duplicated diagnostics', async () => {
    const r = await draft([INVALID, VALID], ['summarize notes', '--name', 'notes']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^draft attempt 1\/2: 2 errors, asking the model to fix them$/m);
    const c = calls();
    expect(c).toHaveLength(2);
    const retry = c[1]![1]!.content;
    expect(retry.startsWith('summarize notes\n\nYour previous draft was:\n\n')).toBe(true);
    expect(retry).toContain(forceHeader(INVALID.trim(), 'notes'));
    expect(retry).toMatch(/^- line 9:\d+ error AEX021: .*notez/m);
    expect(retry).toMatch(/^- line 10:\d+ error AEX010: .*tests\.run/m);
    const bullets = retry.split('\n').filter((l) => l.startsWith('- line '));
    expect(new Set(bullets).size).toBe(bullets.length);
    expect(bullets).toHaveLength(2);
    const saved = readFileSync(join(dir, '.aex', 'runs', runsDir()[0]!), 'utf8');
    expect(saved.split('\n')[0]).toBe('task notes v0');
  });

  it('an answer that exceeds the policy is invalid (AEX015): saved, said so, exit 1', async () => {
    const r = await draft([EXCEEDS, EXCEEDS], ['write notes', '--out', 'out.aex']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('⚠ Draft saved to out.aex (has validation issues)\n');
    expect(r.stderr).toMatch(/^out\.aex:5:\d+: error AEX015: `use file\.write` is not permitted by the policy's allow rules$/m);
    expect(calls()).toHaveLength(2);
    expect(calls()[1]![1]!.content).toMatch(/AEX015/);
    const saved = readFileSync(join(dir, 'out.aex'), 'utf8');
    // without the policy the same text is a valid contract: it is the policy that refuses it
    expect(compileSource(saved).ok).toBe(true);
  });

  it('a JSON policy given with --policy counts too', async () => {
    writeFileSync(join(dir, 'p.json'), JSON.stringify({ allow: ['tests.run'] }));
    const r = await draft([VALID], ['read notes', '--policy', 'p.json', '--max-retries', '0']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/AEX015: `use file\.read`/);
    expect(calls()).toHaveLength(1);
    expect(calls()[0]![0]!.content).toContain('{"allow":["tests.run"]}');
  });

  it('strips a fenced answer', async () => {
    const r = await draft(['```aex\n' + VALID + '```\n'], ['read notes', '--name', 'fenced']);
    expect(r.code).toBe(0);
    const saved = readFileSync(join(dir, '.aex', 'runs', runsDir()[0]!), 'utf8');
    expect(saved.startsWith('task fenced v0\n')).toBe(true);
    expect(saved).not.toContain('```');
  });

  it('an empty answer is an error and nothing is saved', async () => {
    const r = await draft(['   \n'], ['read notes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error Model returned empty contract. Check model configuration and API key.\n');
    expect(r.stdout).toBe('');
    expect(runsDir()).toEqual([]);
  });

  it('never overwrites --out without --force', async () => {
    writeFileSync(join(dir, 'out.aex'), 'mine\n');
    const r = await draft([VALID], ['read notes', '--out', 'out.aex']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error out.aex already exists; use --force to overwrite it\n');
    expect(calls()).toHaveLength(0);
    expect(readFileSync(join(dir, 'out.aex'), 'utf8')).toBe('mine\n');
    const f = await draft([VALID], ['read notes', '--out', 'out.aex', '--force']);
    expect(f.code).toBe(0);
    expect(readFileSync(join(dir, 'out.aex'), 'utf8')).toMatch(/^task read_notes v0\n/);
  });

  it('uses a plan file instead of the prompt, and reports a missing one', async () => {
    writeFileSync(join(dir, 'plan.md'), 'Step 1: read the notes.\n');
    const r = await draft([VALID], ['notes plan', '--from-plan', 'plan.md']);
    expect(r.code).toBe(0);
    expect(calls()[0]![1]!.content).toBe('Step 1: read the notes.');
    const m = await draft([VALID], ['x', '--from-plan', 'missing.md']);
    expect(m.code).toBe(1);
    expect(m.stderr).toBe(`error Plan file not found: ${join(dir, 'missing.md')}\n`);
  });

  it('usage errors: no prompt, no model, bad --max-retries, broken policy', async () => {
    expect((await run(['draft'], { cwd: dir })).stderr).toMatch(/^error draft needs a PROMPT/);
    const noModel = await run(['draft', 'x'], { cwd: dir, env: { AEX_MODEL: '' } });
    expect(noModel.code).toBe(1);
    expect(noModel.stderr).toMatch(/^error draft needs a model/);
    expect((await run(['draft', 'x', '--model', 'nope'], { cwd: dir })).stderr).toMatch(/^error Unknown model provider "nope"/);
    expect((await run(['draft', 'x', '--model', 'openai'], { cwd: dir, env: { OPENAI_API_KEY: '' } })).stderr).toMatch(/^error OPENAI_API_KEY is not set/);
    expect((await draft([VALID], ['x', '--max-retries', '-1'])).code).toBe(1);
    expect((await draft([VALID], ['x', '--max-retries', 'two'])).stderr).toMatch(/--max-retries must be an integer/);
    writeFileSync(join(dir, '.aex', 'policy.aex'), 'policy p v0\ngoal "g"\nalow file.read\n');
    const broken = await draft([VALID], ['x']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^error policy \.aex\/policy\.aex cannot be used/);
  });
});

describe('drafting helpers', () => {
  it('derives names as docs/cli.md says', () => {
    expect(deriveTaskName('Fix the failing test in src/foo.ts')).toBe('fix_failing_test_srcfoots');
    expect(deriveTaskName('Summarize this for my team, please!')).toBe('summarize_team_please');
    expect(deriveTaskName('a an the')).toBe('generated_task');
    expect(deriveTaskName('supercalifragilistic expialidocious words here')).toHaveLength(30);
  });

  it('strips one fence pair and forces the header', () => {
    expect(stripFences('```\ntask a v0\n```')).toBe('task a v0');
    expect(stripFences('```aex\ngoal "x"\n```\n')).toBe('goal "x"');
    expect(forceHeader('agent old v2\ngoal "g"', 'n')).toBe('task n v0\ngoal "g"');
    expect(forceHeader('goal "g"', 'n')).toBe('task n v0\n\ngoal "g"');
  });

  it('the example contracts in the system prompt are themselves valid', () => {
    for (const e of EXAMPLE_CONTRACTS) expect(compileSource(e).diagnostics).toEqual([]);
    expect(draftSystemPrompt()).toContain('No policy is active');
  });

  it('de-duplicates diagnostics', () => {
    const d = { code: 'AEX100', severity: 'error' as const, message: 'bad', line: 2, column: 1 };
    expect(uniqueDiagnosticLines([d, { ...d }, { ...d, column: 5 }])).toEqual(['line 2:1 error AEX100: bad']);
  });

  it('drives FakeListChatModel in-process and stops at the first valid draft', async () => {
    const fake = new FakeListChatModel({ responses: [INVALID, VALID, VALID] });
    const seen: number[] = [];
    const result = await draftContract({
      request: 'read notes',
      name: 'inproc',
      model: chatDraftModel(fake),
      maxRetries: 3,
      onAttempt: (_a, i) => seen.push(i),
    });
    expect(result.ok).toBe(true);
    expect(result.attempts).toHaveLength(2);
    expect(seen).toEqual([1, 2]);
    expect(result.text.startsWith('task inproc v0\n')).toBe(true);
  });
});
