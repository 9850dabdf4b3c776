// `aex grant` (docs/grants.md): make, list and revoke grants for the project at hand.
// Making a grant needs a person at a terminal: a grant widens what an agent may do, so an
// agent that can run commands must not be able to grant itself (docs/grants.md for
// why the policy should not allow the agent to run `aex` at all).

import path from 'node:path';
import { projectRootOf } from '../runtime/policy/project-root.js';
import { DurationError, formatDuration, parseDuration } from './duration.js';
import { createGrant, GrantError, listGrants, revokeGrant, type ListedGrant } from './store.js';
import { EXIT } from '../exit-codes.js';

export interface GrantCommandOptions {
  rule?: string;
  for?: string;
  session?: string;
  list?: boolean;
  revoke?: string;
  project?: string;
  json?: boolean;
}

export interface GrantCommandIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** stdin and stderr are a terminal (a person is there). */
  interactive: boolean;
  now?: number;
}

export interface GrantCommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const usage = (message: string): GrantCommandResult => ({ stdout: '', stderr: `error ${message}\n`, exitCode: EXIT.usage });

function remaining(g: ListedGrant, now: number): string {
  return g.live ? `${formatDuration(Date.parse(g.expires_at) - now)} left` : 'expired';
}

function listText(grants: ListedGrant[], now: number): string {
  if (grants.length === 0) return 'no grants\n';
  const rows = grants.map((g) => [g.id, remaining(g, now), g.session !== undefined ? `session ${g.session}` : 'all sessions', g.rule]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ')).join('\n') + '\n';
}

export function runGrantCommand(opts: GrantCommandOptions, io: GrantCommandIo): GrantCommandResult {
  const now = io.now ?? Date.now();
  const root = opts.project !== undefined ? path.resolve(io.cwd, opts.project) : projectRootOf(io.cwd);
  const modes = [opts.rule !== undefined, opts.list === true, opts.revoke !== undefined].filter(Boolean).length;
  if (modes !== 1) return usage('give a RULE to grant, --list, or --revoke ID (exactly one)');
  try {
    if (opts.list) {
      const grants = listGrants(root, { now, env: io.env });
      return { stdout: opts.json ? JSON.stringify(grants, null, 2) + '\n' : listText(grants, now), stderr: '', exitCode: EXIT.ok };
    }
    if (opts.revoke !== undefined) {
      const removed = revokeGrant(root, opts.revoke, { env: io.env });
      if (!removed) return { stdout: '', stderr: `error no grant ${opts.revoke} in ${root}\n`, exitCode: EXIT.failed };
      return { stdout: `revoked ${opts.revoke}\n`, stderr: '', exitCode: EXIT.ok };
    }
    if (!io.interactive) {
      return usage('aex grant needs a person at a terminal: run it yourself, not from an agent or a script (docs/grants.md)');
    }
    const forMs = opts.for !== undefined ? parseDuration(opts.for) : undefined;
    const g = createGrant(root, opts.rule!, { ...(forMs !== undefined ? { forMs } : {}), ...(opts.session !== undefined ? { session: opts.session } : {}), now, env: io.env });
    const who = g.session !== undefined ? `session ${g.session}` : 'every session';
    const text = `granted ${g.id}: ${g.rule}\n  for ${who} of ${root}, until ${g.expires_at} (${formatDuration(Date.parse(g.expires_at) - now)})\n  revoke with: aex grant --revoke ${g.id}\n`;
    return { stdout: opts.json ? JSON.stringify(g, null, 2) + '\n' : text, stderr: '', exitCode: EXIT.ok };
  } catch (err) {
    if (err instanceof GrantError || err instanceof DurationError) return usage(err.message);
    throw err;
  }
}
