import { LocalRealtimeBus, topic } from './realtime-bus';

type Greeting = { hello: string };
type Count = { n: number };
const GREETINGS = topic<Greeting>('greetings');
const COUNTS = topic<Count>('counts');

describe('RealtimeBus', () => {
  it('hands each topic’s events to that topic’s handlers only, in publication order', () => {
    const bus = new LocalRealtimeBus();
    const greetings: Greeting[] = [];
    const counts: number[] = [];
    bus.subscribe(GREETINGS, (event) => greetings.push(event));
    bus.subscribe(COUNTS, (event) => counts.push(event.n));
    bus.subscribe(COUNTS, (event) => counts.push(event.n * 10));
    bus.publish(COUNTS, { n: 1 });
    bus.publish(GREETINGS, { hello: 'world' });
    bus.publish(COUNTS, { n: 2 });
    expect(greetings).toEqual([{ hello: 'world' }]);
    expect(counts).toEqual([1, 10, 2, 20]);
  });

  it('publishes to a topic nobody listens to without complaint', () => {
    const bus = new LocalRealtimeBus();
    expect(() => bus.publish(topic<Count>('nobody'), { n: 1 })).not.toThrow();
  });

  it('has delivered locally by the time a confirmed publication resolves', async () => {
    const bus = new LocalRealtimeBus();
    const seen: number[] = [];
    bus.subscribe(COUNTS, (event) => seen.push(event.n));
    const confirmed = bus.publishConfirmed(COUNTS, { n: 7 });
    expect(seen).toEqual([7]);
    await confirmed;
    expect(bus.status).toBe('disabled');
  });
});
