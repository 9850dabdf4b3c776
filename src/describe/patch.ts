// The one unified-diff reader of AEX (docs/paths.md): which files a patch creates,
// modifies, deletes, renames, copies, changes the mode of, or turns into a symlink.
// It follows `git apply`'s reading (-p1 stripping, C-quoted names, `rename old/new`,
// binary patches) and FAILS CLOSED: a header it cannot read, names that disagree
// between the `diff --git` line and the other headers, or a hunk whose line counts do
// not add up make the whole patch an error, which the describer turns into an
// unresolved action that every path rule refuses. Before a patch is applied,
// git itself is asked for the list (src/runtime/tools/git-patch-check.ts).

import { extendedName, gitLinePairs, headerName, isDevNull, type NameResult } from './patch-names.js';

export type PatchFileKind =
  | 'create'
  | 'modify'
  | 'delete'
  | 'rename-from'
  | 'rename-to'
  | 'copy-from'
  | 'copy-to'
  | 'mode'
  | 'symlink';

export interface PatchFile {
  /** As the patch names it after prefix stripping, relative to where it is applied. */
  path: string;
  kind: PatchFileKind;
}

/** One file patch as git would see it. */
export interface FilePatch {
  oldName: string | null;
  newName: string | null;
  isNew: boolean;
  isDelete: boolean;
  isRename: boolean;
  isCopy: boolean;
  oldMode?: number;
  newMode?: number;
  /** The mode of an `index A..B MODE` line (both sides). */
  indexMode?: number;
  binary: boolean;
}

export type PatchReading = { files: PatchFile[]; patches: FilePatch[] } | { error: string };

const SYMLINK_MODE = 0o120000;

class PatchSyntaxError extends Error {}

function fail(line: number, why: string): never {
  throw new PatchSyntaxError(`line ${line + 1}: ${why}`);
}

function nameOf(r: NameResult, line: number): string | null {
  if ('error' in r) fail(line, r.error);
  return r.name;
}

function parseMode(text: string, line: number): number {
  if (!/^[0-7]{1,7}$/.test(text)) fail(line, `invalid mode "${text}"`);
  return parseInt(text, 8);
}

// Lines that only make sense inside a file patch's header; met anywhere else they mean
// the patch is not shaped the way AEX reads it (git would silently skip them).
const HEADER_ONLY = /^(?:old mode |new mode |deleted file mode |new file mode |copy from |copy to |rename old |rename new |rename from |rename to |similarity index |dissimilarity index |index |\+\+\+ |@@ |GIT binary patch|Binary files |diff --cc |diff --combined )/;

const HUNK = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/;

/** Header lines lose one trailing CR (as git apply reads CRLF headers); hunk lines keep theirs. */
function headerText(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** Reads the files of a unified diff. `strip` is git apply's -p (default 1). */
export function parsePatch(text: string, opts: { strip?: number } = {}): PatchReading {
  const strip = opts.strip ?? 1;
  if (typeof text !== 'string') return { error: 'patch is not a string' };
  if (text.includes('\0')) return { error: 'patch contains a NUL byte' };
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const patches: FilePatch[] = [];
  try {
    let i = 0;
    while (i < lines.length) {
      const line = headerText(lines[i]!);
      if (line.startsWith('diff --git ')) {
        i = readGitPatch(lines, i, strip, patches);
      } else if (line.startsWith('--- ')) {
        i = readTraditionalPatch(lines, i, strip, patches);
      } else if (HEADER_ONLY.test(line)) {
        fail(i, `"${line.slice(0, 40)}" outside a file header`);
      } else {
        i++; // commit message, diffstat, `Index:` lines: git skips them too
      }
    }
  } catch (err) {
    if (err instanceof PatchSyntaxError) return { error: err.message };
    throw err;
  }
  if (patches.length === 0) return { error: 'no file patch found' };
  return { files: filesOf(patches), patches };
}

/** Counts a hunk's lines from `i` (the line after its `@@`); returns the next line. */
function readHunk(lines: string[], start: number, oldCount: number, newCount: number): number {
  let i = start;
  let oldLeft = oldCount;
  let newLeft = newCount;
  while (oldLeft > 0 || newLeft > 0) {
    if (i >= lines.length) fail(i - 1, 'hunk ends early (its line counts do not match)');
    const l = lines[i]!;
    const c = l[0];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === ' ' || l === '') {
      oldLeft--;
      newLeft--;
    } else if (c === '-') oldLeft--;
    else if (c === '+') newLeft--;
    else fail(i, 'line inside a hunk that is not context, removal or addition');
    if (oldLeft < 0 || newLeft < 0) fail(i, 'hunk has more lines than its header counts');
    i++;
  }
  if (i < lines.length && lines[i]!.startsWith('\\')) i++;
  return i;
}

/** Reads consecutive hunks from `i`; returns the first line after them. */
function readHunks(lines: string[], start: number): number {
  let i = start;
  for (;;) {
    const m = i < lines.length ? HUNK.exec(lines[i]!) : null;
    if (!m) return i;
    const oldCount = m[1] === undefined ? 1 : Number(m[1]);
    const newCount = m[2] === undefined ? 1 : Number(m[2]);
    i = readHunk(lines, i + 1, oldCount, newCount);
  }
}

