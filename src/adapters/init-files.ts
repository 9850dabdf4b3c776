// Small file helpers shared by `aex init --claude-code` and `aex init --mcp`:
// JSON read with a clear error. Writes go through src/io/atomic-write.ts.

import { readFileSync } from 'node:fs';

/** What `aex init` passes to a host's set-up. */
export interface HostInitOptions {
  /** `--serve`: wire the host to a running `aex serve` instead of a command hook, where the host can. */
  serve?: boolean;
}

export interface InitResult {
  written: string[];
  skipped: string[];
  messages: string[];
}

/** Parsed JSON object of `file`, undefined when it does not exist; throws on anything else. */
export function readJsonObject(file: string, display: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${display}: ${(err as Error).message}`);
  }
  if (text.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (err) {
    throw new Error(`${display} is not valid JSON (${(err as Error).message}); left unchanged`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error(`${display} must hold a JSON object; left unchanged`);
  return v as Record<string, unknown>;
}
