// What a file or folder looks like to stat(2), as one comparable string: device, inode,
// size, link count, modification and change times in nanoseconds. Two equal stamps mean
// nothing observable through stat changed; long-running surfaces use them to decide
// whether what they read from a path is still current (a kept policy, a grants folder).

import { statSync } from 'node:fs';

export interface FileStamp {
  /** The stamp; 'missing' when there is nothing at the path. */
  id: string;
  /** The later of the modification and change times, in ms (0 when missing). */
  changedMs: number;
}

/** The stamp of `file`, or undefined when it cannot be inspected (not a missing file: an error). */
export function fileStamp(file: string): FileStamp | undefined {
  try {
    // A missing file answers without an exception (building one costs more than the stat).
    const st = statSync(file, { bigint: true, throwIfNoEntry: false });
    if (st === undefined) return { id: 'missing', changedMs: 0 };
    const changed = st.mtimeNs > st.ctimeNs ? st.mtimeNs : st.ctimeNs;
    return { id: `${st.dev}:${st.ino}:${st.size}:${st.nlink}:${st.mtimeNs}:${st.ctimeNs}`, changedMs: Number(changed / 1_000_000n) };
  } catch {
    return undefined;
  }
}
