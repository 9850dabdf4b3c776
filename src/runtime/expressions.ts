// Value resolution (docs/design.md#runtime-semantics, docs/language.md): lexical scope lookup, path segments through
// plain objects and arrays, and the undefined → null conversion at every boundary.

import type { Expr, JsonValue, RefExpr } from '../ir/types.js';
import type { RunState } from './steps/types.js';

const hasOwn = Object.prototype.hasOwnProperty;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Finds the innermost scope binding `name`; undefined when no scope has it. */
export function lookupName(state: RunState, name: string): unknown {
  const scopes = state.scopes;
  for (let i = scopes.length - 1; i >= 0; i--) {
    const s = scopes[i]!;
    if (hasOwn.call(s, name)) return s[name];
  }
  return undefined;
}

/** Resolves a reference: root by scope lookup, then each path segment. Missing → undefined. */
export function resolveRef(ref: RefExpr, state: RunState): unknown {
  let v: unknown = lookupName(state, ref.ref);
  const path = ref.path;
  if (path === undefined) return v;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(v) || !Number.isInteger(seg) || seg < 0 || seg >= v.length) return undefined;
      v = v[seg];
    } else {
      if (!isPlainObject(v) || !hasOwn.call(v, seg)) return undefined;
      v = v[seg];
    }
  }
  return v;
}

/** The source text of a reference (`failure.exitCode`), used as a name in requests and events. */
export function refText(ref: RefExpr): string {
  return ref.path && ref.path.length ? `${ref.ref}.${ref.path.join('.')}` : ref.ref;
}

/** Evaluates an expression to a JSON value; undefined anywhere becomes null. */
export function evalExpr(expr: Expr, state: RunState): JsonValue {
  if ('lit' in expr) return expr.lit;
  if ('ref' in expr) return toJson(resolveRef(expr, state));
  if ('list' in expr) return expr.list.map((e) => evalExpr(e, state));
  // No prototype: a `__proto__` key is a key like any other, never the object's prototype.
  const out = Object.create(null) as Record<string, JsonValue>;
  for (const m of expr.object) out[m.key] = evalExpr(m.value, state);
  return out;
}

/**
 * Makes a value JSON-safe for a boundary (tool arguments, model request, return value,
 * event data): undefined → null, non-finite numbers → null, functions/symbols/bigints → null,
 * and only plain data is kept. Values already JSON are returned as they are (no copy).
 */
export function toJson(v: unknown): JsonValue {
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) ? v : null;
    case 'object':
      break;
    default:
      return null;
  }
  if (Array.isArray(v)) {
    let copy: JsonValue[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const e = v[i];
      const j = toJson(e);
      if (j !== e && copy === undefined) copy = v.slice(0, i) as JsonValue[];
      if (copy !== undefined) copy.push(j);
    }
    return copy ?? (v as JsonValue[]);
  }
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return toJson((v as { toJSON: () => unknown }).toJSON());
  }
  const out = Object.create(null) as Record<string, JsonValue>;
  let changed = !isPlainObject(v);
  for (const k of Object.keys(v as object)) {
    const e = (v as Record<string, unknown>)[k];
    const j = toJson(e);
    if (j !== e) changed = true;
    out[k] = j;
  }
  return changed ? out : (v as Record<string, JsonValue>);
}

/** JS-side type name used in AEX031 / AEX049 messages: null, list, or typeof. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v;
}
