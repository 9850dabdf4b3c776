// The authoring tests share the CLI runner of tests/cli/helpers.ts.
import { tempDir as sharedTempDir } from '../cli/helpers.js';

export { aex, BIN, ROOT, type CliResult } from '../cli/helpers.js';

export function tempDir(prefix = 'aex-auth-'): string {
  return sharedTempDir(prefix);
}
