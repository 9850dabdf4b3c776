// The tool registry contract (docs/design.md#runtime-semantics "Tool handler contract", docs/cli.md).

export interface ToolContext {
  /** The root every built-in tool is confined to (the run's working directory). */
  cwd: string;
  signal?: AbortSignal;
}

export type ToolHandler = (args: Record<string, unknown>, ctx: ToolContext) => Promise<unknown>;

export type SideEffect = 'none' | 'read' | 'write';

/** A registry entry: a bare handler, or a handler with (informational) metadata. */
export type ToolEntry = ToolHandler | { handler: ToolHandler; sideEffect?: SideEffect; description?: string };

export type ToolRegistry = Record<string, ToolEntry>;

/** The handler of `name`, or undefined when the registry has none (AEX052). */
export function resolveTool(registry: ToolRegistry, name: string): ToolHandler | undefined {
  if (!Object.prototype.hasOwnProperty.call(registry, name)) return undefined;
  const entry = registry[name];
  if (typeof entry === 'function') return entry;
  if (entry && typeof entry === 'object' && typeof entry.handler === 'function') return entry.handler;
  return undefined;
}

/** The declared side effect of a registry entry (`write` when unknown). */
export function toolSideEffect(registry: ToolRegistry, name: string): SideEffect | undefined {
  if (!Object.prototype.hasOwnProperty.call(registry, name)) return undefined;
  const entry = registry[name];
  if (typeof entry === 'function') return 'write';
  return entry?.sideEffect ?? 'write';
}
