// Path attacks (docs/paths.md, docs/design.md#protected-state; issue 9): every spelling of a path an agent could use
// to read or write what a rule protects — relative, `~`, `..` through symlinks both
// ways, NFD, a newline in a name, search roots over a parent folder, patches with every
// header variant, symlink creation — against allow and deny rules on the built-ins,
// the Claude Code gate and the MCP proxy. Policy: tests/attacks/project.ts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { makeAttackProject, type AttackProject } from './project.js';
import { BIN, judgeBuiltin, judgeGate, proxyFs, type Verdict } from './judge.js';

let P: AttackProject;
beforeAll(() => {
  P = makeAttackProject();
});
afterAll(() => P?.cleanup());

const NFD_CAFE = 'cafe\u0301'; // "café" decomposed; the rule is written composed (NFC)
// Plain concatenation: path.join would remove the `..` segments the attacks depend on.
const r = (rel: string) => `${P.root}/${rel}`;

type Case = [name: string, arg: () => string, expected: Verdict];

// Paths given relative to the project root (the run's root and the hook's cwd).
const READS: Case[] = [
  ['a plain project file', () => 'README.md', 'allow'],
  ['the protected file', () => 'secrets/key', 'deny'],
  ['./ and .. around the protected file', () => './src/../secrets/./key', 'deny'],
  ['double slashes', () => 'secrets//key', 'deny'],
  ['the folder itself (D/** matches D)', () => 'secrets', 'deny'],
  ['an in-project symlink into secrets/', () => 'inlink/key', 'deny'],
  ['.. after a symlink that points out (lexically back in secrets/)', () => 'outlink/../project/secrets/key', 'deny'],
  ['.. after a symlink that points in (physically in secrets/)', () => 'notes/deep/../key', 'deny'],
  ['a symlink out of the project', () => 'outlink/x.txt', 'not_allowed'],
  ['the outside folder linking back into secrets/', () => path.join(P.outside, 'back', 'key'), 'deny'],
  ['a newline in the name under secrets/', () => 'secrets/x\ny', 'deny'],
  ['an NFD spelling of an NFC rule', () => `docs/${NFD_CAFE}/x.md`, 'deny'],
  ['~ outside the project', () => '~/.ssh/id_rsa', 'not_allowed'],
  ['an absolute path outside', () => '/etc/hostname', 'not_allowed'],
  ['an absolute path to the protected file', () => r('secrets/key'), 'deny'],
];

const WRITES: Case[] = [
  ['the write area', () => 'notes/new.txt', 'allow'],
  ['outside the write area', () => 'README.md', 'not_allowed'],
  ['a symlink in the write area into secrets/', () => 'notes/esc/key', 'deny'],
  ['.. after a symlink in the write area', () => 'notes/deep/../stolen', 'deny'],
  ['AEX policy (protected whatever the rules)', () => '.aex/policy.aex', 'deny'],
  ['git hooks (protected)', () => '.git/hooks/pre-commit', 'deny'],
  ['the host hook configuration (protected)', () => '.claude/settings.json', 'deny'],
  ['a newline-named file in secrets/', () => 'secrets/x\ny', 'deny'],
];

function diffFor(header: string): string {
  return `${header}\n@@ -0,0 +1 @@\n+x\n`;
}

// Every way a unified diff names the files it touches (docs/paths.md).
const PATCHES: Array<[name: string, diff: string, expected: Verdict]> = [
  ['a new file in the write area', diffFor('diff --git a/notes/a.txt b/notes/a.txt\nnew file mode 100644\n--- /dev/null\n+++ b/notes/a.txt'), 'allow'],
  ['--- / +++ naming secrets/', diffFor('--- a/notes/a.txt\n+++ b/secrets/a.txt'), 'deny'],
  ['a diff --git pair naming secrets/', diffFor('diff --git a/notes/a.txt b/secrets/a.txt\n--- a/notes/a.txt\n+++ b/secrets/a.txt'), 'deny'],
  ['quoted names with C escapes', diffFor('--- "a/notes/\\303\\251"\n+++ "b/secrets/\\303\\251"'), 'deny'],
  ['a tab and a timestamp after the name', diffFor('--- a/notes/a.txt\t2024-01-01 00:00:00.000000000 +0000\n+++ b/secrets/a.txt\t2024-01-01 00:00:00.000000000 +0000'), 'deny'],
  ['rename from / rename to', 'diff --git a/notes/a b/secrets/a\nsimilarity index 100%\nrename from notes/a\nrename to secrets/a\n', 'deny'],
  ['rename old / rename new', 'diff --git a/notes/a b/secrets/a\nsimilarity index 100%\nrename old notes/a\nrename new secrets/a\n', 'deny'],
  ['copy from / copy to', 'diff --git a/notes/a b/secrets/b\nsimilarity index 100%\ncopy from notes/a\ncopy to secrets/b\n', 'deny'],
  ['a mode change only', 'diff --git a/secrets/key b/secrets/key\nold mode 100644\nnew mode 100755\n', 'deny'],
  ['protected state by patch', diffFor('--- /dev/null\n+++ b/.aex/policy.aex'), 'deny'],
  ['a header it cannot read', diffFor('diff --git notes/a'), 'deny'],
  [
    'creating a symlink (needs allow file.symlink)',
    'diff --git a/notes/l b/notes/l\nnew file mode 120000\n--- /dev/null\n+++ b/notes/l\n@@ -0,0 +1 @@\n+../secrets\n\\ No newline at end of file\n',
    'not_allowed',
  ],
];

