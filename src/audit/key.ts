// The audit key: `--audit-key-file FILE`, else $AEX_AUDIT_KEY_FILE. The file is read bounded
// (a regular file of at most 1 MiB, opened non-blocking so a FIFO cannot hang a surface) and
// its surrounding whitespace trimmed. A key file that cannot be read is an error: a surface
// told to seal its audit never runs unsealed instead. The file is protected state: no agent
// action may write it (auditKeyProtect gives the entry a surface adds to its protect list).

import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { AexError } from '../errors.js';

export const AUDIT_KEY_ENV = 'AEX_AUDIT_KEY_FILE';
export const MAX_KEY_BYTES = 1024 * 1024;

export class AuditKeyError extends AexError {
  override name = 'AuditKeyError';
}

/** Which key file applies: the flag, else the environment variable, else none. */
export function auditKeyFileFrom(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag !== undefined && flag !== '') return flag;
  const fromEnv = env[AUDIT_KEY_ENV];
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : undefined;
}

/** The key bytes of a key file (whitespace around them trimmed). */
export function readAuditKey(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw new AuditKeyError(`cannot read audit key file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new AuditKeyError(`audit key file ${file} is not a regular file`);
    if (st.size > MAX_KEY_BYTES) throw new AuditKeyError(`audit key file ${file} is larger than 1 MiB`);
    // Read one byte past the limit: a file that grew since fstat is still refused.
    const buf = Buffer.alloc(MAX_KEY_BYTES + 1);
    let len = 0;
    for (;;) {
      const n = readSync(fd, buf, len, buf.length - len, null);
      if (n === 0) break;
      len += n;
      if (len > MAX_KEY_BYTES) throw new AuditKeyError(`audit key file ${file} is larger than 1 MiB`);
    }
    const key = Buffer.from(buf.subarray(0, len).toString('utf8').trim(), 'utf8');
    if (key.length === 0) throw new AuditKeyError(`audit key file ${file} is empty`);
    return key;
  } finally {
    closeSync(fd);
  }
}

/** The key named by the flag or the environment, read; undefined when none is configured. */
export function loadAuditKey(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { file: string; key: Buffer } | undefined {
  const named = auditKeyFileFrom(flag, env);
  if (named === undefined) return undefined;
  const file = path.resolve(cwd, named);
  return { file, key: readAuditKey(file) };
}

/** The protected entries for a key file (absolute path; empty without one). */
export function auditKeyProtect(file: string | undefined, cwd = process.cwd()): string[] {
  return file === undefined ? [] : [path.resolve(cwd, file)];
}
