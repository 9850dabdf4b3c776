// The state of one chained destination (a file, a stream): the hash of the last line it
// holds. Every text sink builds its lines here, so every surface's audit is chained without
// code of its own, and a destination opened on an existing file continues that file's chain.

import { chainStart, chainedLineText, lineHash } from '../../audit/chain.js';
import { sealFields } from '../../audit/seal.js';
import type { AuditEvent } from './types.js';

/** Where a chain starts: a run/session id (a fresh destination) or the last line's hash. */
export type ChainOrigin = { id: string } | { head: string };

export class ChainedLines {
  private last: string;
  constructor(origin: ChainOrigin) {
    this.last = 'head' in origin ? origin.head : chainStart(origin.id);
  }
  /** The hash of the last line built: the next line's `prev`. */
  get head(): string {
    return this.last;
  }
  /** The line text of an event (no newline), linked to the line before it. */
  line(event: AuditEvent | Record<string, unknown>): string {
    const text = chainedLineText(event, this.last);
    this.last = lineHash(text);
    return text;
  }
  /** The text of a seal at `seq`, covering every line up to the one before it. */
  sealLine(ts: string, seq: number, key: Buffer): string {
    return this.line({ ts, seq, ...sealFields(key, seq - 1, this.last) });
  }
}
