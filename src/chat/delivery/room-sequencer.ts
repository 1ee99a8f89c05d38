/** Timers behind an interface so the ordering can be tested with a fake clock. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** A page of a room's stored messages after a seq, read in one snapshot with the room's counter. */
export interface StoredRange<T> {
  items: Array<{ seq: number; item: T }>;
  /** The room's last allocated seq in the same snapshot; null when the room is gone. */
  lastSeq: number | null;
}

export interface SequencerOptions<T> {
  /** How long a gap may stay open, from when it was first seen, before the store is read. */
  gapWaitMs: number;
  /** Pause before reading the store again when it could not be read. */
  retryMs: number;
  /** Messages read per store round trip. */
  batchSize: number;
  clock: Clock;
  /** Messages with seq > afterSeq, oldest first, at most `limit`, and the room's counter. */
  fetch(afterSeq: number, limit: number): Promise<StoredRange<T>>;
  deliver(item: T, seq: number): void;
  onFetchError?(err: unknown): void;
  /** The store no longer has the room. */
  onGone?(): void;
}

/**
 * Ordered, gapless, exactly-once delivery of one room's messages on this instance. Messages
 * arrive from the bus in any order, more than once, or not at all; the database is the source
 * of truth. A missing seq is waited for at most `gapWaitMs` from the moment the gap was first
 * seen (later arrivals never extend the wait), then the missing range is read from the store.
 * The only seqs ever passed over are those the store shows do not exist (deleted messages):
 * seqs are allocated in the statement that inserts the message, so once the room's counter
 * reads N in a snapshot, every message up to N is committed or will never exist.
 */
export class RoomSequencer<T> {
  /** The last seq handed to deliver(); undefined until start(). */
  private delivered?: number;
  /** Seqs not yet delivered; null marks one deleted before it went out (passed over). */
  private readonly pending = new Map<number, T | null>();
  /** The highest seq known to exist (seen on the bus or in the store). */
  private known = 0;
  private gapSince?: number;
  private timer?: unknown;
  private fetching = false;
  private fetchAgain = false;
  private closed = false;

  constructor(private readonly options: SequencerOptions<T>) {}

  get started(): boolean {
    return this.delivered !== undefined;
  }

  /**
   * Sets the starting point once (the room's counter read when the first socket opened);
   * later calls change nothing. Returns the last delivered seq: a socket attached before the
   * next flush() receives every message after it.
   */
  start(lastSeq: number): number {
    if (this.delivered === undefined) {
      this.delivered = lastSeq;
      for (const seq of this.pending.keys()) if (seq <= lastSeq) this.pending.delete(seq);
    }
    return this.delivered;
  }

  /** Delivers what is ready (after start() and the first socket's attachment). */
  flush(): void {
    this.drain();
  }

  /** A message from the bus (any order, possibly repeated). */
  push(seq: number, item: T): void {
    if (this.closed || !Number.isInteger(seq) || seq < 1) return;
    if ((this.delivered !== undefined && seq <= this.delivered) || this.pending.has(seq)) return;
    this.pending.set(seq, item);
    if (seq > this.known) this.known = seq;
    this.drain();
  }

  /**
   * An edit (item) or deletion (null) of message `seq`. When the message has not gone out
   * yet, the held copy is replaced (or passed over) and later copies are ignored, so nobody
   * sees an edit or deletion before the message; returns false when it has gone out, and
   * the caller sends the event as it is.
   */
  amend(seq: number, item: T | null): boolean {
    if (this.closed || !Number.isInteger(seq) || seq < 1) return true;
    if (this.delivered !== undefined && seq <= this.delivered) return false;
    this.pending.set(seq, item);
    if (seq > this.known) this.known = seq;
    this.drain();
    return true;
  }

  /** The store says the room's counter reached `lastSeq` (periodic check): a gap if beyond. */
  hint(lastSeq: number): void {
    if (this.closed || lastSeq <= this.known) return;
    this.known = lastSeq;
    this.drain();
  }

  /** Reads whatever follows the last delivered seq now (the bus reconnected). */
  resync(): Promise<void> {
    return this.fetchMissing();
  }

  close(): void {
    this.closed = true;
    this.cancelTimer();
    this.pending.clear();
  }

  private drain(): void {
    if (this.closed || this.delivered === undefined) return;
    while (this.pending.has(this.delivered + 1)) {
      const item = this.pending.get(this.delivered + 1);
      this.pending.delete(this.delivered + 1);
      this.delivered += 1;
      if (item != null) this.options.deliver(item, this.delivered);
    }
    if (this.pending.size === 0 && this.known <= this.delivered) {
      this.gapSince = undefined;
      this.cancelTimer();
      return;
    }
    // A gap. Its deadline is set once, when it is first seen (during a read of the store
    // too); arrivals that do not close it leave it be.
    const now = this.options.clock.now();
    this.gapSince ??= now;
    if (!this.fetching && this.timer === undefined) {
      this.arm(Math.max(0, this.gapSince + this.options.gapWaitMs - now));
    }
  }

  private arm(ms: number): void {
    this.cancelTimer();
    this.timer = this.options.clock.setTimeout(() => {
      this.timer = undefined;
      void this.fetchMissing();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async fetchMissing(): Promise<void> {
    if (this.closed || this.delivered === undefined) return;
    if (this.fetching) {
      this.fetchAgain = true;
      return;
    }
    this.fetching = true;
    this.cancelTimer();
    // What this read does not settle is a gap seen from now on.
    this.gapSince = undefined;
    let failed = false;
    try {
      for (;;) {
        const { items, lastSeq } = await this.options.fetch(this.delivered, this.options.batchSize);
        if (this.closed) return;
        // The room is gone: nothing more will come, and its sockets are to be closed.
        if (lastSeq === null) {
          this.close();
          this.options.onGone?.();
          return;
        }
        // Bus arrivals may have moved it on while the store was read.
        let delivered: number = this.delivered;
        for (const { seq, item } of items) {
          if (seq > delivered && !this.pending.has(seq)) this.pending.set(seq, item);
        }
        const full = items.length >= this.options.batchSize;
        // Up to here the store is settled: a seq it does not hold will never exist.
        const settled = full ? items[items.length - 1].seq : lastSeq;
        if (lastSeq > this.known) this.known = lastSeq;
        while (delivered < settled) {
          delivered += 1;
          const item = this.pending.get(delivered);
          this.delivered = delivered;
          this.pending.delete(delivered);
          if (item != null) this.options.deliver(item, delivered);
        }
        if (!full) break;
      }
    } catch (err) {
      failed = true;
      this.options.onFetchError?.(err);
    } finally {
      this.fetching = false;
    }
    if (this.closed) return;
    if (failed) {
      // The store is unreachable: keep what is held and try again shortly.
      this.gapSince = this.options.clock.now();
      this.arm(this.options.retryMs);
      return;
    }
    if (this.fetchAgain) {
      this.fetchAgain = false;
      return this.fetchMissing();
    }
    this.drain();
  }
}
