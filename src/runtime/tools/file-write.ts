// file.write: every argument shape of the built-in tool, each file written atomically
// (src/io/atomic-write.ts), encodings utf8/base64/hex only; `diff` goes through
// `git apply`, and a patch that does not apply throws instead of half-applying.

import { mkdirSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../../io/atomic-write.js';
import path from 'node:path';
import { confine, ConfinementError, isInside, toolRoot } from './confine.js';
import { applyDiff } from './git-exec.js';
import type { ToolContext } from './types.js';

const ENCODINGS: Record<string, BufferEncoding> = { utf8: 'utf8', 'utf-8': 'utf8', base64: 'base64', hex: 'hex' };

interface PlannedWrite {
  name: string;
  contents: unknown;
  encoding: unknown;
}

function plan(args: Record<string, unknown>): PlannedWrite[] | null {
  const { writes } = args;
  if (Array.isArray(writes)) {
    return writes.map((w, i) => {
      if (typeof w === 'string') return { name: w, contents: args.contents, encoding: args.encoding };
      if (w && typeof w === 'object' && !Array.isArray(w)) {
        const o = w as Record<string, unknown>;
        return { name: o.path as string, contents: o.contents, encoding: o.encoding };
      }
      throw new Error(`writes[${i}] must be a path string or {path, contents, encoding?}.`);
    });
  }
  if (writes && typeof writes === 'object') {
    return Object.entries(writes as Record<string, unknown>).map(([name, v]) => {
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        return { name, contents: o.contents, encoding: o.encoding };
      }
      return { name, contents: v, encoding: undefined };
    });
  }
  if (typeof args.path === 'string') return [{ name: args.path, contents: args.contents, encoding: args.encoding }];
  return null;
}

function toBytes(w: PlannedWrite): Buffer {
  if (typeof w.contents !== 'string') throw new Error(`Contents for "${w.name}" must be a string.`);
  const enc = w.encoding === undefined || w.encoding === null ? 'utf8' : ENCODINGS[String(w.encoding).toLowerCase()];
  if (!enc) throw new Error(`Unsupported encoding "${String(w.encoding)}" for "${w.name}" (use utf8, base64 or hex).`);
  if (enc === 'hex' && !/^([0-9a-fA-F]{2})*$/.test(w.contents)) throw new Error(`Contents for "${w.name}" are not valid hex.`);
  if (enc === 'base64' && !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(w.contents)) throw new Error(`Contents for "${w.name}" are not valid base64.`);
  return Buffer.from(w.contents, enc);
}

export async function fileWrite(args: Record<string, unknown>, ctx: ToolContext): Promise<{ written: string[] } | { applied: true }> {
  const root = toolRoot(ctx);
  const a = args ?? {};
  const writes = plan(a);
  if (writes === null) {
    if (a.diff !== undefined) return applyDiff(a.diff, root, ctx?.signal);
    throw new Error('file.write needs "writes", "path" + "contents", or "diff".');
  }
  if (writes.length === 0) throw new Error('file.write: "writes" is empty.');
  // Check every target and encode every payload before touching the disk.
  const prepared = writes.map((w) => {
    const target = confine(root, w.name);
    let st;
    try {
      st = statSync(target);
    } catch {
      st = undefined;
    }
    if (st?.isDirectory()) throw new Error(`"${w.name}" is a directory.`);
    return { name: w.name, target, data: toBytes(w) };
  });
  for (const p of prepared) {
    const dir = path.dirname(p.target);
    mkdirSync(dir, { recursive: true });
    // Re-check after creating directories: nothing may have redirected them outside.
    const again = confine(root, p.name);
    if (again !== p.target || !isInside(root, again)) throw new ConfinementError(`Path "${p.name}" changed while writing.`);
    writeFileAtomic(p.target, p.data);
  }
  return { written: prepared.map((p) => p.name) };
}
