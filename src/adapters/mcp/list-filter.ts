// Filtering of the lists a server sends (tools, resources, resource templates, prompts):
// the client sees only what the policy could allow, so an agent is not shown tools it
// would only be refused. The meta-tools are appended to the first page of tools/list
// when this proxy offers them and the policy could allow them.

import type { AuditEventData } from '../../runtime/kernel/types.js';
import type { EffectivePermissions } from '../../rules/types.js';
import type { DescribedCall } from '../../describe/types.js';
import type { DescribeInput } from '../../runtime/steps/describe.js';
import { decideCall, toolMayBeAllowed } from '../../runtime/kernel/decide.js';
import { capabilityName, type Naming } from './enforce.js';
import type { ListedMethod } from './methods.js';
import { META_TOOL_DEFS, metaNameOf } from './meta/definitions.js';

export interface ListFilterContext {
  perms: EffectivePermissions;
  naming: Naming;
  describe(input: DescribeInput): Promise<DescribedCall>;
}

const LIST_KEY: Record<ListedMethod, string> = {
  'tools/list': 'tools',
  'resources/list': 'resources',
  'resources/templates/list': 'resourceTemplates',
  'prompts/list': 'prompts',
};

const EVENT: Record<ListedMethod, string> = {
  'tools/list': 'tools.filtered',
  'resources/list': 'resources.filtered',
  'resources/templates/list': 'resource_templates.filtered',
  'prompts/list': 'prompts.filtered',
};

/** Whether some call of this described capability could be allowed (budget aside). */
async function mayBeAllowed(ctx: ListFilterContext, input: DescribeInput): Promise<boolean> {
  const d = decideCall(ctx.perms, { callsUsed: 0 }, await ctx.describe(input), { free: true });
  return d.verdict === 'allow' || d.verdict === 'confirm';
}

async function keepItem(method: ListedMethod, item: unknown, ctx: ListFilterContext): Promise<{ keep: boolean; label: string }> {
  const o = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : {};
  switch (method) {
    case 'tools/list': {
      const name = o.name;
      if (typeof name !== 'string') return { keep: false, label: String(name) };
      // An upstream tool must not pass itself off as one of AEX's meta-tools.
      if (ctx.naming.meta && metaNameOf(name) !== undefined) return { keep: false, label: name };
      return { keep: toolMayBeAllowed(ctx.perms, capabilityName(ctx.naming, name)), label: name };
    }
    case 'resources/list': {
      const uri = o.uri;
      if (typeof uri !== 'string') return { keep: false, label: String(uri) };
      return { keep: await mayBeAllowed(ctx, { tool: capabilityName(ctx.naming, 'resources.read'), args: { uri }, mcp: true }), label: uri };
    }
    case 'resources/templates/list': {
      const t = typeof o.uriTemplate === 'string' ? o.uriTemplate : String(o.uriTemplate);
      return { keep: toolMayBeAllowed(ctx.perms, capabilityName(ctx.naming, 'resources.read')), label: t };
    }
    case 'prompts/list': {
      const name = o.name;
      if (typeof name !== 'string') return { keep: false, label: String(name) };
      return { keep: await mayBeAllowed(ctx, { tool: capabilityName(ctx.naming, 'prompts.get'), args: { name }, mcp: true }), label: name };
    }
  }
}

/**
 * The filtered copy of a list response, and its audit event. A response that is not a
 * list (an error, or no array where the list should be) is returned unchanged.
 */
export async function filterListResponse(
  method: ListedMethod,
  response: Record<string, unknown>,
  hadCursor: boolean,
  ctx: ListFilterContext,
): Promise<{ response: Record<string, unknown>; event?: AuditEventData }> {
  const result = response.result;
  if (result === null || typeof result !== 'object' || Array.isArray(result)) return { response };
  const key = LIST_KEY[method];
  const items = (result as Record<string, unknown>)[key];
  if (!Array.isArray(items)) return { response };
  const kept: unknown[] = [];
  const removed: string[] = [];
  for (const item of items) {
    const { keep, label } = await keepItem(method, item, ctx);
    if (keep) kept.push(item);
    else removed.push(label);
  }
  const event: AuditEventData = { event: EVENT[method], total: items.length, allowed: kept.length, removed };
  if (method === 'tools/list') {
    const metas = ctx.naming.meta && !hadCursor ? META_TOOL_DEFS.filter((m) => toolMayBeAllowed(ctx.perms, m.canonical)).map((m) => m.tool) : [];
    kept.push(...metas);
    event.meta_tools = metas.length;
  }
  return { response: { ...response, result: { ...(result as Record<string, unknown>), [key]: kept } }, event };
}
