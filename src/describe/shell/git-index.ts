// The paths git's index tracks, read from the index file (versions 2 to 4) without running
// git: `git diff` can print only tracked files. null means "cannot tell" (an unreadable or
// unusual index, a SHA-256 repository, too many entries to list), and the caller then
// treats every file of the repository as possibly read.

import fs from 'node:fs';
import path from 'node:path';

const MAX_ENTRIES = 2000;

/** Tracked paths relative to the repository root (directories of a sparse index end in `/`); [] without an index. */
export function trackedPaths(root: string): string[] | null {
  const gitDir = gitDirectory(root);
  if (gitDir === null) return null;
  let data: Buffer;
  try {
    data = fs.readFileSync(path.join(gitDir, 'index'));
  } catch (error) {
    // No index: nothing is tracked yet, so a working-tree diff prints nothing.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' && headIsUnborn(gitDir) ? [] : null;
  }
  if (usesOtherHash(gitDir)) return null;
  return parseIndex(data);
}

function gitDirectory(root: string): string | null {
  const dotGit = path.join(root, '.git');
  try {
    const stat = fs.statSync(dotGit);
    if (stat.isDirectory()) return dotGit;
    const line = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(dotGit, 'utf8'));
    return line ? path.resolve(root, line[1]!) : null;
  } catch {
    return null;
  }
}

/** Without commits and without an index there is nothing to compare; a missing index with commits is unusual. */
function headIsUnborn(gitDir: string): boolean {
  try {
    const head = fs.readFileSync(path.join(gitDir, 'HEAD'), 'utf8').trim();
    if (!head.startsWith('ref: ')) return false;
    const ref = head.slice(5);
    if (fs.existsSync(path.join(gitDir, ref))) return false;
    const packed = fs.existsSync(path.join(gitDir, 'packed-refs')) ? fs.readFileSync(path.join(gitDir, 'packed-refs'), 'utf8') : '';
    return !packed.includes(` ${ref}\n`) && !packed.endsWith(` ${ref}`);
  } catch {
    // No HEAD at all: git does not take this for a repository and prints nothing.
    return !fs.existsSync(path.join(gitDir, 'HEAD'));
  }
}

function usesOtherHash(gitDir: string): boolean {
  try {
    return /objectformat/i.test(fs.readFileSync(path.join(gitDir, 'config'), 'utf8'));
  } catch {
    return false;
  }
}

export function parseIndex(data: Buffer): string[] | null {
  if (data.length < 12 || data.toString('latin1', 0, 4) !== 'DIRC') return null;
  const version = data.readUInt32BE(4);
  const count = data.readUInt32BE(8);
  if (version < 2 || version > 4 || count > MAX_ENTRIES) return null;
  const names: string[] = [];
  let offset = 12;
  let previous: Buffer = Buffer.alloc(0);
  for (let n = 0; n < count; n++) {
    const start = offset;
    if (offset + 62 > data.length) return null;
    const mode = data.readUInt32BE(offset + 24);
    const flags = data.readUInt16BE(offset + 60);
    offset += 62;
    if (flags & 0x4000) {
      if (version < 3) return null;
      offset += 2;
    }
    let name: Buffer;
    if (version === 4) {
      const strip = varint(data, offset);
      if (strip === null || strip.value > previous.length) return null;
      offset = strip.next;
      const end = data.indexOf(0, offset);
      if (end < 0) return null;
      name = Buffer.concat([previous.subarray(0, previous.length - strip.value), data.subarray(offset, end)]);
      offset = end + 1;
    } else {
      const end = data.indexOf(0, offset);
      if (end < 0) return null;
      name = data.subarray(offset, end);
      // Entries are padded with 1 to 8 NULs to a multiple of eight bytes.
      offset = start + Math.ceil((end - start + 1) / 8) * 8;
    }
    previous = name;
    const text = name.toString('utf8');
    const bare = text.endsWith('/') ? text.slice(0, -1) : text;
    if (bare === '' || bare.startsWith('/') || bare.split('/').some((p) => p === '..' || p === '.' || p === '' || p === '.git')) return null;
    names.push((mode & 0o170000) === 0o040000 ? text + '/' : text);
  }
  return [...new Set(names)];
}

function varint(data: Buffer, offset: number): { value: number; next: number } | null {
  if (offset >= data.length) return null;
  let c = data[offset++]!;
  let value = c & 127;
  while (c & 128) {
    if (offset >= data.length || value > 1 << 24) return null;
    c = data[offset++]!;
    value = ((value + 1) << 7) + (c & 127);
  }
  return { value, next: offset };
}
