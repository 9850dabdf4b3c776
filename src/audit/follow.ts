// `aex audit show --follow`: prints the lines appended to audit files as they arrive, by
// reading each file from the offset already shown (polling: it works the same on every
// file system, and an audit file only ever grows).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface FollowOptions {
  intervalMs?: number;
  signal?: AbortSignal;
}

/** Calls `onLine(file, bytes)` for every complete line appended after `offsets[file]`, until aborted. */
export async function followFiles(offsets: Map<string, number>, onLine: (file: string, line: Buffer) => void, opts: FollowOptions = {}): Promise<void> {
  const interval = opts.intervalMs ?? 250;
  const partial = new Map<string, Buffer>();
  while (!opts.signal?.aborted) {
    for (const [file, offset] of offsets) {
      let fd: number;
      try {
        fd = openSync(file, 'r');
      } catch {
        continue; // not there yet (a gate session that has not made its first call)
      }
      try {
        const size = fstatSync(fd).size;
        if (size <= offset) continue;
        const buf = Buffer.alloc(size - offset);
        const n = readSync(fd, buf, 0, buf.length, offset);
        offsets.set(file, offset + n);
        let data = Buffer.concat([partial.get(file) ?? Buffer.alloc(0), buf.subarray(0, n)]);
        for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a)) {
          onLine(file, data.subarray(0, nl));
          data = data.subarray(nl + 1);
        }
        partial.set(file, data);
      } finally {
        closeSync(fd);
      }
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, interval);
      opts.signal?.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      }, { once: true });
    });
  }
}
