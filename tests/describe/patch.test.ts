// The one diff reader (docs/paths.md): every header variant an agent might use to hide
// a file from a path rule is either read exactly or refused.
import { describe, expect, it } from 'vitest';
import { parsePatch, readFiles, symlinkFiles, writtenFiles, type PatchReading } from '../../src/describe/patch.js';

function files(text: string): string[] {
  const r = parsePatch(text);
  if ('error' in r) throw new Error(r.error);
  return writtenFiles(r);
}
function error(text: string): string {
  const r: PatchReading = parsePatch(text);
  if (!('error' in r)) throw new Error(`expected an error, got ${JSON.stringify(r.files)}`);
  return r.error;
}

const HUNK = '@@ -1 +1 @@\n-a\n+b\n';

describe('parsePatch: names', () => {
  it('reads a plain git diff', () => {
    expect(parsePatch(`diff --git a/src/x.ts b/src/x.ts\nindex 1..2 100644\n--- a/src/x.ts\n+++ b/src/x.ts\n${HUNK}`)).toMatchObject({
      files: [{ path: 'src/x.ts', kind: 'modify' }],
    });
  });

  it('strips whatever the first component is (-p1), as git apply does', () => {
    expect(files(`--- src/secrets/k\n+++ src/secrets/k\n${HUNK}`)).toEqual(['secrets/k']);
  });

  it('decodes quoted names with C escapes and octal UTF-8 bytes', () => {
    expect(files(`diff --git "a/caf\\303\\251" "b/caf\\303\\251"\n--- "a/caf\\303\\251"\n+++ "b/caf\\303\\251"\n${HUNK}`)).toEqual(['café']);
    expect(files(`diff --git "a/\\056\\056/x" "b/\\056\\056/x"\n--- "a/\\056\\056/x"\n+++ "b/\\056\\056/x"\n${HUNK}`)).toEqual(['../x']);
    expect(files(`diff --git "a/new\\nline" "b/new\\nline"\n--- "a/new\\nline"\n+++ "b/new\\nline"\n${HUNK}`)).toEqual(['new\nline']);
  });

  it('refuses malformed quoting and non-UTF-8 bytes', () => {
    error(`--- "a/x\n+++ "b/x"\n${HUNK}`);
    error(`--- "a/\\q"\n+++ "a/\\q"\n${HUNK}`);
    error(`--- "a/\\377"\n+++ "a/\\377"\n${HUNK}`);
  });

  it('ends a git header name at a tab, keeps spaces', () => {
    expect(files(`diff --git a/my file b/my file\n--- a/my file\t\n+++ b/my file\t\n${HUNK}`)).toEqual(['my file']);
  });

  it('drops traditional timestamps after a tab or spaces', () => {
    expect(files(`--- a/x\t2024-01-01 00:00:00.000000000 +0000\n+++ b/x\t2024-01-01 00:00:00.000000000 +0000\n${HUNK}`)).toEqual(['x']);
    expect(files(`--- a/x 2024-01-01 00:00:00.000 +0000\n+++ b/x 2024-01-01 00:00:00.000 +0000\n${HUNK}`)).toEqual(['x']);
    expect(files(`--- a/x\tWed Jan 31 10:00:00 2024\n+++ b/x\tWed Jan 31 10:00:00 2024\n${HUNK}`)).toEqual(['x']);
  });

  it('reads CRLF headers like git (one trailing CR dropped)', () => {
    expect(files('diff --git a/x b/x\r\n--- a/x\r\n+++ b/x\r\n@@ -1 +1 @@\r\n-a\r\n+z\r\n')).toEqual(['x']);
  });

  it('reads /dev/null creations and deletions', () => {
    expect(parsePatch('diff --git a/n b/n\nnew file mode 100644\n--- /dev/null\n+++ b/n\n@@ -0,0 +1 @@\n+z\n')).toMatchObject({ files: [{ path: 'n', kind: 'create' }] });
    expect(parsePatch('diff --git a/g b/g\ndeleted file mode 100644\n--- a/g\n+++ /dev/null\n@@ -1 +0,0 @@\n-z\n')).toMatchObject({ files: [{ path: 'g', kind: 'delete' }] });
    expect(parsePatch('--- /dev/null\n+++ b/n\n@@ -0,0 +1 @@\n+z\n')).toMatchObject({ files: [{ path: 'n', kind: 'create' }] });
    expect(files('diff --git a/e b/e\nnew file mode 100644\nindex 0000000..e69de29\n')).toEqual(['e']);
  });

  it('refuses /dev/null without a new/deleted file mode in a git diff', () => {
    error('diff --git a/x b/x\n--- /dev/null\n+++ b/x\n@@ -0,0 +1 @@\n+z\n');
  });
});

