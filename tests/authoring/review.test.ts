import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { aexInProcess, type CliRun } from '../helpers/in-process-cli.js';
import { aex, BIN, tempDir } from './cli-helpers.js';

// Most cases run the CLI in-process (tests/helpers/in-process-cli.ts); those marked
// "spawned" run it as a process, as a user does. Leave room for a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

const TASK = `task edit v0

goal "Read a file and overwrite it."

use file.read, file.write
deny network.*

need target: file

confirm before file.write

do file.read(paths=[target]) -> src
check src has "old"
do file.write(path=target, contents="new")

return src
`;

const WORKSPACE_POLICY = `policy workspace v0

goal "Workspace boundary."

allow file.read, file.write, tests.run
deny network.*, secrets.read

budget calls=10
`;

let dir: string;

beforeEach(() => {
  dir = tempDir();
  mkdirSync(join(dir, 'tasks'));
  writeFileSync(join(dir, 'tasks', 'edit.aex'), TASK);
  writeFileSync(join(dir, 'target.txt'), 'old\n');
  writeFileSync(join(dir, 'inputs.json'), JSON.stringify({ target: 'target.txt' }));
});

function review(args: string[]): Promise<CliRun> {
  return aexInProcess(['review', ...args], { cwd: dir });
}
function spawnReview(args: string[]): CliRun {
  return aex(['review', ...args], { cwd: dir });
}

describe('aex review: summary', () => {
  it('shows a task under a discovered .aex policy that permits it (exit 0, spawned)', () => {
    mkdirSync(join(dir, '.aex'));
    writeFileSync(join(dir, '.aex', 'policy.aex'), WORKSPACE_POLICY);
    const r = spawnReview(['tasks/edit.aex']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`Task: edit
Goal: Read a file and overwrite it.

Source:
  Task:   tasks/edit.aex
  Policy: .aex/policy.aex

Requested tools:
  file.read
  file.write

Denied by task:
  network.*

Effective allowed:
  file.read
  file.write

Effective denied:
  network.*
  secrets.read

Confirmation required:
  file.write

Budget:
  calls=10

Required checks:
  src has "old"

Status:
  Valid task.
  Runs under current policy.
  Requires approval before file.write.

`);
  });

  it('reports a task that exceeds an .aex policy and exits 1', async () => {
    writeFileSync(join(dir, 'narrow.aex'), 'policy narrow v0\ngoal "Read only."\nallow file.read\n');
    const r = await review(['tasks/edit.aex', '--policy', 'narrow.aex']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Effective allowed:\n {2}file\.read\n\n/m);
    expect(r.stdout).toMatch(/ {2}Exceeds current policy\./);
    expect(r.stdout).toMatch(/Warnings:\n {2}Tool "file\.write" requested by task but not in policy allow list\./);
  });

  it('uses JSON policies like aex run: in policy → exit 0, a JSON deny → exit 1', async () => {
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ allow: ['file.*'], require_confirmation: ['file.*'], budget: { calls: 5 } }));
    const ok = await review(['tasks/edit.aex', '--policy', 'ok.json', '--json']);
    expect(ok.code).toBe(0);
    const s = JSON.parse(ok.stdout) as Record<string, unknown>;
    expect(Object.keys(s)).toEqual([
      'task', 'goal', 'source', 'requested', 'denied', 'effective', 'checks', 'makeSteps', 'confirmRequired', 'valid', 'runsUnderPolicy', 'warnings',
    ]);
    expect(s.source).toEqual({ task: 'tasks/edit.aex', policy: 'ok.json' });
    expect(s.effective).toEqual({ allow: ['file.read', 'file.write'], deny: ['network.*'], confirm: ['file.write', 'file.*'], budget: { calls: 5 } });
    expect(s.valid).toBe(true);
    expect(s.runsUnderPolicy).toBe(true);

    writeFileSync(join(dir, 'deny.json'), JSON.stringify({ allow: ['*'], deny: ['file.write'] }));
    const bad = await review(['tasks/edit.aex', '--policy', 'deny.json', '--json']);
    expect(bad.code).toBe(1);
    const b = JSON.parse(bad.stdout) as { runsUnderPolicy: boolean; warnings: string[] };
    expect(b.runsUnderPolicy).toBe(false);
    expect(b.warnings).toContain('Tool "file.write" is used by the task but denied by policy rule "file.write".');

    writeFileSync(join(dir, 'narrow.json'), JSON.stringify({ allow: ['file.read'] }));
    expect((await review(['tasks/edit.aex', '--policy', 'narrow.json'])).code).toBe(1);
  });

  it('an empty policy allow list permits nothing', async () => {
    writeFileSync(join(dir, 'empty.json'), JSON.stringify({ allow: [] }));
    const r = await review(['tasks/edit.aex', '--policy', 'empty.json']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Exceeds current policy/);
  });

  it('an invalid task exits 1 with its diagnostics', async () => {
    writeFileSync(join(dir, 'tasks', 'bad.aex'), 'task bad v0\ngoal "x"\nuse file.read\ndo file.write(path="a", contents="b")\nreturn 1\n');
    const r = await review(['tasks/bad.aex', '--json']);
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout) as { valid: boolean; warnings: string[] };
    expect(s.valid).toBe(false);
    expect(s.warnings.some((w) => w.startsWith('AEX010 '))).toBe(true);
    const t = await review(['tasks/bad.aex']);
    expect(t.code).toBe(1);
    expect(t.stdout).toMatch(/ {2}Invalid task\./);
    expect(t.stderr).toMatch(/tasks\/bad\.aex:4:\d+: error AEX010: /);
    // a task that cannot even be parsed is never reported as running under the policy
    writeFileSync(join(dir, 'tasks', 'unreadable.aex'), 'task t v0\ngoal "x\n');
    const u = await review(['tasks/unreadable.aex', '--json']);
    expect(u.code).toBe(1);
    expect(JSON.parse(u.stdout)).toMatchObject({ valid: false, runsUnderPolicy: false });
  });

  it('refuses a broken policy instead of ignoring it, and a policy given as the task', async () => {
    writeFileSync(join(dir, 'typo.aex'), 'policy p v0\ngoal "g"\nalow file.read\n');
    const r = await review(['tasks/edit.aex', '--policy', 'typo.aex']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error policy typo\.aex cannot be used: /);
    writeFileSync(join(dir, 'p.aex'), WORKSPACE_POLICY);
    expect((await review(['p.aex'])).stderr).toMatch(/^error p\.aex is a policy, not a task contract/);
    expect((await review(['nope.aex'])).stderr).toMatch(/^error contract file not found/);
  });

  it('without any policy the task alone decides', async () => {
    const r = await review(['tasks/edit.aex', '--json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { source: unknown }).source).toEqual({ task: 'tasks/edit.aex' });
  });
});

