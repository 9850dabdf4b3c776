// Reading the common fields of a host's hook payload, the same way for Codex, Gemini CLI
// and Cursor: a field that is present but of the wrong kind is an error (the gate then
// blocks), never silently replaced by a default.

import path from 'node:path';
import { HookInputError } from './host-protocol.js';

/** The payload as an object; anything else cannot be read. */
export function payloadObject(payload: unknown): Record<string, unknown> {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new HookInputError('hook input must be a JSON object');
  }
  return payload as Record<string, unknown>;
}

/** A string field; `undefined` when absent; an error when present and not a string. */
export function optionalString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new HookInputError(`hook input field "${key}" must be a string`);
  return v;
}

/** A non-empty string field. */
export function requiredString(o: Record<string, unknown>, key: string): string {
  const v = optionalString(o, key);
  if (v === undefined || v === '') throw new HookInputError(`hook input has no "${key}"`);
  return v;
}

/** An absolute directory field; `undefined` when absent. */
export function optionalAbsolute(o: Record<string, unknown>, key: string): string | undefined {
  const v = optionalString(o, key);
  if (v === undefined || v === '') return undefined;
  if (v.includes('\0') || !path.isAbsolute(v)) throw new HookInputError(`hook input field "${key}" must be an absolute path`);
  return path.resolve(v);
}

/** A null-prototype copy of an object field (`__proto__` stays an ordinary key). */
export function objectField(o: Record<string, unknown>, key: string, opts: { allowMissing?: boolean } = {}): Record<string, unknown> {
  const v = o[key];
  const out = Object.create(null) as Record<string, unknown>;
  if ((v === undefined || v === null) && opts.allowMissing === true) return out;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new HookInputError(`hook input field "${key}" must be an object`);
  for (const k of Object.getOwnPropertyNames(v)) out[k] = (v as Record<string, unknown>)[k];
  return out;
}

/** The listed fields that the host sent, for the audit (strings, numbers and booleans only). */
export function recordedFields(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of keys) {
    const v = o[k];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

/** The answer text of a refusal: AEX's own message, prefixed once. */
export function aexText(message: string): string {
  return message.startsWith('AEX') ? message : `AEX: ${message}`;
}
