import {
  type Clock,
  RoomSequencer,
  type SequencerOptions,
  type StoredRange,
} from './room-sequencer';

/** A clock whose time moves only when the test says so. */
class FakeClock implements Clock {
  private time = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private ids = 0;

  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.timers.push({ at: this.time + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  get armed(): number[] {
    return this.timers.map((t) => t.at);
  }
  /** Moves time forward, firing due timers in order and letting their promises settle. */
  async advance(ms: number): Promise<void> {
    const until = this.time + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at);
      const due = this.timers[0];
      if (!due || due.at > until) break;
      this.timers.shift();
      this.time = due.at;
      due.fn();
      await settle();
    }
    this.time = until;
    await settle();
  }
}

const settle = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

/** The messages table of one room: seq -> text, and the room's counter. */
class FakeStore {
  readonly rows = new Map<number, string>();
  lastSeq = 0;
  calls: Array<{ after: number; limit: number }> = [];
  failures = 0;

  add(seq: number, text = `m${seq}`): void {
    this.rows.set(seq, text);
    this.lastSeq = Math.max(this.lastSeq, seq);
  }

  fetch = (after: number, limit: number): Promise<StoredRange<string>> => {
    this.calls.push({ after, limit });
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('connection refused'));
    }
    const items = [...this.rows.entries()]
      .filter(([seq]) => seq > after)
      .sort(([a], [b]) => a - b)
      .slice(0, limit)
      .map(([seq, item]) => ({ seq, item }));
    return Promise.resolve({ items, lastSeq: this.lastSeq });
  };
}

/** A sequencer with the defaults of these tests (300 ms gap wait, 1 s retry, pages of 100). */
function sequencerWith(
  clock: FakeClock,
  fetch: SequencerOptions<string>['fetch'],
  deliver: SequencerOptions<string>['deliver'],
  batchSize = 100,
): RoomSequencer<string> {
  return new RoomSequencer<string>({
    gapWaitMs: 300,
    retryMs: 1000,
    batchSize,
    clock,
    fetch,
    deliver,
  });
}

function setup(lastSeq = 0, batchSize = 100) {
  const clock = new FakeClock();
  const store = new FakeStore();
  for (let s = 1; s <= lastSeq; s++) store.add(s);
  const delivered: number[] = [];
  const sequencer = sequencerWith(
    clock,
    store.fetch,
    (_item, seq) => delivered.push(seq),
    batchSize,
  );
  sequencer.start(lastSeq);
  /** Commits a message in the store and, unless lost, publishes it on the "bus". */
  const commit = (seq: number, onBus = true) => {
    store.add(seq);
    if (onBus) sequencer.push(seq, `m${seq}`);
  };
  return { clock, store, delivered, sequencer, commit };
}

