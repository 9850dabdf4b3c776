// Input validation against the contract's needs (docs/design.md#runtime-semantics). Only declared needs
// enter the task scope; undeclared keys are ignored and invisible to the contract.

import type { JsonValue, Need, TypeExpr } from '../ir/types.js';
import { typeToString } from '../ir/types.js';
import type { AuditEventData } from './kernel/types.js';
import { toJson, typeName } from './expressions.js';
import { BoundedReadError, readBoundedText } from '../io/bounded-read.js';
import type { BlockReason, Scope } from './steps/types.js';

export interface InputProblem {
  reason: BlockReason;
  event: AuditEventData;
}

export function matchesType(v: unknown, t: TypeExpr): boolean {
  switch (t.base) {
    case 'str':
      return typeof v === 'string';
    case 'num':
      return typeof v === 'number' && Number.isFinite(v);
    case 'int':
      return typeof v === 'number' && Number.isInteger(v);
    case 'bool':
      return typeof v === 'boolean';
    case 'file':
      return typeof v === 'string' && v.length > 0 && !v.includes('\0');
    case 'url': {
      if (typeof v !== 'string') return false;
      try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }
    case 'json':
      return v !== undefined;
    case 'list':
      return Array.isArray(v) && v.every((e) => matchesType(e, t.item));
    default:
      return false;
  }
}

/**
 * Checks `inputs` against `needs`. Returns the task scope (declared needs only; an absent
 * or null optional input is bound to null) and one problem per missing or mistyped input.
 */
export function validateInputs(needs: Need[], inputs: Record<string, unknown>): { scope: Scope; problems: InputProblem[] } {
  const scope: Scope = {};
  const problems: InputProblem[] = [];
  const has = Object.prototype.hasOwnProperty;
  for (const need of needs) {
    const expected = typeToString(need.type) + (need.optional ? '?' : '');
    const present = has.call(inputs, need.name) && inputs[need.name] !== undefined;
    const v = present ? inputs[need.name] : undefined;
    if (!present || (need.optional && v === null)) {
      if (need.optional) {
        scope[need.name] = null;
        continue;
      }
      problems.push({
        reason: { code: 'AEX030', message: `Missing required input "${need.name}" of type "${expected}".` },
        event: { event: 'input.missing', input: need.name, expected },
      });
      continue;
    }
    if (!matchesType(v, need.type)) {
      const actual = typeName(v);
      problems.push({
        reason: { code: 'AEX031', message: `Input "${need.name}" expected ${expected}, got ${actual}.` },
        event: { event: 'input.invalid', input: need.name, expected, actual },
      });
      continue;
    }
    scope[need.name] = toJson(v) as JsonValue;
  }
  return { scope, problems };
}

/**
 * The inputs of a run from a JSON file (`--inputs FILE`): read with the bounded reader
 * (a regular file of at most 1 MiB, never a FIFO or device), and it must hold an object.
 * Throws an Error whose message says which file and why.
 */
export function readInputsFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readBoundedText(file, { what: 'inputs file' });
  } catch (err) {
    if (err instanceof BoundedReadError && err.code === 'ENOENT') throw new Error(`Inputs file not found: ${file}`);
    throw err;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`Cannot read inputs ${file}: ${(err as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new Error('Inputs JSON must be an object.');
  return doc as Record<string, unknown>;
}
