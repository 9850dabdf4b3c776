// `where` tests on a call's arguments (docs/language.md). The arguments are walked through
// own properties only: `__proto__` and `constructor` are ordinary keys, and nothing
// inherited from Object.prototype is ever read as an argument.

import type { JsonValue, WhereTest } from './types.js';
import { RuleSyntaxError } from './errors.js';
import { compileWildcard, wildcardMatches } from './wildcard.js';

const ABSENT = Symbol('absent');

function own(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object') return ABSENT;
  if (!Object.prototype.hasOwnProperty.call(obj, key)) return ABSENT;
  const v = (obj as Record<string, unknown>)[key];
  return v === undefined ? ABSENT : v;
}

/** The argument at a path of keys, or ABSENT. */
function argAt(args: unknown, keys: readonly string[]): unknown {
  let v: unknown = args;
  for (const k of keys) {
    v = own(v, k);
    if (v === ABSENT) return ABSENT;
  }
  return v;
}

/** Deep equality of JSON values: objects by their own keys in any order, arrays in order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return a === b;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, k) => jsonEqual(x, bb[k]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function listValue(t: WhereTest): JsonValue[] {
  if (!Array.isArray(t.value)) throw new RuleSyntaxError(`'${t.op}' needs a list, got ${JSON.stringify(t.value)}`);
  return t.value;
}

/** Does one test hold? Absent argument: `==`, `in`, `matches`, `has` false; `!=`, `not in` true. */
export function whereTestHolds(t: WhereTest, args: unknown): boolean {
  if (!Array.isArray(t.arg) || t.arg.length === 0) throw new RuleSyntaxError('where test without an argument');
  const v = argAt(args, t.arg);
  switch (t.op) {
    case '==':
      return v !== ABSENT && jsonEqual(v, t.value);
    case '!=':
      return v === ABSENT || !jsonEqual(v, t.value);
    case 'in': {
      const list = listValue(t);
      return v !== ABSENT && list.some((x) => jsonEqual(v, x));
    }
    case 'not in': {
      const list = listValue(t);
      return v === ABSENT || !list.some((x) => jsonEqual(v, x));
    }
    case 'matches':
      if (typeof t.value !== 'string') throw new RuleSyntaxError(`'matches' needs a string glob, got ${JSON.stringify(t.value)}`);
      // A string is not a path: `*` spans any characters, `/` included.
      return typeof v === 'string' && wildcardMatches(compileWildcard(t.value), v);
    case 'has':
      if (typeof v === 'string') return typeof t.value === 'string' && v.includes(t.value);
      if (Array.isArray(v)) return v.some((x) => jsonEqual(x, t.value));
      return false;
    default:
      throw new RuleSyntaxError(`unknown where operator ${JSON.stringify((t as { op: unknown }).op)}`);
  }
}

/** A conjunction: every test holds. No tests: true. */
export function whereHolds(tests: readonly WhereTest[], args: Record<string, unknown>): boolean {
  return tests.every((t) => whereTestHolds(t, args));
}