describe('path attacks on the built-in tools (native interpreter)', () => {
  for (const [name, arg, expected] of READS) {
    it(`file.read: ${name} → ${expected}`, async () => {
      expect(await judgeBuiltin(P, 'file.read', { path: arg() })).toBe(expected);
    });
  }
  it('file.read: a list of paths is judged path by path (one denied denies the call)', async () => {
    expect(await judgeBuiltin(P, 'file.read', { paths: ['README.md', 'inlink/key'] })).toBe('deny');
  });
  for (const [name, arg, expected] of WRITES) {
    it(`file.write: ${name} → ${expected}`, async () => {
      expect(await judgeBuiltin(P, 'file.write', { path: arg(), contents: 'x' })).toBe(expected);
    });
  }
  it('file.write: a writes map naming secrets/ through a symlink', async () => {
    expect(await judgeBuiltin(P, 'file.write', { writes: { 'notes/ok.txt': 'a', 'notes/esc/key': 'b' } })).toBe('deny');
  });
  for (const [name, diff, expected] of PATCHES) {
    it(`file.write(diff): ${name} → ${expected}`, async () => {
      expect(await judgeBuiltin(P, 'file.write', { diff })).toBe(expected);
    });
  }
});

describe('path attacks on the gate (Read, Write, Edit, NotebookEdit, Grep, Glob, LS)', () => {
  for (const [name, arg, expected] of READS) {
    it(`Read: ${name} → ${expected}`, async () => {
      const given = arg();
      const abs = given.startsWith('~') || path.isAbsolute(given) ? given : r(given);
      expect(await judgeGate(P, 'Read', { file_path: abs })).toBe(expected);
    });
  }
  it('Read: a relative file_path is read against the hook cwd', async () => {
    expect(await judgeGate(P, 'Read', { file_path: 'secrets/key' })).toBe('deny');
  });
  for (const [name, arg, expected] of WRITES) {
    it(`Write: ${name} → ${expected}`, async () => {
      expect(await judgeGate(P, 'Write', { file_path: r(arg()), content: 'x' })).toBe(expected);
    });
  }
  it('Edit and NotebookEdit through a symlink into secrets/ are denied', async () => {
    expect(await judgeGate(P, 'Edit', { file_path: r('notes/esc/key'), old_string: 'a', new_string: 'b' })).toBe('deny');
    expect(await judgeGate(P, 'MultiEdit', { file_path: r('notes/esc/key'), edits: [{ old_string: 'a', new_string: 'b' }] })).toBe('deny');
    expect(await judgeGate(P, 'NotebookEdit', { notebook_path: r('notes/esc/n.ipynb'), new_source: 'x' })).toBe('deny');
    expect(await judgeGate(P, 'Edit', { file_path: r('notes/ok.txt'), old_string: 'a', new_string: 'b' })).toBe('allow');
  });

  const SEARCHES: Array<[tool: string, input: () => Record<string, unknown>, expected: Verdict, why: string]> = [
    ['Grep', () => ({ pattern: 'x', path: r('src') }), 'allow', 'a root away from secrets/'],
    ['Grep', () => ({ pattern: 'x', path: P.root }), 'deny', 'the project root covers secrets/'],
    ['Grep', () => ({ pattern: 'x' }), 'deny', 'no path: the cwd, which covers secrets/'],
    ['Grep', () => ({ pattern: 'x', path: P.base }), 'deny', 'a parent folder covers secrets/'],
    ['Grep', () => ({ pattern: 'x', path: r('inlink') }), 'deny', 'a symlink to secrets/ as the root'],
    ['Grep', () => ({ pattern: 'x', path: r('notes/deep/..') }), 'deny', '.. after a symlink: physically secrets/'],
    ['Glob', () => ({ pattern: '**/*.ts', path: r('src') }), 'allow', 'a root away from secrets/'],
    ['Glob', () => ({ pattern: '**/*' }), 'deny', 'no path: the cwd'],
    ['Glob', () => ({ pattern: '../**', path: r('src') }), 'deny', 'a ../ pattern climbs to the project root'],
    ['Glob', () => ({ pattern: `${P.root}/secrets/*` }), 'deny', 'an absolute pattern into secrets/'],
    ['Glob', () => ({ pattern: '~/**' }), 'deny', 'a ~ pattern without path: the cwd (covering secrets/) is searched too'],
    ['Glob', () => ({ pattern: '~/.ssh/*', path: r('src') }), 'not_allowed', 'a ~ pattern reaches the home folder, whatever the path'],
    ['Glob', () => ({ pattern: `${P.root}/**`, path: r('src') }), 'deny', 'an absolute pattern overrides a narrow path'],
    ['LS', () => ({ path: r('src') }), 'allow', 'a folder away from secrets/'],
    ['LS', () => ({ path: P.root }), 'deny', 'the project root covers secrets/'],
    ['LS', () => ({ path: P.outside }), 'not_allowed', 'outside the project'],
  ];
  for (const [tool, input, expected, why] of SEARCHES) {
    it(`${tool}: ${why} → ${expected}`, async () => {
      expect(await judgeGate(P, tool, input())).toBe(expected);
    });
  }
});

