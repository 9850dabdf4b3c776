// `aex audit show`: the decisions of audit logs as a timeline a person can read — one row per
// decision with its time, surface, verdict, action, and the rule that decided with its source.
// Rows are built from parsed events here; reading files, following them and colour are the
// command's (src/cli/commands/audit.ts).

import picomatch from 'picomatch';

export type Verdict = 'allow' | 'deny' | 'confirm';

export interface TimelineRow {
  ts: string;
  surface: string;
  /** What the row says happened: allow, deny, confirm, approved, declined … */
  decision: string;
  /** The verdict family the --decision filter matches. */
  verdict: Verdict;
  tool: string;
  action: string;
  rule: string;
  source: string;
  /** The other actions of a compound call, each with the rule that allowed it. */
  more: Array<{ action: string; rule: string; source: string }>;
}

/** Which events are decisions, and what each one says. */
const DECISIONS: Record<string, { decision: string; verdict: Verdict }> = {
  'tool.allowed': { decision: 'allow', verdict: 'allow' },
  'tool.denied': { decision: 'deny', verdict: 'deny' },
  'budget.exhausted': { decision: 'deny', verdict: 'deny' },
  'confirm.required': { decision: 'confirm', verdict: 'confirm' },
  'confirm.approved': { decision: 'approved', verdict: 'confirm' },
  'confirm.auto_approved': { decision: 'approved', verdict: 'confirm' },
  'confirm.denied': { decision: 'declined', verdict: 'confirm' },
  'confirm.cancelled': { decision: 'declined', verdict: 'confirm' },
  'confirm.failed': { decision: 'declined', verdict: 'confirm' },
};

const PROXY_EVENTS = new Set(['upstream.started', 'tools.filtered', 'proxy.exited', 'client.closed', 'meta.handled']);

/** Tracks which surface wrote a log, from events that only one surface writes. */
export class SurfaceGuess {
  private kind: string | undefined;
  of(e: Record<string, unknown>): string {
    if (typeof e.surface === 'string') return e.surface;
    if (typeof e.hook_tool === 'string') return typeof e.host === 'string' ? `gate:${e.host}` : 'gate';
    if (e.event === 'run.started' || typeof e.line === 'number') this.kind = 'run';
    else if (typeof e.event === 'string' && PROXY_EVENTS.has(e.event)) this.kind = 'proxy';
    return this.kind ?? '-';
  }
}

function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '';
  return JSON.stringify(v);
}

/** An `action` record as a person reads it: `shell.exec rm -rf build`, `file.read src/a.ts`. */
export function actionText(action: unknown, fallbackTool: string): string {
  if (typeof action !== 'object' || action === null || Array.isArray(action)) return fallbackTool;
  const a = action as Record<string, unknown>;
  const cap = typeof a.cap === 'string' ? a.cap : fallbackTool;
  let subject = '';
  if (typeof a.command === 'string') subject = a.command;
  else if (typeof a.url === 'string') subject = a.url;
  else if (typeof a.host === 'string') subject = a.host;
  else {
    const paths = [...(Array.isArray(a.paths) ? a.paths : []), ...(Array.isArray(a.reach) ? a.reach : [])].map(text);
    subject = paths.join(', ');
  }
  if (Array.isArray(a.unresolved) && a.unresolved.length > 0) subject += subject ? ' (unreadable part)' : '(unreadable)';
  // One row per decision: newlines of a multi-line command would break the table.
  subject = subject.replace(/[\r\n\t]+/g, ' ');
  return subject ? `${cap} ${subject}` : cap;
}

/** The row of a decision event, or undefined for other events. */
export function timelineRow(e: Record<string, unknown>, surface: string): TimelineRow | undefined {
  const kind = typeof e.event === 'string' ? DECISIONS[e.event] : undefined;
  if (!kind) return undefined;
  const tool = text(e.tool) || text(e.hook_tool);
  let rule = text(e.rule);
  if (!rule && e.event === 'budget.exhausted') rule = `budget ${text(e.calls_used)}/${text(e.budget)}`;
  if (!rule && typeof e.reason === 'string') rule = `(${e.reason})`;
  const more: TimelineRow['more'] = [];
  if (Array.isArray(e.actions) && e.actions.length > 1) {
    for (const x of e.actions) {
      if (typeof x !== 'object' || x === null) continue;
      const r = x as Record<string, unknown>;
      more.push({ action: actionText(r.action ?? r, tool), rule: text(r.rule), source: text(r.source) });
    }
  }
  return {
    ts: text(e.ts),
    surface,
    decision: kind.decision,
    verdict: kind.verdict,
    tool,
    action: actionText(e.action, tool),
    rule,
    source: text(e.source),
    more,
  };
}

