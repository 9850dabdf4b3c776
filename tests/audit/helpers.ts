// Scratch folders and keyed logs for the audit tests.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAuditLog } from '../../src/runtime/audit/emitter.js';
import { JsonlFileSink } from '../../src/runtime/audit/sinks.js';
import type { AuditEventData } from '../../src/runtime/kernel/types.js';

export const KEY = Buffer.from('test audit key 0123456789');

export function scratch(): { dir: string; done: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'aex-audit-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A small run's events: started, N allowed/result pairs, finished. */
export function runEvents(calls: number): AuditEventData[] {
  const out: AuditEventData[] = [{ event: 'run.started', agent: 'a', name: 'a', version: '0', kind: 'task' }];
  for (let i = 0; i < calls; i++) {
    out.push({ event: 'tool.allowed', tool: 'noop', args: { i }, rule: 'use noop', source: 't.aex:3', layer: 'task', action: { cap: 'noop' }, line: 5 });
    out.push({ event: 'tool.result', tool: 'noop', bind: null, result: null, line: 5 });
  }
  out.push({ event: 'run.finished', status: 'success' });
  return out;
}

/** Writes a run's audit through the runtime's own emitter and file sink; returns the file's lines. */
export async function writeRun(file: string, events: AuditEventData[], opts: { key?: Buffer; sealEvery?: number; chainId?: string } = {}): Promise<string[]> {
  const sink = new JsonlFileSink(file, opts.chainId !== undefined ? { chainId: opts.chainId } : {});
  const log = createAuditLog([sink], { ...(opts.key ? { sealKey: opts.key } : {}), ...(opts.sealEvery ? { sealEvery: opts.sealEvery } : {}) });
  for (const e of events) log.emit(e);
  await log.close();
  return readLines(file);
}

export function readLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').slice(0, -1);
}

export const joinLines = (lines: string[]) => lines.map((l) => l + '\n').join('');
