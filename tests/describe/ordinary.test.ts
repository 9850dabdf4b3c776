// Ordinary and patch describers (docs/design.md#actions, docs/paths.md): the actions the kernel will
// judge for built-ins, MCP tools and Claude Code host tools, including the spellings an
// agent would use to slip a path past a rule.
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeCall } from '../../src/describe/index.js';
import { describeClaudeCodeCall } from '../../src/adapters/claude-code/describe.js';
import type { Action, DescribeContext } from '../../src/describe/types.js';

let root: string;
let home: string;
let other: string;
let ctx: DescribeContext;

beforeAll(() => {
  const top = realpathSync(mkdtempSync(path.join(tmpdir(), 'aex-ord-')));
  root = path.join(top, 'proj');
  home = path.join(top, 'home');
  other = path.join(top, 'other');
  for (const d of [path.join(root, 'secrets'), path.join(root, 'notes'), home, other]) mkdirSync(d, { recursive: true });
  symlinkSync('../secrets', path.join(root, 'notes', 'link'));
  ctx = { root, cwd: root, home, mcpBases: [root, other] };
});

const forms = (a: Action, key: 'paths' | 'reach' = 'paths') => (a[key] ?? []).flatMap((p) => (p.unresolved ? [`?${p.unresolved.why}`] : p.forms));
const j = (...p: string[]) => path.join(root, ...p);

describe('built-ins', () => {
  it('file.read: paths and path, every action with args', async () => {
    const c = await describeCall({ tool: 'file.read', args: { paths: ['a', 'notes/link/k'], path: 'z' } }, ctx);
    expect(c.actions).toHaveLength(1);
    expect(forms(c.actions[0]!)).toEqual([j('a'), j('notes/link/k'), j('secrets/k'), j('z')]);
    expect(c.actions[0]!.args).toEqual({ paths: ['a', 'notes/link/k'], path: 'z' });
  });

  it('file.write: path, writes list and map keys', async () => {
    const c = await describeCall({ tool: 'file.write', args: { writes: [{ path: 'x', contents: '' }, 'y'], path: 'p' } }, ctx);
    expect(forms(c.actions[0]!)).toEqual([j('p'), j('x'), j('y')]);
    const m = await describeCall({ tool: 'file.write', args: { writes: JSON.parse('{"m": "c", "__proto__": "d"}') as unknown } }, ctx);
    expect(forms(m.actions[0]!)).toEqual([j('m'), j('__proto__')]);
  });

  it('file.write(diff): every file of the patch, copy sources read, symlinks need file.symlink', async () => {
    const diff = 'diff --git a/secrets/k b/pub/k\ncopy from secrets/k\ncopy to pub/k\ndiff --git a/l b/l\nnew file mode 120000\n--- /dev/null\n+++ b/l\n@@ -0,0 +1 @@\n+secrets\n';
    const c = await describeCall({ tool: 'file.write', args: { diff } }, ctx);
    expect(c.actions.map((a) => [a.cap, forms(a)])).toEqual([
      ['file.write', [j('pub/k'), j('l')]],
      ['file.read', [j('secrets/k')]],
      ['file.symlink', [j('l')]],
    ]);
  });

  it('file.write(diff) with an unreadable header is one unresolved file.write', async () => {
    const c = await describeCall({ tool: 'file.write', args: { diff: 'diff --git a/notes/x b/notes/x\n--- a/secrets/k\n+++ b/secrets/k\n@@ -1 +1 @@\n-a\n+b\n' } }, ctx);
    expect(c.actions).toHaveLength(1);
    expect(c.actions[0]!.cap).toBe('file.write');
    expect(c.actions[0]!.paths![0]!.unresolved?.what).toBe('path');
  });

  it('git.apply: its own action and the patch file actions', async () => {
    const c = await describeCall({ tool: 'git.apply', args: { diff: '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n' } }, ctx);
    expect(c.actions.map((a) => [a.cap, forms(a)])).toEqual([['git.apply', [j('x')]], ['file.write', [j('x')]]]);
  });

  it('git.diff without paths reaches the whole tree; git.status and tests.run carry args', async () => {
    expect(forms((await describeCall({ tool: 'git.diff', args: {} }, ctx)).actions[0]!, 'reach')).toEqual([root]);
    expect((await describeCall({ tool: 'git.status', args: {} }, ctx)).actions).toEqual([{ cap: 'git.status', args: {} }]);
    expect((await describeCall({ tool: 'tests.run', args: { cmd: 'npm test' } }, ctx)).actions[0]!.args).toEqual({ cmd: 'npm test' });
  });

  it('a NUL byte makes the path unresolved instead of throwing', async () => {
    const c = await describeCall({ tool: 'file.read', args: { path: 'a\0b' } }, ctx);
    expect(c.actions[0]!.paths![0]!.unresolved).toBeDefined();
  });

  it('never returns an empty action list', async () => {
    expect((await describeCall({ tool: 'my.tool', args: {} }, ctx)).actions).toEqual([{ cap: 'my.tool', args: {} }]);
  });
});

