// `--for` durations of `aex grant`: `90s`, `30m`, `2h`, `1d`, `1h30m`. Every grant ends:
// there is a default and a ceiling, so an approval never quietly becomes policy.

import { AexError } from '../errors.js';
export const DEFAULT_GRANT_MS = 30 * 60 * 1000;
export const MAX_GRANT_MS = 7 * 24 * 60 * 60 * 1000;

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export class DurationError extends AexError {
  constructor(message: string) {
    super(message);
    this.name = 'DurationError';
  }
}

/** Milliseconds of a duration text; throws DurationError with what was wrong. */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (!/^(?:\d+[smhd])+$/.test(t)) throw new DurationError(`--for takes a duration such as 30m, 2h or 1d (got ${JSON.stringify(text)})`);
  let ms = 0;
  for (const m of t.matchAll(/(\d+)([smhd])/g)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  if (!(ms > 0)) throw new DurationError('--for must be longer than zero');
  if (ms > MAX_GRANT_MS) throw new DurationError('--for is at most 7d: a grant is a temporary approval; put a lasting one in the policy');
  return ms;
}

/** `1h 30m` for a person. */
export function formatDuration(ms: number): string {
  if (ms <= 0) return '0s';
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [['d', 86_400], ['h', 3_600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.slice(0, 2).join(' ');
}
