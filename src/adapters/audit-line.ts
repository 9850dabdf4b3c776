// Audit lines in the format of decision D1: one flat JSON object per line,
// `{"ts", "seq", "event", ...fields}`. Shared by the gate and the proxy.

import type { AuditEventData } from '../runtime/kernel/types.js';

export function auditLine(seq: number, data: AuditEventData, now: Date = new Date()): string {
  const { event, ...fields } = data;
  return JSON.stringify({ ts: now.toISOString(), seq, event, ...fields }) + '\n';
}