export interface ShowFilter {
  decision?: Verdict;
  /** A glob over the tool (capability) or the host's own tool name: `shell.*`, `mcp.github.*`, `Bash`. */
  tool?: string;
  /** Only rows at or after this time (ms since the epoch). */
  since?: number;
}

/** A predicate over raw events for the filters (the --json output filters raw lines the same way). */
export function eventFilter(f: ShowFilter): (e: Record<string, unknown>) => boolean {
  const toolMatch = f.tool !== undefined ? picomatch(f.tool, { dot: true }) : undefined;
  return (e) => {
    const kind = typeof e.event === 'string' ? DECISIONS[e.event] : undefined;
    if (!kind) return false;
    if (f.decision !== undefined && kind.verdict !== f.decision) return false;
    if (toolMatch && !(toolMatch(text(e.tool)) || toolMatch(text(e.hook_tool)))) return false;
    if (f.since !== undefined) {
      const t = Date.parse(text(e.ts));
      if (Number.isNaN(t) || t < f.since) return false;
    }
    return true;
  };
}

/** `--since`: an ISO date or time, or a span back from now (`30s`, `15m`, `2h`, `7d`). */
export function parseSince(value: string, now: number = Date.now()): number | undefined {
  const span = /^(\d+)(s|m|h|d)$/.exec(value.trim());
  if (span) return now - Number(span[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[span[2] as 's' | 'm' | 'h' | 'd'];
  if (!/^\d{4}-\d{2}-\d{2}/.test(value.trim())) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

export interface Paint {
  verdict(v: Verdict, s: string): string;
  dim(s: string): string;
}

export const PLAIN: Paint = { verdict: (_v, s) => s, dim: (s) => s };
export const COLOURS: Paint = {
  verdict: (v, s) => `\x1b[${v === 'deny' ? 31 : v === 'confirm' ? 33 : 32}m${s}\x1b[0m`,
  dim: (s) => `\x1b[2m${s}\x1b[0m`,
};

/** `2026-01-05 10:00:00.123` from an ISO time (UTC, as written). */
function timeText(ts: string): string {
  return ts.replace('T', ' ').replace(/Z$/, '');
}

export interface Widths {
  surface: number;
  action: number;
}

/** Column widths that fit these rows (actions capped, so the rule column stays in view). */
export function widthsFor(rows: readonly TimelineRow[], maxAction = 60): Widths {
  let surface = 5;
  let action = 10;
  for (const r of rows) {
    surface = Math.max(surface, r.surface.length);
    action = Math.max(action, Math.min(maxAction, r.action.length));
  }
  return { surface, action };
}

function fit(s: string, width: number): string {
  return s.length > width ? `${s.slice(0, width - 1)}…` : s.padEnd(width);
}

/** One row (and its compound actions) as aligned text lines. */
export function formatRow(r: TimelineRow, w: Widths, paint: Paint = PLAIN): string {
  const ruleCol = (rule: string, source: string) => (source ? `${rule}  ${paint.dim(source)}` : rule);
  const head = `${paint.dim(timeText(r.ts).padEnd(23))}  ${r.surface.padEnd(w.surface)}  ${paint.verdict(r.verdict, r.decision.padEnd(8))}  ${fit(r.action, w.action)}  ${ruleCol(r.rule, r.source)}`;
  const indent = ' '.repeat(23 + 2 + w.surface + 2 + 8 + 2);
  const lines = [head.trimEnd()];
  for (const m of r.more) lines.push(`${indent}${fit(`· ${m.action}`, w.action)}  ${ruleCol(m.rule, m.source)}`.trimEnd());
  return lines.join('\n');
}

export function headerLine(w: Widths): string {
  return `${'TIME'.padEnd(23)}  ${'WHERE'.padEnd(w.surface)}  ${'DECISION'.padEnd(8)}  ${'ACTION'.padEnd(w.action)}  RULE  SOURCE`;
}
