// What decideCall derives from the effective permissions before it judges an action:
// the deny and confirm rules of both layers with their roots, and the protected entries.
// Rebuilding them on every call cost a quarter of a decision, so they are kept per
// EffectivePermissions object (a WeakMap: dropped with the permissions).
//
// Permissions are plain objects that a caller could change between two calls (a rule
// pushed onto a list, a layer swapped). A stale copy could miss a deny rule, so every
// call first compares a fingerprint — every input the preparation reads, by identity —
// with the one the copy was made from, and prepares again when anything differs.

import path from 'node:path';
import type { EffectivePermissions, PermissionLayer, RuleSpec } from '../../rules/types.js';
import { protectedEntries } from './protected.js';

/** A rule with the layer it belongs to and the root its relative globs are read against. */
export interface PlacedRule {
  rule: RuleSpec;
  layer: 'policy' | 'task';
  root: string;
}

export interface Prepared {
  deny: PlacedRule[];
  confirm: PlacedRule[];
  protect: string[];
}

export function layerRoot(layer: PermissionLayer | undefined, perms: EffectivePermissions): string {
  return layer?.root ?? perms.cwd;
}

/**
 * Deny or confirm rules of both layers, task first, each with its root. Rules that only
 * the merged list holds (permissions built by hand) count as policy rules.
 */
export function placedRules(perms: EffectivePermissions, which: 'deny' | 'confirm'): PlacedRule[] {
  const out: PlacedRule[] = [];
  const seen = new Set<RuleSpec>();
  for (const [layer, kind] of [[perms.task, 'task'], [perms.policy, 'policy']] as const) {
    if (!layer) continue;
    for (const rule of layer[which]) {
      seen.add(rule);
      out.push({ rule, layer: kind, root: layerRoot(layer, perms) });
    }
  }
  for (const rule of perms[which] ?? []) if (!seen.has(rule)) out.push({ rule, layer: 'policy', root: perms.cwd });
  return out;
}

function prepare(perms: EffectivePermissions, extra: readonly string[] | undefined): Prepared {
  return { deny: placedRules(perms, 'deny'), confirm: placedRules(perms, 'confirm'), protect: protectedEntries(perms, extra) };
}

/** A rule list's identity, length and every element, so an in-place change shows too. */
function pushList(out: unknown[], list: readonly unknown[] | undefined): void {
  out.push(list, list?.length);
  if (list) for (const item of list) out.push(item);
}

/**
 * Every value prepare() reads, in a fixed order. Rules are compared by identity: a
 * RuleSpec is data the compiler made, and the matchers read its fields afresh anyway.
 */
function fingerprint(perms: EffectivePermissions, extra: readonly string[] | undefined): unknown[] {
  const out: unknown[] = [perms.cwd, perms.task, perms.policy];
  for (const layer of [perms.task, perms.policy]) {
    if (!layer) continue;
    out.push(layer.kind, layer.root, layer.file);
    pushList(out, layer.deny);
    pushList(out, layer.confirm);
    pushList(out, layer.files);
  }
  pushList(out, perms.deny);
  pushList(out, perms.confirm);
  // The extra entries by value only: surfaces build this short list of strings afresh for
  // every call, and comparing the list's identity would prepare everything again each time.
  out.push(extra?.length);
  if (extra) for (const e of extra) out.push(e);
  return out;
}

function sameList(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Roots that resolve against the process's working directory are never kept. */
function rootsAreAbsolute(perms: EffectivePermissions): boolean {
  if (typeof perms.cwd !== 'string' || !path.isAbsolute(perms.cwd)) return false;
  for (const layer of [perms.task, perms.policy]) {
    if (layer?.root !== undefined && (typeof layer.root !== 'string' || !path.isAbsolute(layer.root))) return false;
    if (layer?.file !== undefined && (typeof layer.file !== 'string' || !path.isAbsolute(layer.file))) return false;
    for (const f of layer?.files ?? []) if (typeof f !== 'string' || !path.isAbsolute(f)) return false;
  }
  return true;
}

const cache = new WeakMap<EffectivePermissions, { key: unknown[]; value: Prepared }>();

/** The prepared rules and entries for these permissions and extra protected entries. */
export function preparedFor(perms: EffectivePermissions, extra: readonly string[] | undefined): Prepared {
  if (typeof perms !== 'object' || perms === null || !rootsAreAbsolute(perms)) return prepare(perms, extra);
  const key = fingerprint(perms, extra);
  const hit = cache.get(perms);
  if (hit && sameList(hit.key, key)) return hit.value;
  const value = prepare(perms, extra);
  cache.set(perms, { key, value });
  return value;
}
