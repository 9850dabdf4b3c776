import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CliError } from './errors.js';
import { BoundedReadError, readBoundedBytes } from '../io/bounded-read.js';
import { writeFileAtomic } from '../io/atomic-write.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a source file as UTF-8 text; user mistakes become one-line CliErrors. Only a
 * regular file of at most 1 MiB is read: a FIFO would hang, a device would never end.
 */
export function readSourceFile(path: string, what = 'source file'): { text: string; bytes: Buffer } {
  let bytes: Buffer;
  try {
    bytes = readBoundedBytes(path, { what });
  } catch (e) {
    if (e instanceof BoundedReadError && e.code !== 'ENOENT' && e.code !== 'EACCES' && e.code !== 'EPERM') throw new CliError(`${path}: ${e.reason}`);
    throw ioError(path, e);
  }
  if (bytes.includes(0)) throw new CliError(`${path}: not a text file (it contains NUL bytes)`);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new CliError(`${path}: not a UTF-8 text file`);
  }
  return { text, bytes };
}

export function ioError(path: string, e: unknown): CliError {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return new CliError(`${path}: no such file or directory`);
    case 'EACCES':
    case 'EPERM':
      return new CliError(`${path}: permission denied`);
    case 'EISDIR':
      return new CliError(`${path}: is a directory, expected a file`);
    default:
      return new CliError(`${path}: ${(e as Error).message}`);
  }
}

/** Expands files and directories (recursively, `*.aex`) in argument order. */
export function collectAexFiles(paths: string[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw ioError(p, e);
    }
    if (st.isDirectory()) {
      const found = walkDir(p);
      if (found.length === 0) throw new CliError(`${p}: directory contains no .aex files`);
      out.push(...found);
    } else {
      out.push(p);
    }
  }
  return out;
}

function walkDir(dir: string): string[] {
  const out: string[] = [];
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw ioError(dir, e);
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name === 'node_modules' || e.name === '.git') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walkDir(p));
    else if (e.isFile() && e.name.endsWith('.aex')) out.push(p);
  }
  return out;
}

/** Writes an output file the user named (atomically); a failure is a one-line CliError. */
export function writeOutputFile(path: string, data: string | Buffer): void {
  try {
    writeFileAtomic(path, data);
  } catch (e) {
    throw ioError(path, e);
  }
}
