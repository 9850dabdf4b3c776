import { mkdtempSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function tmpDir(prefix = 'aex-tools-'): string {
  return realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
}
