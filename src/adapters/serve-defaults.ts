// Where `aex serve` listens and keeps its token unless told otherwise; `aex init --serve`
// wires hooks to the same places.

import path from 'node:path';
import { stateDirectory } from '../runtime/state-dir.js';

export const DEFAULT_LISTEN = '127.0.0.1:7345';

/** The bearer token file: in AEX's state folder, which no agent action may write. */
export function defaultTokenFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(stateDirectory(env), 'serve.token');
}
