// Reading audit logs for `aex suggest` (docs/policy-tests.md, "Suggesting rules"): JSON
// lines of any surface (gate, run, proxy, serve). What counts is each decision event's
// deciding action as the kernel recorded it (`action: {cap, command|paths|reach|host|url}`).

import { readBoundedText } from '../io/bounded-read.js';

/** A refused or confirmed call, by its deciding action. */
export interface Finding {
  /** not_allowed: no rule allowed it; confirm: a confirm rule asked; denied/protected: refused outright. */
  kind: 'not_allowed' | 'confirm' | 'denied' | 'protected';
  cap: string;
  command?: string;
  paths?: string[];
  reach?: string[];
  host?: string;
  url?: string;
  /** The action had parts AEX could not read. */
  unresolved: boolean;
  /** The rule that refused or asked, as written (deny/confirm/protected). */
  rule?: string;
  source?: string;
  /** Where the event was read: FILE:LINE. */
  seen: string;
}

export interface ReadResult {
  findings: Finding[];
  /** Lines that were not JSON or decision events without an action. */
  skipped: number;
}

/** Audit logs are bounded like other inputs; a 64 MiB log is plenty for a session. */
const MAX_AUDIT_BYTES = 64 * 1024 * 1024;

function strings(v: unknown): string[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

function kindOf(e: Record<string, unknown>): Finding['kind'] | undefined {
  if (e.event === 'confirm.required') return 'confirm';
  if (e.event !== 'tool.denied') return undefined;
  if (e.reason === 'not_allowed') return 'not_allowed';
  if (e.reason === 'protected') return 'protected';
  if (e.reason === 'denied') return 'denied';
  return undefined;
}

export function findingsOfText(text: string, file: string): ReadResult {
  const findings: Finding[] = [];
  let skipped = 0;
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let e: unknown;
    try {
      e = JSON.parse(line);
    } catch {
      skipped++;
      return;
    }
    if (e === null || typeof e !== 'object' || Array.isArray(e)) return void skipped++;
    const ev = e as Record<string, unknown>;
    const kind = kindOf(ev);
    if (!kind) return;
    const a = ev.action as Record<string, unknown> | undefined;
    if (!a || typeof a !== 'object' || typeof a.cap !== 'string') return void skipped++;
    const f: Finding = { kind, cap: a.cap, unresolved: Array.isArray(a.unresolved) && a.unresolved.length > 0, seen: `${file}:${i + 1}` };
    if (typeof a.command === 'string') f.command = a.command;
    const paths = strings(a.paths);
    if (paths) f.paths = paths;
    const reach = strings(a.reach);
    if (reach) f.reach = reach;
    if (typeof a.host === 'string') f.host = a.host;
    if (typeof a.url === 'string') f.url = a.url;
    if (typeof ev.rule === 'string') f.rule = ev.rule;
    if (typeof ev.source === 'string') f.source = ev.source;
    findings.push(f);
  });
  return { findings, skipped };
}

export function readFindings(files: readonly string[]): ReadResult {
  const out: ReadResult = { findings: [], skipped: 0 };
  for (const file of files) {
    const r = findingsOfText(readBoundedText(file, { what: 'audit log', maxBytes: MAX_AUDIT_BYTES }), file);
    out.findings.push(...r.findings);
    out.skipped += r.skipped;
  }
  return out;
}
