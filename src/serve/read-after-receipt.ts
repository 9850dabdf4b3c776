// What `aex serve` read from the disk, shared by requests that were all received BEFORE it
// was read.
//
// A fresh read made for a request shows every change made before the request was sent
// (the client changed a file, then sent the call). A read made after a request was
// received is at least as fresh, so it may serve that request as well as the one it was
// made for: the answer is the one a fresh read would have given. Every request notes a
// sequence number when its body has arrived (received()); every fact notes the number
// when it was read; a request uses only facts read after it arrived, and reads anew
// otherwise. The server judges requests in the turn after they were read (the ledger's
// group commit flushes then too), so the calls that arrived together share one project-
// root walk, one policy freshness check, one grants folder read per project.
//
// Nothing is kept longer than that: there is no expiry time, no watcher, no stamp that
// could miss a change; a fact is simply never used by a request that arrived after it
// was read.

/** Above this many facts the memory starts over (facts are only useful for a turn or two). */
const MAX_FACTS = 4096;

export class ReadAfterReceipt {
  private seq = 0;
  private facts = new Map<string, { seq: number; value: unknown }>();
  /** Reads done (misses), for tests and the bench. */
  reads = 0;

  /** Marks a request as received: returns its number. */
  received(): number {
    return ++this.seq;
  }

  /** The fact `key` for a request received at `since`: one read after `since`, else `read()` now. An error is not kept. */
  get<T>(key: string, since: number, read: () => T): T {
    const known = this.facts.get(key);
    if (known !== undefined && known.seq > since) return known.value as T;
    const value = read();
    this.reads++;
    if (this.facts.size >= MAX_FACTS) this.facts.clear();
    this.facts.set(key, { seq: ++this.seq, value });
    return value;
  }
}
