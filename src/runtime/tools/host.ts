// `--tools MODULE` (docs/cli.md): an ES module whose default export is a registry.

import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ToolRegistry } from './types.js';

export function isToolRegistry(v: unknown): v is ToolRegistry {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  return Object.values(v as Record<string, unknown>).every(
    (e) => typeof e === 'function' || (!!e && typeof e === 'object' && typeof (e as { handler?: unknown }).handler === 'function'),
  );
}

export async function loadToolsModule(modulePath: string, cwd: string = process.cwd()): Promise<ToolRegistry> {
  const abs = path.resolve(cwd, modulePath);
  let mod: { default?: unknown };
  try {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  } catch (err) {
    throw new Error(`Cannot load tools module ${abs}: ${(err as Error).message}`);
  }
  if (!isToolRegistry(mod.default)) {
    throw new Error(`Tools module ${abs} must have a default export mapping tool names to handlers or {handler, sideEffect}.`);
  }
  return mod.default;
}