describe('MCP tools', () => {
  it('reads source/destination/uri keys and nested arrays, every candidate base', async () => {
    const c = await describeCall(
      { tool: 'mcp.fs.move_file', args: { source: 'notes/link/k', destination: '/tmp/out', opts: { list: [[{ file: 'deep.txt' }]] }, uri: 'file:///etc/hosts' } },
      ctx,
    );
    expect(forms(c.actions[0]!)).toEqual([
      j('notes/link/k'), j('secrets/k'), path.join(other, 'notes/link/k'),
      '/tmp/out',
      j('deep.txt'), path.join(other, 'deep.txt'),
      '/etc/hosts',
    ]);
  });

  it('takes path-shaped values under any key, but not text with spaces', async () => {
    const c = await describeCall({ tool: 'mcp.x.y', args: { a: '../up', b: '~/.ssh/id_rsa', c: 'not /a path', d: 'http://x' } }, ctx);
    // `../up` from either base is the same folder next to both.
    expect(forms(c.actions[0]!)).toEqual([path.join(path.dirname(root), 'up'), path.join(home, '.ssh/id_rsa')]);
  });

  it('decodes percent-escapes of file: URIs, refuses other hosts', async () => {
    const c = await describeCall({ tool: 'mcp.x.y', args: { uri: 'file:///proj%2e%2e/caf%C3%A9', url: 'file://evil.example/etc/passwd' } }, ctx);
    const ps = c.actions[0]!.paths!;
    expect(ps[0]!.forms).toEqual(['/proj../café']);
    expect(ps[1]!.unresolved?.why).toBe('file URI of another host');
  });

  it('treats __proto__ and constructor as ordinary keys', async () => {
    const args = JSON.parse('{"__proto__": {"path": "secrets/k"}, "constructor": {"dest": "/etc/x"}}') as Record<string, unknown>;
    const c = await describeCall({ tool: 'mcp.fs.write', args }, ctx);
    expect(forms(c.actions[0]!)).toEqual([j('secrets/k'), path.join(other, 'secrets/k'), '/etc/x']);
    expect(Object.getOwnPropertyNames(c.args)).toEqual(['__proto__', 'constructor']);
  });

  it('makes arguments nested deeper than 8 unresolved', async () => {
    let v: unknown = { path: '/x' };
    for (let i = 0; i < 10; i++) v = [v];
    const c = await describeCall({ tool: 'mcp.fs.read', args: { v } }, ctx);
    expect(c.actions[0]!.paths![0]!.unresolved?.why).toBe('arguments nested too deeply');
  });

  it('leaves relative paths unresolved when the server base is unknown', async () => {
    const c = await describeCall({ tool: 'mcp.remote.read', args: { path: 'a.txt' } }, { ...ctx, mcpBases: undefined });
    expect(c.actions[0]!.paths![0]!.unresolved?.why).toBe('unknown base');
  });

  it('gives listing and search tools reach, not single files', async () => {
    const c = await describeCall({ tool: 'mcp.fs.list_directory', args: { path: root } }, ctx);
    expect(forms(c.actions[0]!, 'reach')).toEqual([root]);
    expect(c.actions[0]!.paths).toBeUndefined();
  });

  it('resources.read: file: URI as a path, other URIs as url/host', async () => {
    const f = await describeCall({ tool: 'mcp.fs.resources.read', args: { uri: 'file:///etc/passwd' } }, ctx);
    expect(forms(f.actions[0]!)).toEqual(['/etc/passwd']);
    const h = await describeCall({ tool: 'mcp.web.resources.read', args: { uri: 'https://EXAMPLE.com./a' } }, ctx);
    expect(h.actions[0]).toMatchObject({ host: 'example.com', url: 'https://example.com./a' });
    const p = await describeCall({ tool: 'mcp.s.prompts.get', args: { name: 'greet' } }, ctx);
    expect(p.actions).toEqual([{ cap: 'mcp.s.prompts.get', args: { name: 'greet' } }]);
  });
});