describe('path attacks through aex proxy (MCP keys, nested values, server bases)', () => {
  it('has a built dist/ to run', () => {
    expect(existsSync(path.join(path.dirname(BIN), '..', 'dist', 'adapters', 'mcp', 'main.js')), 'run `npm run build` first').toBe(true);
  });

  it('judges every path argument, at any key and depth, against every base the server may use', async () => {
    // The server is started in the project root with secrets/ as one of its folders:
    // a relative path may mean ROOT/… or ROOT/secrets/….
    const s = await proxyFs(P, [r('secrets')]);
    try {
      const calls: Array<[tool: string, args: Record<string, unknown>, expected: Verdict]> = [
        ['read_file', { path: r('README.md') }, 'allow'],
        ['read_file', { path: r('secrets/key') }, 'deny'],
        ['read_file', { path: 'README.md' }, 'deny'],
        ['read_file', { path: 'key' }, 'deny'],
        ['read_file', { path: r('inlink/key') }, 'deny'],
        ['read_file', { path: r(`docs/${NFD_CAFE}/x.md`) }, 'deny'],
        ['read_file', { path: r('secrets/x\ny') }, 'deny'],
        ['read_file', { path: '~/.ssh/id_rsa' }, 'not_allowed'],
        ['move_file', { source: r('README.md'), destination: r('secrets/moved') }, 'deny'],
        ['move_file', { source: r('secrets/key'), destination: r('notes/leak') }, 'deny'],
        ['read_uri', { uri: `file://${r('secrets/key')}` }, 'deny'],
        ['read_uri', { uri: `file://${r('README.md')}` }, 'allow'],
        ['read_many', { paths: [r('README.md'), r('notes/esc/key')] }, 'deny'],
        ['configure', { options: { target: { dir: r('secrets') } } }, 'deny'],
        ['note', { text: '../project/secrets/key' }, 'deny'],
        ['note', { text: 'hello world' }, 'allow'],
      ];
      const got = [];
      for (const [tool, args] of calls) got.push([tool, args, await s.call(tool, args)]);
      expect(got).toEqual(calls);
      // Only the allowed calls reached the server.
      const ran = (await s.executed()).map((e) => e.name);
      expect(ran).toEqual(calls.filter(([, , v]) => v === 'allow').map(([t]) => t));
    } finally {
      await s.close();
    }
  }, 60_000);

  it('allows a relative path when every candidate base keeps it inside the allow rule', async () => {
    const s = await proxyFs(P, [r('src')]);
    try {
      expect(await s.call('read_file', { path: 'a.ts' })).toBe('allow');
      expect(await s.call('read_file', { path: '../secrets/key' })).toBe('deny');
    } finally {
      await s.close();
    }
  }, 60_000);
});

it('the home folder is outside the scratch project (the ~ cases rely on it)', () => {
  expect(path.relative(homedir(), P.root).startsWith('..') || path.isAbsolute(path.relative(homedir(), P.root))).toBe(true);
});
