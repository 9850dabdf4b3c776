// `aex audit verify`: checks every line of an audit log — JSON, `seq`, the `prev` link to the
// line before, and the HMAC seals — and reports the first break with its line number. The
// rules, and what each tampering looks like, are in docs/audit.md.

import { chainStart, isLink, lineHash } from './chain.js';
import { readRawLines, rawLinesOf, type RawLine } from './lines.js';
import { SEAL_EVENT, sealMatches } from './seal.js';

export type BreakKind = 'json' | 'seq' | 'prev' | 'seal' | 'truncated' | 'unsealed';

export interface AuditBreak {
  line: number;
  kind: BreakKind;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  /** Lines read. */
  lines: number;
  /** Seal lines seen (checked against the key when one was given). */
  seals: number;
  /** The line number of the last seal (0 when none). */
  sealedThrough: number;
  /** Whether the seals' MACs were checked (a key was given). */
  keyChecked: boolean;
  /** The first break, if any. */
  break?: AuditBreak;
  /** Things that are not breaks but a reader should know (a run that has not finished yet). */
  warnings: string[];
}

export interface VerifyOptions {
  /** The audit key: seals are checked, and every line must be covered by one. */
  key?: Buffer;
  /** The run or session id the first line must link to (unchecked when absent). */
  chainId?: string;
}

/** Events after which a run or a proxy session is over: a sealed log has a seal after them. */
const ENDINGS = new Set(['run.finished', 'run.rejected', 'proxy.exited']);
const RUN_STARTS = new Set(['run.started', 'input.missing', 'input.invalid', 'run.rejected']);

class Verifier {
  private lines = 0;
  private seals = 0;
  private lastSealLine = 0;
  private lastHash: string | undefined;
  private lastSeq = 0;
  private lastEvent = '';
  private lastEndingLine = 0;
  /** Line of the `run.started` of the segment being read, until its run.finished. */
  private openRunLine = 0;
  private broken: AuditBreak | undefined;
  readonly warnings: string[] = [];
  constructor(private readonly opts: VerifyOptions) {}

  private fail(line: number, kind: BreakKind, message: string): false {
    this.broken = { line, kind, message };
    return false;
  }

