// A person's grants as a long-running surface reads them (one `aex proxy` connection): the
// grants folder is read again only when its stamp (src/io/file-stamp.ts) has changed.
//
// Grants are created as new files (written aside and renamed in) and revoked by removing
// their file (docs/grants.md), so every change to the set of grants changes the folder's
// modification or change time. A folder changed so recently that a second change within
// the file system's timestamp granularity could go unseen is not trusted: it is read
// again on the next call. Expiry is checked on every call against the clock.

import path from 'node:path';
import { fileStamp } from '../io/file-stamp.js';
import { liveGrantsIn } from './load.js';
import type { KernelGrant } from '../runtime/kernel/grants.js';

/** A folder modified less than this long before it was read may change again unseen (coarse timestamps). */
const RACY_MS = 50;

interface Seen {
  /** The folder's stamp when it was read ('missing' when it did not exist). */
  stamp: string;
  /** Every grant the folder held for this session, expired or not. */
  grants: KernelGrant[];
}

/**
 * The grants of `sessionId` in the project state folder `projectState`, read at most once
 * per change of its grants folder. Never throws: on any trouble there are no grants (the
 * policy alone decides), and the folder is read again on the next call.
 */
export function cachedLiveGrants(projectState: string, sessionId: string | undefined, opts: { now?: () => number } = {}): () => KernelGrant[] {
  const clock = opts.now ?? Date.now;
  const dir = path.join(projectState, 'grants');
  let seen: Seen | undefined;
  return () => {
    const now = clock();
    const before = fileStamp(dir);
    if (before === undefined) {
      seen = undefined;
      return [];
    }
    if (seen === undefined || seen.stamp !== before.id) {
      // Every grant of the session, expired or not (a clock before any expiry): expiry is
      // checked on each call below.
      const grants = liveGrantsIn(projectState, sessionId, -Infinity);
      // Trusted for later calls only if the folder is unchanged since, and not racily new.
      const after = fileStamp(dir);
      const settled = after !== undefined && after.id === before.id && now - before.changedMs > RACY_MS;
      seen = settled ? { stamp: before.id, grants } : undefined;
      return grants.filter((g) => g.expiresAt > now);
    }
    return seen.grants.filter((g) => g.expiresAt > now);
  };
}
