// What `aex test` prints: per file, one row per case (result, line, expected, got, the
// call, the rule that decided and where it is written), the diagnostics of files that
// could not run (with a caret, as the compiler prints them), and a summary line.

import { readFileSync } from 'node:fs';
import { formatDiagnostic } from '../compiler/diagnostics.js';
import type { FileResult } from './run.js';
import { displayPath } from '../io/display-path.js';

export interface Summary {
  passed: number;
  failed: number;
  /** Files with diagnostics (they did not run, or some case could not be read). */
  broken: number;
}

export function summarize(results: readonly FileResult[]): Summary {
  let passed = 0;
  let failed = 0;
  for (const r of results) for (const c of r.cases) c.pass ? passed++ : failed++;
  return { passed, failed, broken: results.filter((r) => r.diagnostics.length > 0).length };
}


function sourceOf(file: string | undefined, result: FileResult): string | undefined {
  if (file === undefined || file === result.file) return result.source;
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => (i < r.length - 1 ? c.padEnd(widths[i]!) : c)).join('  ').trimEnd());
}

export function renderResults(results: readonly FileResult[], cwd: string): string {
  const out: string[] = [];
  for (const r of results) {
    out.push(`${displayPath(r.file, cwd)}${r.name ? ` (policytest ${r.name} v${r.version})` : ''}${r.policy ? ` against ${displayPath(r.policy, cwd)}` : ''}`);
    if (r.cases.length > 0) {
      const rows = [['', 'line', 'expect', 'got', 'call', 'decided by']];
      for (const c of r.cases) {
        const by = c.rule !== undefined ? `${c.rule}${c.source ? ` (${c.source})` : ''}` : c.message;
        rows.push([c.pass ? 'ok' : 'FAIL', String(c.line), c.expect, c.got, c.call, by]);
      }
      out.push(...pad(rows).map((l) => `  ${l}`));
    }
    for (const d of r.diagnostics) {
      const file = d.file ?? r.file;
      out.push(formatDiagnostic(d, sourceOf(file, r), displayPath(file, cwd)));
    }
  }
  const s = summarize(results);
  const parts = [`${s.passed} passed`, `${s.failed} failed`];
  if (s.broken > 0) parts.push(`${s.broken} file${s.broken === 1 ? '' : 's'} with errors`);
  out.push(parts.join(', '));
  return out.join('\n') + '\n';
}

export function resultsJson(results: readonly FileResult[]): unknown {
  return {
    ...summarize(results),
    files: results.map(({ source: _source, ...r }) => r),
  };
}
