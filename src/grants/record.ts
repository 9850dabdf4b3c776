// The grant file (docs/grants.md): one JSON file per grant, `grants/<id>.json` in the
// project's state folder, which no agent action may write (it is protected state).
// A file is trusted only when every field checks out; anything else is ignored, which
// is the safe direction: a grant can only widen what the policy allows.

import type { RuleSpec, WhereTest } from '../rules/types.js';
import { formatRule } from '../rules/format.js';
import { ruleProblem } from '../rules/check-rule.js';
import { grantRuleProblem } from '../runtime/kernel/grants.js';

export const GRANT_FORMAT = 1;

/** `g-` and 16 lowercase hex digits (64 random bits). */
export const GRANT_ID = /^g-[0-9a-f]{16}$/;

export interface GrantRecord {
  aex_grant: typeof GRANT_FORMAT;
  id: string;
  /** The granted rule as written (`shell.exec:"npm test"`), the same text formatRule gives `spec`. */
  rule: string;
  /** The rule as the kernel reads it. */
  spec: RuleSpec;
  /** The project root's path the grant was made for. */
  root: string;
  created_at: string;
  expires_at: string;
  /** Only calls of this session (the host's session id) may use it. */
  session?: string;
}

const SPEC_KEYS = new Set(['tool', 'path', 'command', 'host', 'url', 'where']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The rule a record carries, rebuilt field by field, or null when any field is off. */
function specOf(raw: unknown): RuleSpec | null {
  if (!isPlainObject(raw)) return null;
  for (const k of Object.keys(raw)) if (!SPEC_KEYS.has(k)) return null;
  if (typeof raw.tool !== 'string') return null;
  const spec: RuleSpec = { tool: raw.tool };
  for (const k of ['path', 'command', 'host', 'url'] as const) {
    const v = raw[k];
    if (v === undefined) continue;
    if (typeof v !== 'string') return null;
    spec[k] = v;
  }
  if (raw.where !== undefined) {
    if (!Array.isArray(raw.where)) return null;
    spec.where = raw.where as WhereTest[];
  }
  return spec;
}

/** Why a rule may not be granted, or null (the kernel's bound and the rule library's checks). */
export function grantableProblem(spec: RuleSpec): string | null {
  const bound = grantRuleProblem(spec);
  if (bound) return bound;
  const p = ruleProblem(spec);
  return p ? p.message : null;
}

/** A record read from a grant file, or null when it cannot be trusted. */
export function parseGrantRecord(text: string, fileId: string): GrantRecord | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isPlainObject(raw) || raw.aex_grant !== GRANT_FORMAT) return null;
  if (typeof raw.id !== 'string' || !GRANT_ID.test(raw.id) || raw.id !== fileId) return null;
  if (typeof raw.rule !== 'string' || typeof raw.root !== 'string') return null;
  if (typeof raw.created_at !== 'string' || typeof raw.expires_at !== 'string') return null;
  if (!Number.isFinite(Date.parse(raw.expires_at)) || !Number.isFinite(Date.parse(raw.created_at))) return null;
  if (raw.session !== undefined && (typeof raw.session !== 'string' || raw.session === '')) return null;
  const spec = specOf(raw.spec);
  if (!spec) return null;
  // What the person was shown is what the kernel enforces.
  if (formatRule(spec) !== raw.rule) return null;
  try {
    if (grantableProblem(spec) !== null) return null;
  } catch {
    return null;
  }
  const out: GrantRecord = {
    aex_grant: GRANT_FORMAT,
    id: raw.id,
    rule: raw.rule,
    spec,
    root: raw.root,
    created_at: raw.created_at,
    expires_at: raw.expires_at,
  };
  if (typeof raw.session === 'string') out.session = raw.session;
  return out;
}