/** Skips the data of a `GIT binary patch` (literal/delta blocks of base85 lines). */
function readBinary(lines: string[], start: number): number {
  let i = start;
  while (i < lines.length) {
    const l = headerText(lines[i]!);
    if (/^(?:literal|delta) \d+$/.test(l) || l === '' || /^[A-Za-z][0-9A-Za-z!#$%&()*+\-;<=>?@^_`{|}~]+$/.test(l)) i++;
    else break;
  }
  return i;
}

/** Names one side of the patch gets from different headers; they must agree. */
class Side {
  private value: string | null | undefined;
  constructor(private readonly label: string) {}
  set(name: string | null, line: number): void {
    if (this.value !== undefined && this.value !== name) {
      fail(line, `${this.label} name "${String(name)}" disagrees with "${String(this.value)}"`);
    }
    this.value = name;
  }
  get known(): boolean {
    return this.value !== undefined;
  }
  get name(): string | null {
    return this.value ?? null;
  }
}

function readGitPatch(lines: string[], start: number, strip: number, out: FilePatch[]): number {
  const gitLine = headerText(lines[start]!).slice('diff --git '.length);
  const pairs = gitLinePairs(gitLine, strip);
  if ('error' in pairs) fail(start, pairs.error);
  const oldSide = new Side('old');
  const newSide = new Side('new');
  const p: FilePatch = { oldName: null, newName: null, isNew: false, isDelete: false, isRename: false, isCopy: false, binary: false };
  let oldDevNull: boolean | undefined;
  let newDevNull: boolean | undefined;
  let i = start + 1;
  for (; i < lines.length; i++) {
    const l = headerText(lines[i]!);
    const after = (prefix: string) => (l.startsWith(prefix) ? l.slice(prefix.length) : undefined);
    let v: string | undefined;
    if ((v = after('--- ')) !== undefined) {
      oldDevNull = isDevNull(v);
      if (!oldDevNull) {
        const n = nameOf(headerName(v, strip, false), i);
        if (n !== null) oldSide.set(n, i);
      }
    } else if ((v = after('+++ ')) !== undefined) {
      newDevNull = isDevNull(v);
      if (!newDevNull) {
        const n = nameOf(headerName(v, strip, false), i);
        if (n !== null) newSide.set(n, i);
      }
    } else if ((v = after('old mode ')) !== undefined) p.oldMode = parseMode(v, i);
    else if ((v = after('new mode ')) !== undefined) p.newMode = parseMode(v, i);
    else if ((v = after('deleted file mode ')) !== undefined) {
      p.isDelete = true;
      p.oldMode = parseMode(v, i);
    } else if ((v = after('new file mode ')) !== undefined) {
      p.isNew = true;
      p.newMode = parseMode(v, i);
    } else if ((v = after('copy from ')) !== undefined) {
      p.isCopy = true;
      oldSide.set(nameOf(extendedName(v, strip), i), i);
    } else if ((v = after('copy to ')) !== undefined) {
      p.isCopy = true;
      newSide.set(nameOf(extendedName(v, strip), i), i);
    } else if ((v = after('rename from ') ?? after('rename old ')) !== undefined) {
      p.isRename = true;
      oldSide.set(nameOf(extendedName(v, strip), i), i);
    } else if ((v = after('rename to ') ?? after('rename new ')) !== undefined) {
      p.isRename = true;
      newSide.set(nameOf(extendedName(v, strip), i), i);
    } else if ((v = after('similarity index ') ?? after('dissimilarity index ')) !== undefined) {
      if (!/^\d{1,3}%$/.test(v)) fail(i, `malformed similarity "${v}"`);
    } else if ((v = after('index ')) !== undefined) {
      const m = /^[0-9a-f]+\.\.[0-9a-f]+(?: ([0-7]+))?$/.exec(v);
      if (!m) fail(i, `malformed index line "${v}"`);
      if (m[1] !== undefined) p.indexMode = parseMode(m[1], i);
    } else break;
  }
  if (p.isRename && p.isCopy) fail(start, 'a patch that both renames and copies');
  if (p.isNew && p.isDelete) fail(start, 'a patch that both creates and deletes');
  if (p.isNew && oldSide.known) fail(start, 'a new file with an old name');
  if (p.isDelete && newSide.known) fail(start, 'a deleted file with a new name');
  if ((oldDevNull !== undefined && oldDevNull !== p.isNew) || (newDevNull !== undefined && newDevNull !== p.isDelete)) {
    // git accepts `/dev/null` only together with `new file mode` / `deleted file mode`.
    fail(start, '/dev/null without a matching new or deleted file mode');
  }
  // The diff --git line names the file when nothing else does; when other headers do,
  // their reading must be one the diff --git line allows, or a reviewer and git could
  // read two different patches.
  const equalNames = [...new Set(pairs.filter(([a, b]) => a !== null && a === b).map(([a]) => a!))];
  if (!oldSide.known && !newSide.known) {
    if (equalNames.length !== 1) fail(start, 'diff --git line without one clear file name');
    if (!p.isNew) oldSide.set(equalNames[0]!, start);
    if (!p.isDelete) newSide.set(equalNames[0]!, start);
  }
  if ((!p.isNew && oldSide.name === null) || (!p.isDelete && newSide.name === null)) {
    fail(start, 'file header lacks a file name');
  }
  const a = oldSide.name ?? newSide.name;
  const b = newSide.name ?? oldSide.name;
  if (!pairs.some(([x, y]) => x === a && y === b)) {
    fail(start, `diff --git line does not name "${String(a)}" and "${String(b)}"`);
  }
  if ((p.isRename || p.isCopy) && (oldSide.name === null || newSide.name === null)) fail(start, 'rename or copy without both names');
  p.oldName = p.isNew ? null : oldSide.name;
  p.newName = p.isDelete ? null : newSide.name;
  const next = i < lines.length ? headerText(lines[i]!) : '';
  if (next.startsWith('@@ -')) i = readHunks(lines, i);
  else if (next === 'GIT binary patch') {
    p.binary = true;
    i = readBinary(lines, i + 1);
  } else if (next.startsWith('Binary files ') && next.endsWith(' differ')) {
    p.binary = true;
    i++;
  }
  out.push(p);
  return i;
}

function readTraditionalPatch(lines: string[], start: number, strip: number, out: FilePatch[]): number {
  const first = headerText(lines[start]!).slice(4);
  const secondLine = start + 1 < lines.length ? headerText(lines[start + 1]!) : '';
  if (!secondLine.startsWith('+++ ')) fail(start, '"---" line not followed by "+++"');
  if (start + 2 >= lines.length || !lines[start + 2]!.startsWith('@@ -')) fail(start, 'file header not followed by a hunk');
  const second = secondLine.slice(4);
  const oldName = isDevNull(first) ? null : nameOf(headerName(first, strip, true), start);
  const newName = isDevNull(second) ? null : nameOf(headerName(second, strip, true), start + 1);
  if (!isDevNull(first) && oldName === null) fail(start, 'file header lacks a file name');
  if (!isDevNull(second) && newName === null) fail(start + 1, 'file header lacks a file name');
  if (oldName === null && newName === null) fail(start, 'both sides are /dev/null');
  // git picks one of two differing names by length; AEX does not guess.
  if (oldName !== null && newName !== null && oldName !== newName) fail(start, `old name "${oldName}" and new name "${newName}" differ`);
  out.push({
    oldName,
    newName,
    isNew: oldName === null,
    isDelete: newName === null,
    isRename: false,
    isCopy: false,
    binary: false,
  });
  return readHunks(lines, start + 2);
}

/** The files of the patches with their kinds, in patch order. */
function filesOf(patches: FilePatch[]): PatchFile[] {
  const files: PatchFile[] = [];
  for (const p of patches) {
    if (p.isNew) files.push({ path: p.newName!, kind: 'create' });
    else if (p.isDelete) files.push({ path: p.oldName!, kind: 'delete' });
    else if (p.isRename) files.push({ path: p.oldName!, kind: 'rename-from' }, { path: p.newName!, kind: 'rename-to' });
    else if (p.isCopy) files.push({ path: p.oldName!, kind: 'copy-from' }, { path: p.newName!, kind: 'copy-to' });
    else files.push({ path: p.newName!, kind: 'modify' });
    if (p.newName !== null && p.oldMode !== undefined && p.newMode !== undefined && p.oldMode !== p.newMode) {
      files.push({ path: p.newName, kind: 'mode' });
    }
    if (p.newName !== null && createsSymlink(p)) files.push({ path: p.newName, kind: 'symlink' });
  }
  return files;
}

/**
 * A patch leaves a symlink at its new name when it creates one, changes a file into
 * one, or renames, copies or retargets one (an `index … 120000` line): each of these
 * decides where the link points, so each needs `allow file.symlink`.
 */
export function createsSymlink(p: FilePatch): boolean {
  return p.newMode === SYMLINK_MODE || (p.indexMode === SYMLINK_MODE && !p.isDelete);
}

/** Files a patch writes (every kind but `copy-from`, which is only read). */
export function writtenFiles(reading: { files: PatchFile[] }): string[] {
  return [...new Set(reading.files.filter((f) => f.kind !== 'copy-from').map((f) => f.path))];
}

/** Files a patch only reads: copy sources. */
export function readFiles(reading: { files: PatchFile[] }): string[] {
  const written = new Set(writtenFiles(reading));
  return [...new Set(reading.files.filter((f) => f.kind === 'copy-from' && !written.has(f.path)).map((f) => f.path))];
}

/** Paths the patch turns into symlinks (or whose link target it sets). */
export function symlinkFiles(reading: { files: PatchFile[] }): string[] {
  return [...new Set(reading.files.filter((f) => f.kind === 'symlink').map((f) => f.path))];
}
