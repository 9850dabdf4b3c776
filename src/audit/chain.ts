// The audit hash chain: every audit line ends with `prev`, the hex SHA-256 of the previous
// line's bytes (UTF-8, without its newline); the first line of a fresh file links to the
// SHA-256 of the run or session id. Editing, removing, inserting or reordering a line then
// breaks the link of the line after it. Only node:crypto — every surface and the verifier
// share these few functions.

import * as crypto from 'node:crypto';

/** The field every chained line ends with. */
export const PREV_FIELD = 'prev';

// crypto.hash (Node ≥ 20.12) is a one-shot digest about four times faster than createHash,
// which matters at 200,000 lines a second.
const oneShot = (crypto as { hash?: (alg: string, data: string | Buffer, enc: 'hex') => string }).hash;

/** Hex SHA-256 of a string's UTF-8 bytes (or of raw bytes). */
export function sha256Hex(data: string | Buffer): string {
  return oneShot ? oneShot('sha256', data, 'hex') : crypto.createHash('sha256').update(data).digest('hex');
}

/** The link a line carries to the line before it: the hash of that line's text (or bytes). */
export function lineHash(line: string | Buffer): string {
  return sha256Hex(line);
}

/** The link of the first line of a fresh file: the hash of the run or session id. */
export function chainStart(id: string): string {
  return sha256Hex(id);
}

/** A well-formed link: 64 lower-case hex digits. */
export function isLink(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{64}$/.test(v);
}

/**
 * The text of a chained line (no newline): the event's JSON with `prev` as its last field.
 * An event that already has a `prev` of its own loses it — the writer's link is the only one.
 */
export function chainedLineText(event: object, prev: string): string {
  let source = event;
  if (Object.prototype.hasOwnProperty.call(event, PREV_FIELD)) {
    const { [PREV_FIELD]: _own, ...rest } = event as Record<string, unknown>;
    source = rest;
  }
  const json = JSON.stringify(source);
  // JSON.stringify of a plain object always ends with "}"; "{}" has no field to follow.
  return json.length > 2 ? `${json.slice(0, -1)},"prev":"${prev}"}` : `{"prev":"${prev}"}`;
}
