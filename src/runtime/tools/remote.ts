// Remote tool registry (`--registry URL`, docs/design.md#runtime-semantics): GET the registry with
// Accept: application/json; each tool POSTs its args as JSON to its url and returns
// the parsed reply; a non-2xx answer throws. Remote tools never replace built-ins
// unless the host opts in.

import type { SideEffect, ToolHandler, ToolRegistry } from './types.js';

export interface RemoteOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

const SIDE_EFFECTS = new Set(['none', 'read', 'write']);

async function readJson(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  try {
    return text === '' ? null : JSON.parse(text);
  } catch {
    throw new Error(`${what} did not return JSON.`);
  }
}

function remoteHandler(name: string, url: string, doFetch: typeof fetch): ToolHandler {
  return async (args, ctx) => {
    const res = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(args ?? {}),
      ...(ctx?.signal ? { signal: ctx.signal } : {}),
    });
    if (!res.ok) throw new Error(`Remote tool "${name}" failed: HTTP ${res.status}${res.statusText ? ' ' + res.statusText : ''}`);
    return readJson(res, `Remote tool "${name}"`);
  };
}

/** Fetches a registry document and turns it into a ToolRegistry. */
export async function loadRemoteRegistry(url: string, opts: RemoteOptions = {}): Promise<ToolRegistry> {
  const doFetch = opts.fetch ?? fetch;
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new Error(`Invalid registry URL: ${url}`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new Error(`Registry URL must be http or https: ${url}`);
  const res = await doFetch(base, { headers: { accept: 'application/json' }, ...(opts.signal ? { signal: opts.signal } : {}) });
  if (!res.ok) throw new Error(`Registry ${url} answered HTTP ${res.status}.`);
  const body = (await readJson(res, `Registry ${url}`)) as { tools?: unknown } | null;
  if (!body || typeof body !== 'object' || !body.tools || typeof body.tools !== 'object' || Array.isArray(body.tools)) {
    throw new Error(`Registry ${url} must return {"tools": {NAME: {url, sideEffect?, description?}}}.`);
  }
  const out: ToolRegistry = {};
  for (const [name, entry] of Object.entries(body.tools as Record<string, unknown>)) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as { url?: unknown; sideEffect?: unknown; description?: unknown };
    if (typeof e.url !== 'string' || e.url === '') continue;
    const toolUrl = new URL(e.url, base);
    if (toolUrl.protocol !== 'http:' && toolUrl.protocol !== 'https:') continue;
    const sideEffect: SideEffect = typeof e.sideEffect === 'string' && SIDE_EFFECTS.has(e.sideEffect) ? (e.sideEffect as SideEffect) : 'write';
    out[name] = {
      handler: remoteHandler(name, toolUrl.href, doFetch),
      sideEffect,
      ...(typeof e.description === 'string' ? { description: e.description } : {}),
    };
  }
  return out;
}

/**
 * Layers registries: built-ins, overlaid by host tools, overlaid by remote tools —
 * except that a remote tool never replaces a built-in unless `remoteOverridesBuiltins`.
 */
export function overlayRegistries(
  builtins: ToolRegistry,
  host: ToolRegistry | undefined,
  remote: ToolRegistry | undefined,
  opts: { remoteOverridesBuiltins?: boolean } = {},
): ToolRegistry {
  const out: ToolRegistry = { ...builtins, ...(host ?? {}) };
  for (const [name, entry] of Object.entries(remote ?? {})) {
    if (!opts.remoteOverridesBuiltins && Object.prototype.hasOwnProperty.call(builtins, name)) continue;
    out[name] = entry;
  }
  return out;
}
