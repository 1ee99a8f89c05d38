import { RealtimeBus, type Topic } from '../../src/realtime/realtime-bus';

/** A small seeded PRNG (mulberry32): the same losses on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class LossyBus extends RealtimeBus {
  constructor(private readonly hub: LossyBusHub) {
    super();
  }

  publish<E>(to: Topic<E>, event: E): void {
    this.hub.carry(to.name, event);
  }

  receive(topicName: string, event: unknown): void {
    this.deliver(topicName, event);
  }

  get status(): 'up' {
    return 'up';
  }
}

/**
 * A test double of the bus port shared by several app instances in one process: it drops a
 * share of the events on purpose (for the publishing instance too) and delays the rest by a
 * random amount, so they arrive out of order.
 */
export class LossyBusHub {
  private readonly buses: LossyBus[] = [];
  private readonly next: () => number;
  readonly stats = { carried: 0, dropped: 0, reordered: 0 };
  private lastArrival = new Map<LossyBus, number>();
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: { dropRate: number; maxDelayMs: number; seed?: number }) {
    this.next = random(options.seed ?? 42);
  }

  /** One bus per app instance. */
  bus(): RealtimeBus {
    const bus = new LossyBus(this);
    this.buses.push(bus);
    return bus;
  }

  carry(topicName: string, event: unknown): void {
    for (const bus of this.buses) {
      if (this.closed) return;
      this.stats.carried += 1;
      if (this.next() < this.options.dropRate) {
        this.stats.dropped += 1;
        continue;
      }
      const arrival = Date.now() + Math.floor(this.next() * this.options.maxDelayMs);
      if (arrival < (this.lastArrival.get(bus) ?? 0)) this.stats.reordered += 1;
      this.lastArrival.set(bus, Math.max(arrival, this.lastArrival.get(bus) ?? 0));
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!this.closed) bus.receive(topicName, event);
      }, arrival - Date.now());
      this.timers.add(timer);
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
  }
}
