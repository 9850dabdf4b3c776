// Making and revoking grants (`aex grant`, docs/grants.md). Each grant is its own file,
// written atomically and never overwritten (its id is random), so two people granting
// at once cannot lose each other's grant; revoking removes the file. Every change is
// recorded in the project's grant audit, `audit/grants.jsonl` in its state folder.

import { randomBytes } from 'node:crypto';
import { realpathSync, rmSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { parseRuleText } from '../compiler/rule-text.js';
import { formatRule } from '../rules/format.js';
import type { RuleSpec } from '../rules/types.js';
import { appendGateAudit } from '../runtime/audit/gate-audit.js';
import { withSessionLock } from '../runtime/state/budget.js';
import { projectStateDirectory } from '../runtime/state-dir.js';
import { GRANT_FORMAT, GRANT_ID, grantableProblem, type GrantRecord } from './record.js';
import { grantsDirectory, readGrantRecords } from './load.js';
import { DEFAULT_GRANT_MS } from './duration.js';
import { AexError } from '../errors.js';

export class GrantError extends AexError {
  constructor(message: string) {
    super(message);
    this.name = 'GrantError';
  }
}

/** The rule a person typed, read by the compiler's own rule reader; a keyword in front is refused. */
export function grantRuleOf(text: string): RuleSpec {
  const t = text.trim();
  if (/^(allow|deny|confirm|use)\s/.test(t)) throw new GrantError('give the rule without a keyword: aex grant \'shell.exec:"npm test"\'');
  const parsed = parseRuleText(t, 'allow');
  const error = parsed.diagnostics.find((d) => d.severity === 'error');
  if (error || !parsed.rule) throw new GrantError(`not a rule: ${error ? `${error.code} ${error.message} (column ${error.column})` : t}`);
  const { tool, path: p, command, host, url, where } = parsed.rule;
  const spec: RuleSpec = { tool };
  if (p !== undefined) spec.path = p;
  if (command !== undefined) spec.command = command;
  if (host !== undefined) spec.host = host;
  if (url !== undefined) spec.url = url;
  if (where !== undefined && where.length > 0) spec.where = where;
  const problem = grantableProblem(spec);
  if (problem) throw new GrantError(problem);
  return spec;
}

function grantAuditFile(root: string, env: NodeJS.ProcessEnv): string {
  return path.join(projectStateDirectory(root, env), 'audit', 'grants.jsonl');
}

/** One writer at a time on the grant audit (the gate's own lock, under the grants folder). */
function audit(root: string, env: NodeJS.ProcessEnv, event: Record<string, unknown> & { event: string }): void {
  withSessionLock(grantsDirectory(root, env), 'grant-audit', () => appendGateAudit(grantAuditFile(root, env), [event]));
}

function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return path.resolve(root);
  }
}

export interface CreateGrantOptions {
  /** How long it holds (ms); default 30 minutes. */
  forMs?: number;
  /** Only calls of this session may use it. */
  session?: string;
  now?: number;
  env?: NodeJS.ProcessEnv;
}

/** Records a grant of exactly `ruleText` for the project at `root`. */
export function createGrant(root: string, ruleText: string, opts: CreateGrantOptions = {}): GrantRecord {
  const env = opts.env ?? process.env;
  const spec = grantRuleOf(ruleText);
  const now = opts.now ?? Date.now();
  const forMs = opts.forMs ?? DEFAULT_GRANT_MS;
  if (opts.session !== undefined && opts.session.trim() === '') throw new GrantError('--session needs a session id');
  const record: GrantRecord = {
    aex_grant: GRANT_FORMAT,
    id: `g-${randomBytes(8).toString('hex')}`,
    rule: formatRule(spec),
    spec,
    root: realRoot(root),
    created_at: new Date(now).toISOString(),
    expires_at: new Date(now + forMs).toISOString(),
    ...(opts.session !== undefined ? { session: opts.session } : {}),
  };
  const file = path.join(grantsDirectory(root, env), `${record.id}.json`);
  writeFileAtomic(file, JSON.stringify(record, null, 2) + '\n', { mkdir: true, exclusive: true });
  audit(root, env, {
    event: 'grant.created',
    grant: record.id,
    rule: record.rule,
    expires_at: record.expires_at,
    ...(record.session !== undefined ? { session: record.session } : {}),
  });
  return record;
}

/** Removes a grant; false when there is none with that id. */
export function revokeGrant(root: string, id: string, opts: { env?: NodeJS.ProcessEnv } = {}): boolean {
  const env = opts.env ?? process.env;
  if (!GRANT_ID.test(id)) throw new GrantError(`not a grant id: ${JSON.stringify(id)} (ids look like g-0123456789abcdef)`);
  const record = readGrantRecords(root, env).find((r) => r.id === id);
  const file = path.join(grantsDirectory(root, env), `${id}.json`);
  rmSync(file, { force: true });
  if (!record) return false;
  audit(root, env, { event: 'grant.revoked', grant: id, rule: record.rule });
  return true;
}

export interface ListedGrant extends GrantRecord {
  live: boolean;
}

/** Every grant of the project, with whether it still holds at `now`. */
export function listGrants(root: string, opts: { now?: number; env?: NodeJS.ProcessEnv } = {}): ListedGrant[] {
  const now = opts.now ?? Date.now();
  return readGrantRecords(root, opts.env ?? process.env).map((r) => ({ ...r, live: Date.parse(r.expires_at) > now }));
}
