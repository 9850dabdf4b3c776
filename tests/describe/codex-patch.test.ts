import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { codexPatchActions, parseCodexPatch } from '../../src/describe/codex-patch.js';
import type { DescribeContext } from '../../src/describe/types.js';

const root = mkdtempSync(path.join(os.tmpdir(), 'aex-codex-patch-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const ctx: DescribeContext = { root, cwd: root, home: '/home/nobody' };

const patch = (...body: string[]): string => ['*** Begin Patch', ...body, '*** End Patch'].join('\n') + '\n';

describe('parseCodexPatch', () => {
  it('reads every kind of file section', () => {
    const r = parseCodexPatch(
      patch(
        '*** Add File: src/new.ts',
        '+export const x = 1;',
        '*** Delete File: old.txt',
        '*** Update File: src/a.ts',
        '@@ function f()',
        ' context',
        '-old',
        '+new',
        '*** End of File',
        '*** Update File: src/b.ts',
        '*** Move to: lib/b.ts',
        '@@',
        '-x',
        '+y',
      ),
    );
    expect(r).toEqual({
      files: [
        { path: 'src/new.ts', kind: 'add' },
        { path: 'old.txt', kind: 'delete' },
        { path: 'src/a.ts', kind: 'update' },
        { path: 'src/b.ts', kind: 'move-from' },
        { path: 'lib/b.ts', kind: 'move-to' },
      ],
    });
  });

  it('reads CRLF lines, surrounding whitespace of markers and a heredoc wrapper as Codex does', () => {
    const text = "<<'EOF'\r\n  *** Begin Patch\r\n*** Add File: a.txt\r\n+hi\r\n*** End Patch  \r\nEOF\r\n";
    expect(parseCodexPatch(text)).toEqual({ files: [{ path: 'a.txt', kind: 'add' }] });
  });

  it('accepts an empty added file and a pure move', () => {
    expect(parseCodexPatch(patch('*** Add File: empty'))).toEqual({ files: [{ path: 'empty', kind: 'add' }] });
    expect(parseCodexPatch(patch('*** Update File: a', '*** Move to: b'))).toEqual({
      files: [
        { path: 'a', kind: 'move-from' },
        { path: 'b', kind: 'move-to' },
      ],
    });
  });

  const unreadable: Array<[string, unknown]> = [
    ['not a string', 42],
    ['empty', ''],
    ['no Begin marker', '*** Add File: a\n+x\n*** End Patch\n'],
    ['no End marker', '*** Begin Patch\n*** Add File: a\n+x\n'],
    ['no file section', patch()],
    ['an unknown header', patch('*** Copy File: a')],
    ['a misspelt header', patch('*** Add file: a', '+x')],
    ['a stray line after an added file', patch('*** Add File: a', '+x', 'oops', '*** Delete File: b')],
    ['a stray line in an update', patch('*** Update File: a', '-x', 'junk', '+y')],
    ['an update without changes', patch('*** Update File: a')],
    ['an empty path', patch('*** Delete File:    ')],
    ['an empty Move to', patch('*** Update File: a', '*** Move to: ', '-x')],
    ['a NUL byte', patch('*** Delete File: a\0b')],
    ['a unified diff', '--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n'],
    ['two patches glued together', patch('*** Delete File: a') + patch('*** Delete File: b')],
  ];
  it.each(unreadable)('fails closed on %s', (_name, text) => {
    expect(parseCodexPatch(text)).toHaveProperty('error');
  });

  it('a header hidden in a context line is read as a header (more files, never fewer)', () => {
    const r = parseCodexPatch(patch('*** Update File: a', ' x', ' *** Delete File: .aex/policy.aex'));
    expect(r).toEqual({
      files: [
        { path: 'a', kind: 'update' },
        { path: '.aex/policy.aex', kind: 'delete' },
      ],
    });
  });

  it('content lines that look like headers stay content', () => {
    const r = parseCodexPatch(patch('*** Add File: a', '+*** Delete File: b', '+*** End Patch'));
    expect(r).toEqual({ files: [{ path: 'a', kind: 'add' }] });
  });
});

describe('codexPatchActions', () => {
  it('is one file.write action on every file, relative paths joined to the base', () => {
    const actions = codexPatchActions(patch('*** Update File: src/a.ts', '*** Move to: ../outside.ts', '-x', '+y', '*** Add File: /etc/x', '+1'), root, ctx, {});
    expect(actions).toHaveLength(1);
    expect(actions[0]!.cap).toBe('file.write');
    expect(actions[0]!.paths!.map((p) => p.given)).toEqual(['src/a.ts', '../outside.ts', '/etc/x']);
    expect(actions[0]!.paths![0]!.forms).toContain(path.join(root, 'src/a.ts'));
    expect(actions[0]!.paths![1]!.forms).toContain(path.resolve(root, '../outside.ts'));
  });

  it('an unreadable patch is a file.write with an unresolved path', () => {
    const [a] = codexPatchActions('*** Begin Patch\nrm -rf /\n*** End Patch', root, ctx, {});
    expect(a!.cap).toBe('file.write');
    expect(a!.paths![0]!.unresolved?.why).toMatch(/unreadable patch/);
  });

  it('names a file once even when two sections touch it', () => {
    const [a] = codexPatchActions(patch('*** Delete File: a', '*** Add File: a', '+x'), root, ctx, {});
    expect(a!.paths!.map((p) => p.given)).toEqual(['a']);
  });
});
