// The gate core's file-system lookups for one request of `aex serve`, shared with the other
// requests that had arrived before each read was made (read-after-receipt.ts says why that
// gives the answer of a fresh read). What is shared: the real path of the cwd and of the
// project folder, the project-root walk (every candidate policy file of every ancestor),
// policy discovery in the root, the stamps that say whether a kept policy is current, and
// the grants folder. What is not: anything a call's description reads (its own paths), the
// budget ledger and the audit (read under the session lock by the group commit).

import { freshLookups, type GateLookups } from '../gate/core.js';
import { grantRecordsOfState, liveGrantsAmong } from '../grants/load.js';
import { stampOf } from './policy-memory.js';
import type { ReadAfterReceipt } from './read-after-receipt.js';

export interface RequestLookups extends GateLookups {
  /** A file's stamp for PolicyMemory.loadWith. */
  stamp(file: string): string;
}

export function sharedLookups(memo: ReadAfterReceipt, since: number): RequestLookups {
  return {
    existingDirectory: (dir, what, base) => memo.get(`dir\0${base}\0${dir}\0${what}`, since, () => freshLookups.existingDirectory(dir, what, base)),
    projectRootOf: (cwd) => memo.get(`root\0${cwd}`, since, () => freshLookups.projectRootOf(cwd)),
    discoverPolicy: (root) => memo.get(`policy\0${root}`, since, () => freshLookups.discoverPolicy(root)),
    // The folder is shared; expiry and the session are judged per call.
    liveGrants: (state, sessionId, now) => liveGrantsAmong(memo.get(`grants\0${state}`, since, () => grantRecordsOfState(state)), sessionId, now),
    stamp: (file) => memo.get(`stamp\0${file}`, since, () => stampOf(file)),
  };
}