describe('RoomSequencer', () => {
  it('delivers in seq order, drops repeats, and reads nothing when nothing is missing', async () => {
    const { delivered, sequencer, commit, store, clock } = setup(5);
    commit(6);
    commit(7);
    sequencer.push(7, 'm7');
    sequencer.push(3, 'old');
    await clock.advance(5000);
    expect(delivered).toEqual([6, 7]);
    expect(store.calls).toHaveLength(0);
  });

  it('holds an early message until the missing one arrives within the wait', async () => {
    const { delivered, commit, sequencer, store, clock } = setup();
    store.add(1);
    commit(2);
    await clock.advance(299);
    expect(delivered).toEqual([]);
    sequencer.push(1, 'm1');
    expect(delivered).toEqual([1, 2]);
    await clock.advance(1000);
    expect(store.calls).toHaveLength(0);
  });

  it('measures the wait from when the gap opened: later arrivals never extend it', async () => {
    const { delivered, commit, store, clock } = setup();
    commit(1);
    commit(2, false); // lost on the bus
    commit(3);
    expect(clock.armed).toEqual([300]);
    // Steady traffic: a message every 50 ms.
    for (let seq = 4; seq <= 8; seq++) {
      await clock.advance(50);
      commit(seq);
      expect(clock.armed).toEqual([300]);
    }
    expect(delivered).toEqual([1]);
    await clock.advance(50);
    expect(store.calls).toEqual([{ after: 1, limit: 100 }]);
    expect(delivered).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Once read, the gap is closed: the next messages flow without waiting.
    commit(9);
    expect(delivered.at(-1)).toBe(9);
    expect(clock.armed).toEqual([]);
  });

  it('passes over only seqs the store shows do not exist (deleted or never committed)', async () => {
    const { delivered, store, sequencer, clock } = setup();
    store.add(1);
    store.lastSeq = 3; // seq 2 was allocated and is gone
    store.add(3);
    sequencer.push(3, 'm3');
    await clock.advance(300);
    expect(delivered).toEqual([1, 3]);
  });

  it('never skips a seq because the store could not be read: it retries', async () => {
    const { delivered, commit, store, clock } = setup();
    commit(1, false);
    commit(2);
    store.failures = 2;
    await clock.advance(300);
    expect(delivered).toEqual([]);
    await clock.advance(1000);
    expect(delivered).toEqual([]);
    await clock.advance(1000);
    expect(delivered).toEqual([1, 2]);
    expect(store.calls).toHaveLength(3);
  });

  it('finds messages lost at the tail through the counter hint', async () => {
    const { delivered, commit, sequencer, clock } = setup();
    commit(1);
    commit(2, false);
    commit(3, false);
    sequencer.hint(3);
    await clock.advance(299);
    expect(delivered).toEqual([1]);
    await clock.advance(1);
    expect(delivered).toEqual([1, 2, 3]);
  });

  it('a hint the bus then satisfies reads nothing', async () => {
    const { commit, sequencer, store, clock, delivered } = setup();
    store.add(1);
    sequencer.hint(1);
    sequencer.push(1, 'm1');
    commit(2);
    await clock.advance(1000);
    expect(delivered).toEqual([1, 2]);
    expect(store.calls).toHaveLength(0);
  });

  it('reads a long gap page by page, in order', async () => {
    const { delivered, commit, clock, store } = setup(0, 100);
    for (let seq = 1; seq <= 250; seq++) commit(seq, false);
    commit(251);
    await clock.advance(300);
    expect(delivered).toEqual(Array.from({ length: 251 }, (_, i) => i + 1));
    expect(store.calls.map((c) => c.after)).toEqual([0, 100, 200]);
  });

  it('does not deliver twice what arrives on the bus while the store is read', async () => {
    const clock = new FakeClock();
    const delivered: number[] = [];
    let release!: (range: StoredRange<string>) => void;
    const sequencer = sequencerWith(
      clock,
      () => new Promise((resolve) => (release = resolve)),
      (_item, seq) => delivered.push(seq),
    );
    sequencer.start(0);
    sequencer.push(2, 'm2');
    await clock.advance(300);
    // While the read is in flight, seq 1 and 3 arrive late on the bus.
    sequencer.push(1, 'm1');
    sequencer.push(3, 'm3');
    expect(delivered).toEqual([1, 2, 3]);
    release({
      items: [1, 2, 3].map((seq) => ({ seq, item: `m${seq}` })),
      lastSeq: 3,
    });
    await settle();
    sequencer.push(4, 'm4');
    expect(delivered).toEqual([1, 2, 3, 4]);
  });

  it('starts from the counter read at the first socket, dropping what came before it', () => {
    const clock = new FakeClock();
    const delivered: number[] = [];
    const store = new FakeStore();
    const sequencer = sequencerWith(clock, store.fetch, (_item, seq) => delivered.push(seq));
    sequencer.push(4, 'm4');
    sequencer.push(6, 'm6');
    // The first socket attaches at 5 and then receives 6.
    expect(sequencer.start(5)).toBe(5);
    expect(delivered).toEqual([]);
    sequencer.flush();
    expect(delivered).toEqual([6]);
    expect(sequencer.start(9)).toBe(6);
  });

  it('resync reads at once (a bus that was away)', async () => {
    const { delivered, commit, sequencer, store } = setup();
    commit(1, false);
    commit(2, false);
    await sequencer.resync();
    expect(delivered).toEqual([1, 2]);
    expect(store.calls).toHaveLength(1);
  });

  it('stops when the room is gone', async () => {
    const clock = new FakeClock();
    const delivered: number[] = [];
    const sequencer = sequencerWith(
      clock,
      () => Promise.resolve({ items: [], lastSeq: null }),
      (_item, seq) => delivered.push(seq),
    );
    sequencer.start(0);
    sequencer.push(2, 'm2');
    await clock.advance(300);
    sequencer.push(1, 'm1');
    expect(delivered).toEqual([]);
    expect(clock.armed).toEqual([]);
  });

  it('never shows an edit or a deletion before its message', async () => {
    const clock = new FakeClock();
    const out: string[] = [];
    const store = new FakeStore();
    const sequencer = sequencerWith(clock, store.fetch, (item) => out.push(item));
    sequencer.start(0);
    store.add(1);
    store.add(2);
    store.add(3);
    sequencer.push(3, 'm3');
    // Message 2 is edited, then message 1 deleted, before either went out.
    expect(sequencer.amend(2, 'm2 edited')).toBe(true);
    store.rows.delete(1);
    expect(sequencer.amend(1, null)).toBe(true);
    // Their originals arrive late on the bus: ignored.
    sequencer.push(2, 'm2');
    sequencer.push(1, 'm1');
    expect(out).toEqual(['m2 edited', 'm3']);
    // Once a message is out, its edit goes to the sockets as an event of its own.
    expect(sequencer.amend(3, 'm3 edited')).toBe(false);
    await clock.advance(1000);
    expect(out).toEqual(['m2 edited', 'm3']);
    expect(store.calls).toHaveLength(0);
  });

  it('counts a gap first seen during a read from then, not from the end of the read', async () => {
    const clock = new FakeClock();
    const delivered: number[] = [];
    const store = new FakeStore();
    let slow = false;
    const sequencer = new RoomSequencer<string>({
      gapWaitMs: 300,
      retryMs: 1000,
      batchSize: 100,
      clock,
      // A slow read: its snapshot is taken when it starts, its answer comes 200 ms later.
      fetch: (after, limit) => {
        const snapshot = store.fetch(after, limit);
        return slow
          ? new Promise((resolve) => clock.setTimeout(() => resolve(snapshot), 200))
          : snapshot;
      },
      deliver: (_item, seq) => delivered.push(seq),
    });
    sequencer.start(0);
    store.add(1);
    store.add(2);
    slow = true;
    sequencer.push(2, 'm2'); // gap at 1, read at t=300, answered at t=500
    await clock.advance(350);
    store.add(3);
    store.add(4);
    sequencer.push(4, 'm4'); // a second gap (3) first seen at t=350, during the read
    await clock.advance(150); // t=500: the read returns 1 and 2 only (its snapshot)
    expect(delivered).toEqual([1, 2]);
    // The second gap's read starts at 350 + 300 = 650, not 500 + 300.
    expect(clock.armed).toEqual([650]);
  });
});
