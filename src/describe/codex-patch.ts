// Codex's own patch format (the `apply_patch` tool), read for the files it touches:
//
//   *** Begin Patch
//   *** Add File: PATH        followed by `+` lines (the new file's content)
//   *** Delete File: PATH
//   *** Update File: PATH     optionally followed by `*** Move to: NEW`, then change lines
//   *** End Patch
//
// One parser, and it FAILS CLOSED: a line it cannot place (an unknown header, a stray line
// between file sections, an empty path, a missing Begin/End marker) makes the whole patch
// unreadable, and the describer turns that into an unresolved path that every path rule
// refuses. It reads lines the way Codex does (each line loses one trailing CR, marker lines
// are compared with surrounding whitespace removed, an optional heredoc wrapper
// `<<'EOF' … EOF` around the patch is accepted), so the files it names are the files
// Codex would write.

import { pathAttr, unresolvedPath } from './paths.js';
import type { Action, ActionPath, DescribeContext } from './types.js';

export type CodexPatchFileKind = 'add' | 'delete' | 'update' | 'move-from' | 'move-to';

export interface CodexPatchFile {
  /** As the patch writes it; relative paths start at the directory Codex applies the patch in. */
  path: string;
  kind: CodexPatchFileKind;
}

export type CodexPatchReading = { files: CodexPatchFile[] } | { error: string };

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const ADD = '*** Add File: ';
const DELETE = '*** Delete File: ';
const UPDATE = '*** Update File: ';
const MOVE = '*** Move to: ';
const END_OF_FILE = '*** End of File';

class CodexPatchError extends Error {}

function fail(line: number, why: string): never {
  throw new CodexPatchError(`line ${line + 1}: ${why}`);
}

/** The path after a header prefix; an empty path is unreadable. */
function headerPath(trimmed: string, prefix: string, line: number): string {
  const p = trimmed.slice(prefix.length);
  if (p.trim() === '') fail(line, `"${prefix.trim()}" without a path`);
  return p;
}

/** Removes a `<<EOF` / `<<'EOF'` / `<<"EOF"` … `EOF` wrapper, as Codex does for patches given through a shell. */
function unwrapHeredoc(lines: string[]): string[] {
  if (lines.length < 2) return lines;
  const m = /^<<(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1$/.exec(lines[0]!.trim());
  if (!m || lines[lines.length - 1]!.trim() !== m[2]) return lines;
  return lines.slice(1, -1);
}

/** True for a line that starts a file section (or ends the patch). */
function isSectionStart(trimmed: string): boolean {
  return trimmed.startsWith(ADD) || trimmed.startsWith(DELETE) || trimmed.startsWith(UPDATE) || trimmed === END;
}

/** Reads one `*** Update File:` section's change lines from `start`; returns the next line. */
function readChanges(lines: string[], start: number, end: number, hasMove: boolean, headerLine: number): number {
  let i = start;
  let changes = 0;
  while (i < end) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (isSectionStart(trimmed)) break;
    if (trimmed === END_OF_FILE) {
      i++;
      continue;
    }
    const c = raw[0];
    if (raw === '' || c === ' ' || c === '+' || c === '-' || trimmed === '@@' || raw.startsWith('@@ ')) {
      changes++;
      i++;
      continue;
    }
    fail(i, `"${raw.slice(0, 40)}" is not a change line of an Update File section`);
  }
  if (changes === 0 && !hasMove) fail(headerLine, 'Update File section without changes');
  return i;
}

/** Reads the files of a Codex patch. */
export function parseCodexPatch(text: unknown): CodexPatchReading {
  if (typeof text !== 'string') return { error: 'patch is not a string' };
  if (text.includes('\0')) return { error: 'patch contains a NUL byte' };
  let lines = text
    .trim()
    .split('\n')
    .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  lines = unwrapHeredoc(lines);
  const files: CodexPatchFile[] = [];
  try {
    if (lines.length < 2 || lines[0]!.trim() !== BEGIN) fail(0, `the patch must start with "${BEGIN}"`);
    const last = lines.length - 1;
    if (lines[last]!.trim() !== END) fail(last, `the patch must end with "${END}"`);
    let i = 1;
    while (i < last) {
      const trimmed = lines[i]!.trim();
      if (trimmed.startsWith(ADD)) {
        files.push({ path: headerPath(trimmed, ADD, i), kind: 'add' });
        i++;
        while (i < last && lines[i]!.startsWith('+')) i++;
      } else if (trimmed.startsWith(DELETE)) {
        files.push({ path: headerPath(trimmed, DELETE, i), kind: 'delete' });
        i++;
      } else if (trimmed.startsWith(UPDATE)) {
        const header = i;
        const from = headerPath(trimmed, UPDATE, i);
        i++;
        let hasMove = false;
        if (i < last && lines[i]!.trim().startsWith(MOVE)) {
          const to = headerPath(lines[i]!.trim(), MOVE, i);
          files.push({ path: from, kind: 'move-from' }, { path: to, kind: 'move-to' });
          hasMove = true;
          i++;
        } else {
          files.push({ path: from, kind: 'update' });
        }
        i = readChanges(lines, i, last, hasMove, header);
      } else {
        fail(i, `"${lines[i]!.slice(0, 40)}" is not a file section header`);
      }
    }
  } catch (err) {
    if (err instanceof CodexPatchError) return { error: err.message };
    throw err;
  }
  if (files.length === 0) return { error: 'no file section found' };
  return { files };
}

/**
 * The actions of a Codex patch applied in `base`: one file.write action on every file it
 * adds, deletes, updates, moves from or moves to (the same shape patch-actions.ts gives a
 * unified diff). An unreadable patch is a file.write with an unresolved path.
 */
export function codexPatchActions(text: unknown, base: string, ctx: DescribeContext, args: Record<string, unknown>): Action[] {
  const reading = parseCodexPatch(text);
  if ('error' in reading) {
    return [{ cap: 'file.write', paths: [unresolvedPath('(patch)', `unreadable patch: ${reading.error}`)], args }];
  }
  const seen = new Set<string>();
  const paths: ActionPath[] = [];
  for (const f of reading.files) {
    if (seen.has(f.path)) continue;
    seen.add(f.path);
    paths.push(pathAttr(f.path, base, ctx));
  }
  return [{ cap: 'file.write', paths, args }];
}
