import { randomUUID } from 'node:crypto';
import { RealtimeBus, type Topic } from '../src/realtime/realtime-bus';
import type { HttpResponse } from './support/http';
import {
  type Instance,
  type ProcessInstance,
  startProcessInstance,
} from './support/process-instance';
import { createTestApp, type TestApp } from './support/test-app';
import { signUp, type TestUser } from './support/users';
import { WsClient } from './support/ws-client';

/**
 * The end of someone's place in a room takes effect when it is answered: their sockets in
 * the room close at once (4403) and receive nothing sent after the answer. The periodic
 * re-check is ten minutes away in these apps, so only the immediate path can pass.
 */
const ENV = {
  CHAT_RESYNC_INTERVAL_MS: '600000',
  CHAT_TYPING_INTERVAL_MS: '0',
  CHAT_RATE_LIMIT: '1000',
};
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Far below the re-check interval: the close came from the removal itself. */
const AT_ONCE_MS = 1000;

interface Setup {
  room: { id: string };
  /** The owner's socket (a witness: it receives what the removed member must not). */
  witness: WsClient;
  removed: WsClient;
}

describe('Removal from a room takes effect at once (e2e)', () => {
  let t: TestApp;
  let owner: TestUser;
  let carol: TestUser;
  const sockets: WsClient[] = [];

  const connected = async (app: Instance, roomId: string, user: TestUser) => {
    const client = await WsClient.connect(`${app.wsUrl}/api/ws/${roomId}?token=${user.token}`);
    sockets.push(client);
    await client.next('welcome');
    return client;
  };

  /** A private room of the owner's with carol in it, both connected, a message seen by both. */
  const roomWithCarol = async (app: Instance, carolOn: Instance = app): Promise<Setup> => {
    const room = (
      await app.http.post('/api/rooms', {
        token: owner.token,
        json: { name: `removal ${randomUUID().slice(0, 8)}`, is_private: true },
      })
    ).body as { id: string };
    const added = await app.http.post(`/api/rooms/${room.id}/members`, {
      token: owner.token,
      json: { user_id: carol.id },
    });
    expect(added.status).toBe(201);
    const witness = await connected(app, room.id, owner);
    const removed = await connected(carolOn, room.id, carol);
    await app.http.post(`/api/rooms/${room.id}/messages`, {
      token: owner.token,
      json: { content: 'before' },
    });
    await removed.next('message', (f) => f.message.content === 'before');
    await witness.next('message', (f) => f.message.content === 'before');
    return { room, witness, removed };
  };

  /**
   * Runs `remove`, then sends frames of every kind into the room from `senders`; the removed
   * socket closes with 4403 well before any re-check, and none of those frames reach it.
   */
  const expectCutOff = async (
    { room, witness, removed }: Setup,
    remove: () => Promise<HttpResponse>,
    senders: Instance[],
  ) => {
    const response = await remove();
    expect(response.status).toBe(204);
    const answeredAt = Date.now();
    const framesAtAnswer = removed.frames.length;
    // Frames of every kind, right after the answer: a message over the socket and over REST
    // (on every instance), a typing indicator, an edit.
    witness.send({ type: 'message', content: 'after ws' });
    witness.send({ type: 'typing', typing: true });
    let last = '';
    for (const [i, app] of senders.entries()) {
      last = `after rest ${i}`;
      const sent = await app.http.post(`/api/rooms/${room.id}/messages`, {
        token: owner.token,
        json: { content: last },
      });
      expect(sent.status).toBe(201);
      await app.http.patch(`/api/rooms/${room.id}/messages/${sent.body.id}`, {
        token: owner.token,
        json: { content: `${last} edited` },
      });
    }
    await witness.next('message', (f) => f.message.content === 'after ws');
    await witness.next('message_updated', (f) => f.message.content === `${last} edited`);

    expect(await removed.closed(AT_ONCE_MS)).toBe(4403);
    expect(Date.now() - answeredAt).toBeLessThan(AT_ONCE_MS);
    // Whatever was already on its way when the removal was answered may still land; nothing
    // sent after it does.
    const late = removed.frames.slice(framesAtAnswer);
    expect(JSON.stringify(late)).not.toContain('after');
    expect(JSON.stringify(removed.frames)).not.toContain('after');
  };

  describe('on one instance', () => {
    beforeAll(async () => {
      t = await createTestApp(ENV);
      owner = await signUp(t.http);
      carol = await signUp(t.http);
    });
    afterEach(() => {
      for (const s of sockets.splice(0)) s.close();
    });
    afterAll(() => t.close());

    it('a member removed by the owner', async () => {
      const setup = await roomWithCarol(t);
      await expectCutOff(
        setup,
        () =>
          t.http.delete(`/api/rooms/${setup.room.id}/members/${carol.id}`, { token: owner.token }),
        [t],
      );
    });

    it('a member who leaves', async () => {
      const setup = await roomWithCarol(t);
      await expectCutOff(
        setup,
        () => t.http.post(`/api/rooms/${setup.room.id}/leave`, { token: carol.token }),
        [t],
      );
    });

    it('every member when the room is deleted', async () => {
      const { room, witness, removed } = await roomWithCarol(t);
      const framesAtAnswer = [witness, removed].map((c) => c.frames.length);
      const response = await t.http.delete(`/api/rooms/${room.id}`, { token: owner.token });
      expect(response.status).toBe(204);
      const answeredAt = Date.now();
      expect(await removed.closed(AT_ONCE_MS)).toBe(4403);
      expect(await witness.closed(AT_ONCE_MS)).toBe(4403);
      expect(Date.now() - answeredAt).toBeLessThan(AT_ONCE_MS);
      // Nothing about the room goes out once it is gone, and nobody gets back in.
      const again = await WsClient.connect(`${t.wsUrl}/api/ws/${room.id}?token=${carol.token}`);
      sockets.push(again);
      expect(await again.closed()).toBe(4403);
      expect(removed.frames.length).toBe(framesAtAnswer[1]);
      expect(witness.frames.length).toBe(framesAtAnswer[0]);
    });

    it('a removed member’s socket still in its handshake is refused', async () => {
      const setup = await roomWithCarol(t);
      // A second socket of carol's, opened as the removal runs.
      const [opening, response] = await Promise.all([
        WsClient.connect(`${t.wsUrl}/api/ws/${setup.room.id}?token=${carol.token}`),
        t.http.delete(`/api/rooms/${setup.room.id}/members/${carol.id}`, { token: owner.token }),
      ]);
      sockets.push(opening);
      expect(response.status).toBe(204);
      setup.witness.send({ type: 'message', content: 'after ws' });
      await setup.witness.next('message', (f) => f.message.content === 'after ws');
      expect(await opening.closed(AT_ONCE_MS)).toBe(4403);
      expect(JSON.stringify(opening.frames)).not.toContain('after');
      expect(await setup.removed.closed(AT_ONCE_MS)).toBe(4403);
    });
  });

  describe('across two instances through Redis', () => {
    let one: TestApp;
    // The other instance runs as its own process, as instances do in production.
    let two: ProcessInstance;

    beforeAll(async () => {
      one = await createTestApp({ ...ENV, REDIS_URL });
      two = await startProcessInstance({ ...ENV, REDIS_URL }, { shareDatabaseWith: one });
      owner = await signUp(one.http);
      carol = await signUp(one.http);
    });
    afterEach(() => {
      for (const s of sockets.splice(0)) s.close();
    });
    afterAll(async () => {
      await two?.close();
      await one?.close();
    });

    it('a member removed on one instance, connected to the other', async () => {
      const setup = await roomWithCarol(one, two);
      await expectCutOff(
        setup,
        () =>
          one.http.delete(`/api/rooms/${setup.room.id}/members/${carol.id}`, {
            token: owner.token,
          }),
        [one, two],
      );
    });

    it('a member who leaves on one instance, connected to the other', async () => {
      const setup = await roomWithCarol(one, two);
      await expectCutOff(
        setup,
        () => one.http.post(`/api/rooms/${setup.room.id}/leave`, { token: carol.token }),
        [two, one],
      );
    });

    it('every member on both instances when the room is deleted', async () => {
      const { room, witness, removed } = await roomWithCarol(one, two);
      const response = await one.http.delete(`/api/rooms/${room.id}`, { token: owner.token });
      expect(response.status).toBe(204);
      const answeredAt = Date.now();
      expect(await removed.closed(AT_ONCE_MS)).toBe(4403);
      expect(await witness.closed(AT_ONCE_MS)).toBe(4403);
      expect(Date.now() - answeredAt).toBeLessThan(AT_ONCE_MS);
    });
  });

  describe('when the bus lost the news of the removal', () => {
    /** A bus that loses the events the test picks (for this instance too), in-process. */
    class SelectiveBus extends RealtimeBus {
      lose: (event: unknown) => boolean = () => false;
      publish<E>(to: Topic<E>, event: E): void {
        if (!this.lose(event)) this.deliver(to.name, event);
      }
      get status(): 'up' {
        return 'up';
      }
    }
    const bus = new SelectiveBus();

    beforeAll(async () => {
      t = await createTestApp(
        { ...ENV, CHAT_GAP_WAIT_MS: '50' },
        { providers: [{ provide: RealtimeBus, useValue: bus }] },
      );
      owner = await signUp(t.http);
      carol = await signUp(t.http);
    });
    afterEach(() => {
      bus.lose = () => false;
      for (const s of sockets.splice(0)) s.close();
    });
    afterAll(() => t.close());

    it('messages read back from the database never reach the removed member', async () => {
      const { room, witness, removed } = await roomWithCarol(t);
      // The removal's news and the next message are lost; the one after reveals the gap.
      bus.lose = (event) => {
        const e = event as { kind?: string; frame?: { message?: { content?: string } } };
        return e.kind === 'kick' || e.frame?.message?.content === 'after 1';
      };
      const response = await t.http.delete(`/api/rooms/${room.id}/members/${carol.id}`, {
        token: owner.token,
      });
      expect(response.status).toBe(204);
      for (const content of ['after 1', 'after 2'])
        await t.http.post(`/api/rooms/${room.id}/messages`, {
          token: owner.token,
          json: { content },
        });
      // The witness gets both, the lost one read back from the database.
      await witness.next('message', (f) => f.message.content === 'after 1');
      await witness.next('message', (f) => f.message.content === 'after 2');
      expect(await removed.closed(AT_ONCE_MS)).toBe(4403);
      expect(JSON.stringify(removed.frames)).not.toContain('after');
    });
  });
});
