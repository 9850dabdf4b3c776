// Reading the live grants of a project (docs/grants.md). Every surface calls
// loadGrants(root, sessionId, now) and hands the result to decideCall as `grants`.
// Imported by the gate on every call: node built-ins and small leaf modules only.

import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectStateDirectory } from '../runtime/state-dir.js';
import type { KernelGrant } from '../runtime/kernel/grants.js';
import { parseGrantRecord, type GrantRecord } from './record.js';

/** A grant file is a few hundred bytes; anything much larger is not one. */
const MAX_GRANT_BYTES = 64 * 1024;

/** At most this many grant files are read; a folder with more is a sign of trouble, not a list. */
export const MAX_GRANTS = 256;

/** `STATE/projects/<sha256 root>/grants/`. */
export function grantsDirectory(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.join(projectStateDirectory(root, env), 'grants');
}

/** Every grant record of the project that can be trusted, expired ones included, oldest first. */
export function readGrantRecords(root: string, env: NodeJS.ProcessEnv = process.env): GrantRecord[] {
  return grantRecordsIn(grantsDirectory(root, env));
}

/** The trusted grant records in a project's grants folder (`dir`), oldest first. */
function grantRecordsIn(dir: string): GrantRecord[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const out: GrantRecord[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort().slice(0, MAX_GRANTS)) {
    const file = path.join(dir, name);
    try {
      // A regular file only: a FIFO or a link elsewhere is not a grant.
      const st = lstatSync(file);
      if (!st.isFile() || st.size > MAX_GRANT_BYTES) continue;
      const record = parseGrantRecord(readFileSync(file, 'utf8'), name.slice(0, -'.json'.length));
      if (record) out.push(record);
    } catch {
      /* unreadable: not a grant */
    }
  }
  return out.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
}

/** A record applies to a session when it names none or names this one. */
function forSession(r: GrantRecord, sessionId: string | undefined): boolean {
  return r.session === undefined || (sessionId !== undefined && r.session === sessionId);
}

/**
 * The grants a call of this session may use at `now` (milliseconds): not expired, made
 * for this project, unscoped or scoped to this session. Never throws: on any trouble
 * there are no grants, and the policy alone decides.
 */
export function loadGrants(root: string, sessionId: string | undefined, now: number = Date.now(), env: NodeJS.ProcessEnv = process.env): KernelGrant[] {
  try {
    return liveGrantsIn(projectStateDirectory(root, env), sessionId, now);
  } catch {
    return [];
  }
}

/**
 * loadGrants for a surface that already knows the project's state folder (the gate and
 * `aex serve` have it for the budget and the audit): the folder is not worked out again.
 */
export function liveGrantsIn(projectState: string, sessionId: string | undefined, now: number = Date.now()): KernelGrant[] {
  return liveGrantsAmong(grantRecordsOfState(projectState), sessionId, now);
}

/** Every trusted grant record in a project's state folder, expired ones included; never throws ([] on trouble). */
export function grantRecordsOfState(projectState: string): GrantRecord[] {
  try {
    return grantRecordsIn(path.join(projectState, 'grants'));
  } catch {
    return [];
  }
}

/**
 * The grants among `records` (grantRecordsOfState) a call of this session may use at `now`.
 * Split from the read so a surface that read the folder for several calls at once (`aex
 * serve`) still judges expiry and session per call.
 */
export function liveGrantsAmong(records: readonly GrantRecord[], sessionId: string | undefined, now: number): KernelGrant[] {
  try {
    const out: KernelGrant[] = [];
    for (const r of records) {
      const expiresAt = Date.parse(r.expires_at);
      if (!(expiresAt > now) || !forSession(r, sessionId)) continue;
      out.push({ id: r.id, rule: r.spec, expiresAt });
    }
    return out;
  } catch {
    return [];
  }
}