describe('Claude Code', () => {
  it('Read and Edit: file_path in both forms', async () => {
    const r = await describeClaudeCodeCall('Read', { file_path: j('notes/link/k') }, ctx);
    expect(r).toMatchObject({ tool: 'file.read', hostTool: 'Read' });
    expect(forms(r.actions[0]!)).toEqual([j('notes/link/k'), j('secrets/k')]);
    const e = await describeClaudeCodeCall('NotebookEdit', { notebook_path: 'n.ipynb' }, ctx);
    expect(e.tool).toBe('file.write');
    expect(forms(e.actions[0]!)).toEqual([j('n.ipynb')]);
  });

  it('Grep/LS over a parent folder reach the whole subtree; no path means the cwd', async () => {
    expect(forms((await describeClaudeCodeCall('Grep', { pattern: 'key', path: '..' }, ctx)).actions[0]!, 'reach')).toEqual([path.dirname(root)]);
    expect(forms((await describeClaudeCodeCall('LS', {}, ctx)).actions[0]!, 'reach')).toEqual([root]);
  });

  it('Glob: a pattern that climbs adds its static prefix as a root', async () => {
    const up = await describeClaudeCodeCall('Glob', { pattern: '../other/**/*.ts' }, ctx);
    expect(forms(up.actions[0]!, 'reach')).toEqual([root, other]);
    const abs = await describeClaudeCodeCall('Glob', { pattern: '/etc/*.conf' }, ctx);
    expect(forms(abs.actions[0]!, 'reach')).toEqual([root, '/etc']);
    const tilde = await describeClaudeCodeCall('Glob', { pattern: '~/.ssh/*' }, ctx);
    expect(forms(tilde.actions[0]!, 'reach')).toEqual([root, path.join(home, '.ssh')]);
    const sneaky = await describeClaudeCodeCall('Glob', { pattern: '*/../../**' }, ctx);
    expect(forms(sneaky.actions[0]!, 'reach')).toContain('?pattern may climb out of its folder');
    const inside = await describeClaudeCodeCall('Glob', { pattern: 'src/**/*.ts' }, ctx);
    expect(forms(inside.actions[0]!, 'reach')).toEqual([root]);
  });

  it('PowerShell is one unresolved shell.exec', async () => {
    const c = await describeClaudeCodeCall('PowerShell', { command: 'Remove-Item x' }, ctx);
    expect(c.actions).toEqual([{ cap: 'shell.exec', command: 'Remove-Item x', args: { command: 'Remove-Item x' }, unresolved: [{ what: 'command', why: 'unparsed shell' }] }]);
  });

  it('WebFetch: url and normalised host; unparseable → unresolved host; WebSearch has no host', async () => {
    const f = await describeClaudeCodeCall('WebFetch', { url: 'https://Bücher.Example./x?q=1', prompt: 'p' }, ctx);
    expect(f.actions[0]).toMatchObject({ cap: 'network.fetch', host: 'xn--bcher-kva.example' });
    const ip = await describeClaudeCodeCall('WebFetch', { url: 'http://0x7f.1/' }, ctx);
    expect(ip.actions[0]!.host).toBe('127.0.0.1');
    const bad = await describeClaudeCodeCall('WebFetch', { url: 'not a url' }, ctx);
    expect(bad.actions[0]!.unresolved).toEqual([{ what: 'host', why: 'unparseable url' }]);
    expect((await describeClaudeCodeCall('WebSearch', { query: 'q' }, ctx)).actions[0]).toEqual({ cap: 'network.search', args: { query: 'q' } });
  });

  it('mcp__S__T is mcp.S.T with MCP path rules', async () => {
    const c = await describeClaudeCodeCall('mcp__fs__read_file', { path: 'secrets/k' }, ctx);
    expect(c).toMatchObject({ tool: 'mcp.fs.read_file', hostTool: 'mcp__fs__read_file' });
    expect(forms(c.actions[0]!)).toEqual([j('secrets/k'), path.join(other, 'secrets/k')]);
  });

  it('unknown tools keep their capability and any path-looking argument', async () => {
    const c = await describeClaudeCodeCall('FancyTool', { target: '/etc/shadow' }, ctx);
    expect(c.tool).toBe('unknown.FancyTool');
    expect(forms(c.actions[0]!)).toEqual(['/etc/shadow']);
  });
});
