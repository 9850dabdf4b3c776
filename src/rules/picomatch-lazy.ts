import { createRequire } from 'node:module';
import type picomatchType from 'picomatch';

// picomatch is loaded on first use: most gate decisions involve no path rule, and
// `aex gate` pays for every module it loads on each agent tool call.
const require = createRequire(import.meta.url);
let cached: typeof picomatchType | undefined;

export function loadPicomatch(): typeof picomatchType {
  cached ??= require('picomatch') as typeof picomatchType;
  return cached;
}