describe('aex review --run', () => {
  it('refuses to run a task that a JSON policy denies, even with --yes (nothing executes)', async () => {
    writeFileSync(join(dir, 'deny.json'), JSON.stringify({ allow: ['file.*'], deny: ['file.*'] }));
    const r = await review(['tasks/edit.aex', '--policy', 'deny.json', '--run', '--yes', '--auto-confirm', '--inputs', 'inputs.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error Cannot run: task exceeds current policy\.$/m);
    expect(r.stderr).not.toMatch(/Executing/);
    expect(readFileSync(join(dir, 'target.txt'), 'utf8')).toBe('old\n');
  });

  it('refuses an invalid task', async () => {
    writeFileSync(join(dir, 'tasks', 'bad.aex'), 'task bad v0\ngoal "x"\nreturn nothing\n');
    const r = await review(['tasks/bad.aex', '--run', '--yes']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error Cannot run: task has validation errors\.$/m);
  });

  it('needs --yes without a terminal (spawned)', () => {
    const r = spawnReview(['tasks/edit.aex', '--run', '--inputs', 'inputs.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error Non-interactive terminal\. Use --yes to skip approval\.$/m);
  });

  it('--yes skips only the approval question: the confirmation gate still refuses', async () => {
    const r = await review(['tasks/edit.aex', '--run', '--yes', '--inputs', 'inputs.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/confirm\.denied/);
    expect(r.stderr).toMatch(/error runtime blocked: AEX053/);
    expect(readFileSync(join(dir, 'target.txt'), 'utf8')).toBe('old\n');
  });

  it('runs with --yes --auto-confirm under a JSON policy and prints the output (spawned)', () => {
    writeFileSync(join(dir, 'ok.json'), JSON.stringify({ allow: ['file.read', 'file.write'] }));
    const r = spawnReview(['tasks/edit.aex', '--policy', 'ok.json', '--run', '--yes', '--auto-confirm', '--inputs', 'inputs.json', '--json']);
    expect(r.stderr).toMatch(/Executing\.\.\. tasks\/edit\.aex/);
    expect(r.stderr).toMatch(/runtime success/);
    expect(r.code).toBe(0);
    // stdout: the summary JSON, then the run's output
    expect(r.stdout.endsWith(JSON.stringify({ 'target.txt': 'old\n' }, null, 2) + '\n')).toBe(true);
    expect(readFileSync(join(dir, 'target.txt'), 'utf8')).toBe('new');
  });

  it('writes the audit next to contracts under .aex/runs/', async () => {
    mkdirSync(join(dir, '.aex', 'runs'), { recursive: true });
    writeFileSync(join(dir, '.aex', 'runs', 'x.aex'), TASK);
    const r = await review(['.aex/runs/x.aex', '--run', '--yes', '--auto-confirm', '--inputs', 'inputs.json']);
    expect(r.code).toBe(0);
    const lines = readFileSync(join(dir, '.aex', 'runs', 'x.audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { event: string; seq: number });
    expect(lines[0]!.event).toBe('run.started');
    expect(lines[0]!.seq).toBe(1);
    expect(lines.at(-1)!.event).toBe('run.finished');
  });

  it('runs make steps through --model-handler and refuses them without a model', async () => {
    writeFileSync(
      join(dir, 'tasks', 'brief.aex'),
      'task brief v0\ngoal "Brief."\nneed topic: str\nmake draft: markdown from topic with:\n  - be short\nreturn draft\n',
    );
    writeFileSync(join(dir, 'handler.mjs'), 'export default async (req) => `# ${req.inputs[0].value} (${req.kind}, ${req.instructions.length})`;\n');
    writeFileSync(join(dir, 'topic.json'), JSON.stringify({ topic: 'Owls' }));
    const none = await review(['tasks/brief.aex', '--run', '--yes', '--inputs', 'topic.json']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/This task has 'make' steps requiring a model/);
    const r = await review(['tasks/brief.aex', '--run', '--yes', '--inputs', 'topic.json', '--model-handler', 'handler.mjs']);
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith('"# Owls (markdown, 1)"\n')).toBe(true);
  });
});

// The approval prompt needs a terminal; `script` gives the CLI a pseudo-terminal.
const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;

// util-linux `script` gives the CLI a real terminal; it ships with Debian (bsdutils).
describe('aex review --run on a terminal', () => {
  it('has a pseudo-terminal to test with', () => {
    expect(hasScript, 'the `script` command (util-linux) is required').toBe(true);
  });

  /**
   * Runs review --run on a pseudo-terminal and types each answer once its prompt has been
   * shown (so no fixed wait is needed); stdin stays open until the CLI has exited.
   */
  function onTty(dialogue: Array<[RegExp, string]>): Promise<{ out: string; target: string }> {
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} review tasks/edit.aex --run --inputs inputs.json`;
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let next = 0;
    let seen = 0;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      out += d;
      // Each prompt is looked for after the text where the previous one was found.
      while (next < dialogue.length) {
        const [prompt, answer] = dialogue[next]!;
        const m = prompt.exec(out.slice(seen));
        if (!m) break;
        seen += m.index + m[0].length;
        next++;
        child.stdin.write(`${answer}\n`);
      }
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`no exit within 30 s; output so far:\n${out}`));
      }, 30_000);
      child.on('error', reject);
      child.on('close', () => {
        clearTimeout(timer);
        child.stdin.end();
        resolve({ out, target: readFileSync(join(dir, 'target.txt'), 'utf8') });
      });
    });
  }

  const APPROVE = /Approve and run\? \[y\/N\]:/;
  const CONFIRM = /confirm Allow tool "file\.write"\? \[y\/N\]:/;

  it('asks "Approve and run?" and cancels on anything but y', async () => {
    const { out, target } = await onTty([[APPROVE, 'n']]);
    expect(out).toMatch(/Approve and run\? \[y\/N\]:/);
    expect(out).toMatch(/Cancelled\./);
    expect(out).not.toMatch(/Executing/);
    expect(target).toBe('old\n');
  });

  it('after approval still asks at the confirmation gate', async () => {
    const { out, target } = await onTty([
      [APPROVE, 'y'],
      [CONFIRM, 'y'],
    ]);
    expect(out).toMatch(/confirm Allow tool "file\.write"\? \[y\/N\]:/);
    expect(out).toMatch(/runtime success/);
    expect(target).toBe('new');
    expect(existsSync(join(dir, 'target.txt'))).toBe(true);
  });
});