describe('parsePatch: renames, copies, modes, symlinks', () => {
  it('reads rename from/to and rename old/new (both files written)', () => {
    expect(parsePatch('diff --git a/x b/secrets/y\nsimilarity index 100%\nrename from x\nrename to secrets/y\n')).toMatchObject({
      files: [{ path: 'x', kind: 'rename-from' }, { path: 'secrets/y', kind: 'rename-to' }],
    });
    expect(files('diff --git a/x b/secrets/y\nrename old x\nrename new secrets/y\n')).toEqual(['x', 'secrets/y']);
  });

  it('reads copies: the target is written, the source read', () => {
    const r = parsePatch('diff --git a/secrets/k b/pub/k\nsimilarity index 100%\ncopy from secrets/k\ncopy to pub/k\n');
    if ('error' in r) throw new Error(r.error);
    expect(writtenFiles(r)).toEqual(['pub/k']);
    expect(readFiles(r)).toEqual(['secrets/k']);
  });

  it('reads a mode change', () => {
    expect(parsePatch('diff --git a/y b/y\nold mode 100644\nnew mode 100755\n')).toMatchObject({
      files: [{ path: 'y', kind: 'modify' }, { path: 'y', kind: 'mode' }],
    });
  });

  it('marks symlink creation, a file turned into a link, and a retargeted link', () => {
    const created = parsePatch('diff --git a/l b/l\nnew file mode 120000\nindex 0000000..3594e94\n--- /dev/null\n+++ b/l\n@@ -0,0 +1 @@\n+/etc/passwd\n\\ No newline at end of file\n');
    if ('error' in created) throw new Error(created.error);
    expect(symlinkFiles(created)).toEqual(['l']);
    const changed = parsePatch('diff --git a/y b/y\nold mode 100644\nnew mode 120000\n');
    if ('error' in changed) throw new Error(changed.error);
    expect(symlinkFiles(changed)).toEqual(['y']);
    const retarget = parsePatch('diff --git a/l b/l\nindex 1..2 120000\n--- a/l\n+++ b/l\n@@ -1 +1 @@\n-a\n+/etc\n');
    if ('error' in retarget) throw new Error(retarget.error);
    expect(symlinkFiles(retarget)).toEqual(['l']);
  });

  it('counts the names of binary patches', () => {
    expect(files('diff --git a/img.png b/img.png\nindex 1..2 100644\nGIT binary patch\nliteral 5\nMcmZ?wbYf&+00I>N\n\nliteral 0\nHcmV?d00001\n\ndiff --git a/z b/z\n--- a/z\n+++ b/z\n' + HUNK)).toEqual(['img.png', 'z']);
    expect(files('diff --git a/img.png b/img.png\nindex 1..2 100644\nBinary files a/img.png and b/img.png differ\n')).toEqual(['img.png']);
  });
});

describe('parsePatch: fail closed', () => {
  it('refuses a diff --git line that disagrees with ---/+++ (git would write the +++ name)', () => {
    expect(error(`diff --git a/notes/x b/notes/x\n--- a/secrets/k\n+++ b/secrets/k\n${HUNK}`)).toMatch(/diff --git line/);
  });

  it('refuses a rename whose names the diff --git line does not carry', () => {
    error('diff --git a/x b/x\nrename from x\nrename to secrets/y\n');
  });

  it('refuses ---/+++ names that disagree with the rename lines', () => {
    error(`diff --git a/x b/y\nrename from x\nrename to y\n--- a/x\n+++ b/secrets/z\n${HUNK}`);
  });

  it('refuses traditional names that differ (git would pick one by length)', () => {
    error(`--- a/x\n+++ b/secrets/x\n${HUNK}`);
  });

  it('refuses a hunk whose counts do not match', () => {
    error('--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n-a\n+b\n');
    error('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n-b\n+c\n');
  });

  it('skips a removed line that looks like a header inside a hunk', () => {
    expect(files('--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n--- a/secret\n-+++ b/secret\n+ok\n+ok\n')).toEqual(['x']);
  });

  it('refuses header lines outside a file header', () => {
    error(`--- a/x\n+++ b/x\n${HUNK}rename to secrets/y\n`);
    error(`diff --git a/x b/x\n--- a/x\n+++ b/x\n${HUNK}+++ b/secrets/k\n`);
    error('@@ -1 +1 @@\n-a\n+b\n');
  });

  it('refuses unreadable input: no patch, NUL, a name without a prefix, combined diffs', () => {
    error('just text');
    error(`--- a/x\0\n+++ b/x\n${HUNK}`);
    error(`--- x\n+++ x\n${HUNK}`);
    error('diff --cc x\n');
    error(`--- a/x\nnot plus\n${HUNK}`);
  });

  it('refuses a new file mode that also has an old name', () => {
    error('diff --git a/x b/x\nnew file mode 100644\ndeleted file mode 100644\n');
  });

  it('skips commit messages and diffstats around patches', () => {
    expect(files(`From 123 Mon Sep 17 00:00:00 2001\nSubject: x\n\n---\n x | 2 +-\n\ndiff --git a/x b/x\n--- a/x\n+++ b/x\n${HUNK}-- \n2.39\n`)).toEqual(['x']);
  });

  it('reads -p0 when asked', () => {
    const r = parsePatch(`--- x\n+++ x\n${HUNK}`, { strip: 0 });
    expect(r).toMatchObject({ files: [{ path: 'x' }] });
  });
});
