import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { validatePolicyJson } from '../../src/ir/validate.js';
import { compileSource } from '../../src/compiler/index.js';
import { policyTemplate, taskTemplate } from '../../src/authoring/templates.js';
import { sanitizeTaskName } from '../../src/authoring/templates.js';
import { aex, tempDir } from './cli-helpers.js';

// These tests spawn the CLI; leave room for a loaded machine.
vi.setConfig({ testTimeout: 60_000 });

describe('aex init --policy', () => {
  it('creates .aex/policy.aex in an empty directory, in today\'s syntax', () => {
    const dir = tempDir();
    const r = aex(['init', '--policy'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('✔ Policy created at .aex/policy.aex\n');
    const text = readFileSync(join(dir, '.aex', 'policy.aex'), 'utf8');
    expect(text.split('\n')[0]).toBe('policy workspace v0');
    expect(text).toMatch(/^allow file\.read, file\.write, tests\.run, git\.\*$/m);
    expect(text).not.toMatch(/^use /m);
    expect(text).toMatch(/^deny network\.\*, secrets\.read$/m);
    expect(text).toMatch(/^confirm before file\.write$/m);
    expect(text).toMatch(/^budget calls=100$/m);
    expect(readdirSync(join(dir, '.aex'))).toEqual(['policy.aex']);
  });

  it('never overwrites, says skip on stderr and reports nothing as created', () => {
    const dir = tempDir();
    mkdirSync(join(dir, '.aex'));
    writeFileSync(join(dir, '.aex', 'policy.aex'), 'mine\n');
    const r = aex(['init', '--policy'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('skip .aex/policy.aex already exists\n');
    expect(readFileSync(join(dir, '.aex', 'policy.aex'), 'utf8')).toBe('mine\n');
  });
});

describe('aex init --task', () => {
  it('creates the task, its inputs and its JSON policy', () => {
    const dir = tempDir();
    const r = aex(['init', '--task', 'fix-test'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      '✔ Created tasks/fix-test.aex\n✔ Created tasks/fix-test.inputs.json\n✔ Created tasks/fix-test.policy.json\n',
    );
    const task = readFileSync(join(dir, 'tasks', 'fix-test.aex'), 'utf8');
    expect(task.split('\n')[0]).toBe('task fix-test v0');
    expect(task).not.toMatch(/^agent /m);
    expect(JSON.parse(readFileSync(join(dir, 'tasks', 'fix-test.inputs.json'), 'utf8'))).toEqual({
      topic: 'Replace this with your task topic',
    });
    const policy = JSON.parse(readFileSync(join(dir, 'tasks', 'fix-test.policy.json'), 'utf8')) as unknown;
    expect(policy).toEqual({ allow: ['model.make'], deny: ['secrets.read', 'network.*'], require_confirmation: [], budget: { calls: 20 } });
    expect(validatePolicyJson(policy).valid).toBe(true);
  });

  it('defaults to sample-task, also with no flag at all, and sanitises names', () => {
    const dir = tempDir();
    expect(aex(['init'], { cwd: dir }).code).toBe(0);
    expect(existsSync(join(dir, 'tasks', 'sample-task.aex'))).toBe(true);
    expect(aex(['init', '--task'], { cwd: dir }).stderr).toBe(
      'skip tasks/sample-task.aex already exists\nskip tasks/sample-task.inputs.json already exists\nskip tasks/sample-task.policy.json already exists\n',
    );
    const r = aex(['init', '--task', 'my task/v2'], { cwd: dir });
    expect(r.stdout).toMatch(/tasks\/my_task_v2\.aex/);
    expect(readFileSync(join(dir, 'tasks', 'my_task_v2.aex'), 'utf8').split('\n')[0]).toBe('task my_task_v2 v0');
    expect(sanitizeTaskName('a.b c')).toBe('a_b_c');
    expect(sanitizeTaskName('')).toBe('sample-task');
  });

  it('writes only the missing files and reports only those', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'tasks'));
    writeFileSync(join(dir, 'tasks', 'x.inputs.json'), '{"topic": "kept"}\n');
    const r = aex(['init', '--task', 'x', '--policy'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('✔ Policy created at .aex/policy.aex\n✔ Created tasks/x.aex\n✔ Created tasks/x.policy.json\n');
    expect(r.stderr).toBe('skip tasks/x.inputs.json already exists\n');
    expect(readFileSync(join(dir, 'tasks', 'x.inputs.json'), 'utf8')).toBe('{"topic": "kept"}\n');
    expect(readdirSync(join(dir, 'tasks')).sort()).toEqual(['x.aex', 'x.inputs.json', 'x.policy.json']);
  });

  it('fails with a one-line error when the directory is not writable', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'tasks'), 'a file where a directory should be');
    const r = aex(['init', '--task', 'x'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error cannot write tasks\/x\.aex/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('init templates pass aex check with no diagnostics at all', () => {
  it('compile cleanly (no errors, no warnings)', () => {
    for (const text of [policyTemplate(), taskTemplate('sample-task'), taskTemplate('a_b-c')]) {
      const r = compileSource(text);
      expect(r.diagnostics).toEqual([]);
      expect(r.ok).toBe(true);
    }
  });

  it('aex check --json reports zero diagnostics for every generated .aex file', () => {
    const dir = tempDir();
    expect(aex(['init', '--policy', '--task', 'demo'], { cwd: dir }).code).toBe(0);
    for (const f of ['.aex/policy.aex', 'tasks/demo.aex']) {
      const r = aex(['check', '--json', f], { cwd: dir });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, diagnostics: [] });
    }
  });

  it('the generated task runs under the generated policy (aex review exits 0)', () => {
    const dir = tempDir();
    aex(['init', '--policy', '--task', 'demo'], { cwd: dir });
    const r = aex(['review', 'tasks/demo.aex'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Runs under current policy/);
    const j = aex(['review', 'tasks/demo.aex', '--policy', 'tasks/demo.policy.json'], { cwd: dir });
    expect(j.code).toBe(0);
  });
});

describe('aex init --claude-code / --mcp (adapters loaded on demand)', () => {
  it('--claude-code adds the gate hook and creates no task files', () => {
    const dir = tempDir();
    const r = aex(['init', '--claude-code', '--policy'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^✔ Policy created at \.aex\/policy\.aex$/m);
    const settings = JSON.parse(readFileSync(join(dir, '.claude', 'settings.json'), 'utf8')) as {
      hooks: { PreToolUse: Array<{ hooks: Array<{ type: string; command: string }> }> };
    };
    expect(settings.hooks.PreToolUse[0]!.hooks[0]).toEqual({ type: 'command', command: 'aex gate' });
    expect(existsSync(join(dir, 'tasks'))).toBe(false);
    // second time: nothing rewritten, nothing claimed as created
    const again = aex(['init', '--claude-code'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.stdout).not.toMatch(/Added/);
  });

  it('--mcp puts the servers of .mcp.json behind aex proxy', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.mcp.json'), JSON.stringify({ mcpServers: { echo: { command: 'node', args: ['echo.js'] } } }));
    const r = aex(['init', '--mcp'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, '.mcp.json'), 'utf8')) as { mcpServers: { echo: { command: string; args: string[] } } };
    expect(doc.mcpServers.echo).toEqual({ command: 'aex', args: ['proxy', '--', 'node', 'echo.js'] });
  });

  it('an adapter error is one line, exit 1', () => {
    const dir = tempDir();
    writeFileSync(join(dir, '.mcp.json'), '{not json');
    const r = aex(['init', '--mcp'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error \.mcp\.json is not valid JSON/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
