// An agent under a policy that allows everything still cannot write AEX's own state or
// the hosts' hook configuration: every spelling of a write (Write, Edit, MultiEdit,
// NotebookEdit, a Bash redirection, sed -i, tee, cp, mv, ln -s, a symlink planted
// earlier) of a protected file is refused with reason `protected`, and nothing changes —
// no file, no budget (refusals are free), only the audit grows by the refusal.

import { readFileSync, readdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { budgetFile } from '../../src/runtime/state/budget.js';
import { HOST_FILES, changedState, makeGateProject, verdictOf, type GateProject } from './gate-project.js';

let P: GateProject;
beforeAll(async () => {
  P = makeGateProject();
  // One allowed call first, so a budget record, an audit log and a cache entry exist.
  const r = await P.gate('Read', { file_path: path.join(P.root, 'src', 'a.ts') });
  expect(verdictOf(r).decision).toBe('allow');
  // A symlink an earlier (allowed) step left in the workspace, pointing at the policy.
  symlinkSync(path.join(P.root, '.aex', 'policy.aex'), path.join(P.root, 'notes', 'innocent.md'));
  symlinkSync(path.join(P.root, '.aex'), path.join(P.root, 'notes', 'dir-link'));
});
afterAll(() => P.cleanup());

async function expectRefused(tool: string, input: Record<string, unknown>, what: string): Promise<void> {
  const before = P.snapshot();
  const spent = readFileSync(budgetFile(P.projectState, 'attack-session'), 'utf8');
  const r = await P.gate(tool, input);
  const v = verdictOf(r);
  expect(r.exitCode, what).toBe(0);
  expect(v.decision, `${what}: ${r.stdout}${r.stderr}`).toBe('deny');
  expect(v.reason, what).toMatch(/protected/);
  expect(changedState(before, P.snapshot()), what).toEqual([]);
  expect(readFileSync(budgetFile(P.projectState, 'attack-session'), 'utf8'), what).toBe(spent);
}

describe('file tools cannot write a protected file', () => {
  for (const rel of HOST_FILES) {
    it(`Write / Edit / MultiEdit of ${rel}`, async () => {
      const file = path.join(P.root, rel);
      await expectRefused('Write', { file_path: file, content: 'allow *\n' }, `Write ${rel}`);
      await expectRefused('Edit', { file_path: file, old_string: 'a', new_string: 'b' }, `Edit ${rel}`);
      await expectRefused('MultiEdit', { file_path: file, edits: [{ old_string: 'a', new_string: 'b' }] }, `MultiEdit ${rel}`);
    });
  }

  it('other spellings of the policy path: relative, dotted, through a symlinked folder or file', async () => {
    await expectRefused('Write', { file_path: '.aex/policy.aex', content: 'x' }, 'relative');
    await expectRefused('Write', { file_path: path.join(P.root, 'src', '..', '.aex', './policy.aex'), content: 'x' }, 'dotted');
    await expectRefused('Write', { file_path: path.join(P.root, 'notes', 'dir-link', 'policy.aex'), content: 'x' }, 'symlinked folder');
    await expectRefused('Write', { file_path: path.join(P.root, 'notes', 'innocent.md'), content: 'x' }, 'symlinked file');
    await expectRefused('Write', { file_path: path.join(P.root, '.aex', 'new-policy.aex'), content: 'x' }, 'a new file in .aex');
  });

  it('NotebookEdit of a file in .aex', async () => {
    await expectRefused('NotebookEdit', { notebook_path: path.join(P.root, '.aex', 'x.ipynb'), new_source: 'x' }, 'NotebookEdit');
  });
});

describe('shell lines cannot write a protected file', () => {
  const lines = [
    'echo "allow *" > .aex/policy.aex',
    'echo "allow *" >> .aex/policy.aex',
    "sed -i 's/deny/allow/' .aex/policy.aex",
    'echo x | tee .aex/policy.aex',
    'cp /tmp/evil .aex/policy.aex',
    'mv notes/n.md .aex/policy.aex',
    'ln -sf /tmp/evil .aex/policy.aex',
    'cd src && echo x > ../.aex/policy.aex',
    'git config core.fsmonitor "touch /tmp/pwned"',
    'echo "[core] fsmonitor = x" >> .git/config',
    'printf "#!/bin/sh\\nid\\n" > .git/hooks/pre-commit',
    'cat /dev/null > .claude/settings.json',
    'echo {} > .mcp.json',
    'tee .codex/config.toml < /dev/null',
    'cp x .gemini/settings.json',
    'rm .cursor/hooks.json',
  ];
  for (const line of lines) {
    it(line, async () => {
      await expectRefused('Bash', { command: line }, line);
    });
  }
});

describe("AEX's state folder cannot be written", () => {
  it('the budget record, the audit log and a cache entry, by file tool or shell', async () => {
    const budget = budgetFile(P.projectState, 'attack-session');
    const audit = path.join(P.projectState, 'audit', 'gate-attack-session.jsonl');
    const cacheDir = path.join(P.projectState, 'cache');
    const entry = path.join(cacheDir, readdirSync(cacheDir).find((f) => f.endsWith('.json'))!);
    for (const file of [budget, audit, entry]) {
      await expectRefused('Write', { file_path: file, content: '{"sessionId":"attack-session","callsUsed":0,"lastUpdated":"2099-01-01T00:00:00Z"}' }, `Write ${file}`);
      await expectRefused('Bash', { command: `echo '{}' > '${file}'` }, `Bash > ${file}`);
    }
    await expectRefused('Bash', { command: `rm -rf '${P.stateDir}'` }, 'rm -rf state');
  });
});

describe('sub-agents share the session budget', () => {
  it('calls from a sub-agent (agent_id) spend the same record', async () => {
    const Q = makeGateProject(`policy two v0\ngoal "Two calls."\nallow file.read\nbudget calls=2\n`);
    try {
      const read = { file_path: path.join(Q.root, 'src', 'a.ts') };
      expect(verdictOf(await Q.gate('Read', read)).decision).toBe('allow');
      expect(verdictOf(await Q.gate('Read', read, { agent_id: 'sub-1', agent_type: 'Explore' })).decision).toBe('allow');
      const third = verdictOf(await Q.gate('Read', read, { agent_id: 'sub-2', agent_type: 'Explore' }));
      expect(third.decision).toBe('deny');
      expect(third.reason).toMatch(/budget exhausted/);
    } finally {
      Q.cleanup();
    }
  });
});