  /** Checks one line; false once the log is broken (the first break is what matters). */
  take(raw: RawLine): boolean {
    const n = raw.number;
    this.lines = n;
    if (!raw.terminated) return this.fail(n, 'truncated', `line ${n} has no newline: the log was cut in the middle of a line`);
    let value: unknown;
    try {
      value = JSON.parse(raw.bytes.toString('utf8'));
    } catch {
      return this.fail(n, 'json', `line ${n} is not JSON`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return this.fail(n, 'json', `line ${n} is not a JSON object`);
    const e = value as Record<string, unknown>;
    const { seq, event, prev } = e;
    if (typeof event !== 'string') return this.fail(n, 'json', `line ${n} has no event name`);
    if (typeof seq !== 'number' || !Number.isInteger(seq) || seq < 1) return this.fail(n, 'seq', `line ${n} has no valid seq`);
    if (!isLink(prev)) return this.fail(n, 'prev', `line ${n} has no prev link (not written by a chained writer, or edited)`);

    // seq: 1 on the first line; afterwards one more than the line before, or 1 where the next
    // run appended to the same file begins.
    if (n === 1 && seq !== 1) return this.fail(n, 'seq', `line 1 has seq ${seq}, not 1: the beginning of the log is missing`);
    if (n > 1 && seq !== this.lastSeq + 1 && seq !== 1) {
      return this.fail(n, 'seq', `line ${n} has seq ${seq} after seq ${this.lastSeq}: a line was removed, inserted or moved here`);
    }
    if (n === 1) {
      if (this.opts.chainId !== undefined && prev !== chainStart(this.opts.chainId)) {
        return this.fail(n, 'prev', `line 1 does not link to the id ${JSON.stringify(this.opts.chainId)}: the log belongs to another run or session, or its start was replaced`);
      }
    } else if (prev !== this.lastHash) {
      return this.fail(n - 1, 'prev', `line ${n - 1} is not the line that line ${n} follows: line ${n - 1} was changed (or line ${n}'s prev was), or a line was removed or inserted here`);
    }
    if (seq === 1 && n > 1) {
      if (this.openRunLine > 0) this.warnings.push(`the run starting at line ${this.openRunLine} has no run.finished`);
      this.openRunLine = 0;
      // A keyed writer seals when it closes: the run before this one must end with a seal.
      if (this.opts.key && this.lastEvent !== SEAL_EVENT) {
        return this.fail(n - 1, 'truncated', `the log before line ${n} ends without a seal: it was cut after line ${n - 1}`);
      }
    }
    if (RUN_STARTS.has(event) && this.openRunLine === 0 && seq === 1) this.openRunLine = n;
    if (ENDINGS.has(event)) {
      this.lastEndingLine = n;
      this.openRunLine = 0;
    }

    if (event === SEAL_EVENT) {
      const { count, head, hmac } = e;
      if (count !== seq - 1) return this.fail(n, 'seal', `the seal on line ${n} counts ${String(count)} lines, not ${seq - 1}`);
      if (head !== prev) return this.fail(n, 'seal', `the seal on line ${n} names another head than the line before it`);
      if (this.opts.key) {
        if (!sealMatches(this.opts.key, count, head, hmac)) return this.fail(n, 'seal', `the seal on line ${n} does not match the key: the lines before it were rewritten, or the seal was forged`);
      } else if (!isLink(hmac)) {
        return this.fail(n, 'seal', `the seal on line ${n} has no valid hmac`);
      }
      this.seals++;
      this.lastSealLine = n;
    }
    this.lastHash = lineHash(raw.bytes);
    this.lastSeq = seq;
    this.lastEvent = event;
    return true;
  }

  finish(): VerifyReport {
    if (!this.broken) this.checkEnd();
    if (!this.broken && this.openRunLine > 0) this.warnings.push(`the run starting at line ${this.openRunLine} has no run.finished (still running, paused, or cut at a seal)`);
    return {
      ok: this.broken === undefined,
      lines: this.lines,
      seals: this.seals,
      sealedThrough: this.lastSealLine,
      keyChecked: this.opts.key !== undefined,
      ...(this.broken ? { break: this.broken } : {}),
      warnings: this.warnings,
    };
  }

  /** The end of the log: a keyed (or sealed) log ends with a seal; anything after it was appended or is what is left of a cut. */
  private checkEnd(): void {
    const n = this.lines;
    if (n === 0) {
      if (this.opts.key) this.fail(0, 'unsealed', 'the log is empty');
      return;
    }
    if (this.lastSealLine === n) return;
    if (this.opts.key) {
      if (this.seals === 0) {
        this.fail(1, 'unsealed', 'the log has no seal: it was cut before its first seal, not written with this key, or replaced');
        return;
      }
      this.fail(this.lastSealLine + 1, 'unsealed', `lines ${this.lastSealLine + 1}–${n} are not covered by a seal: they were appended after the last seal, or the log was cut`);
      return;
    }
    // Without the key: a log that was sealed at all must still end with a seal (an unkeyed
    // writer never seals, so its finished runs end with run.finished).
    if (this.seals > 0) {
      const ended = this.lastEndingLine > this.lastSealLine ? ` (after its ${this.lastEndingLine === n ? 'last line' : `line ${this.lastEndingLine}`}, which ends the run)` : '';
      this.fail(this.lastSealLine + 1, 'truncated', `lines ${this.lastSealLine + 1}–${n} come after the last seal${ended}: the log was cut, or lines were appended`);
    }
  }
}

function verifyLines(lines: Iterable<RawLine>, opts: VerifyOptions): VerifyReport {
  const v = new Verifier(opts);
  for (const raw of lines) if (!v.take(raw)) break;
  return v.finish();
}

export function verifyAuditText(text: string | Buffer, opts: VerifyOptions = {}): VerifyReport {
  return verifyLines(rawLinesOf(text), opts);
}

export function verifyAuditFile(file: string, opts: VerifyOptions = {}): VerifyReport {
  return verifyLines(readRawLines(file), opts);
}
