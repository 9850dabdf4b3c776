// Which JSON-RPC methods the proxy gates, and the look-alikes it refuses. A server might
// route `Tools/call` or `tools/call ` to its tool handler (case-insensitive or trimming
// routers exist), so a method that differs from a gated one only in case, spacing or
// punctuation is refused instead of being forwarded ungated.

/** Client → server methods that run something on the server and are judged by the policy. */
export const GATED_METHODS = ['tools/call', 'resources/read', 'resources/subscribe', 'prompts/get', 'completion/complete'] as const;
export type GatedMethod = (typeof GATED_METHODS)[number];

/** Server → client list results the proxy filters, by the request method. */
export const LISTED_METHODS = ['tools/list', 'resources/list', 'resources/templates/list', 'prompts/list'] as const;
export type ListedMethod = (typeof LISTED_METHODS)[number];

const GATED = new Set<string>(GATED_METHODS);
const LISTED = new Set<string>(LISTED_METHODS);

/** Letters only, lower case: `Tools/Call`, `tools/call `, `tools.call` and `tools_call` all become `toolscall`. */
function skeleton(method: string): string {
  return method.normalize('NFKC').toLowerCase().replace(/[^a-z]/g, '');
}

const GUARDED_SKELETONS = new Map<string, string>([...GATED_METHODS, ...LISTED_METHODS].map((m) => [skeleton(m), m]));

export function isGatedMethod(method: string): method is GatedMethod {
  return GATED.has(method);
}

export function isListedMethod(method: string): method is ListedMethod {
  return LISTED.has(method);
}

/** The gated or filtered method `method` imitates without being it, if any. */
export function lookalikeOf(method: string): string | undefined {
  if (GATED.has(method) || LISTED.has(method)) return undefined;
  return GUARDED_SKELETONS.get(skeleton(method));
}
