import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { unauthorized, notFound } from '../common/errors/app.exception';
import type { chatConfig, ConfigType } from '../config/configuration';
import { CLOSE } from './close-codes';
import type { SocketAuthenticator, SocketToken } from './socket-authenticator';
import { type LiveSocket, SocketSupervisor } from './socket-supervisor';

/** Just what the supervisor uses of a `ws` socket. */
class FakeWs extends EventEmitter {
  closed?: { code: number; reason: string };
  terminated = false;
  pings = 0;
  ping(): void {
    this.pings += 1;
  }
  close(code: number, reason: string): void {
    this.closed ??= { code, reason };
  }
  terminate(): void {
    this.terminated = true;
  }
}

interface TestSocket extends LiveSocket {
  fake: FakeWs;
  room: string;
}

const PING_MS = 1000;
const RECHECK_MS = 5000;
const config = { pingIntervalMs: PING_MS, resyncIntervalMs: RECHECK_MS } as ConfigType<
  typeof chatConfig
>;

let nextJti = 0;
const token = (expiresInS = 3600): SocketToken => ({
  jti: `jti-${++nextJti}`,
  exp: Date.now() / 1000 + expiresInS,
});
const socket = (t: SocketToken = token(), room = 'a'): TestSocket => {
  const fake = new FakeWs();
  return { fake, ws: fake as unknown as LiveSocket['ws'], token: t, room };
};

describe('SocketSupervisor', () => {
  let revokedJtis: Set<string>;
  let validityCalls: SocketToken[][];
  let authenticator: SocketAuthenticator<{ id: string }>;
  let supervisor: SocketSupervisor;

  beforeEach(() => {
    jest.useFakeTimers();
    revokedJtis = new Set();
    validityCalls = [];
    authenticator = {
      authenticate: (credentials) => {
        if (credentials.query !== 'good' && credentials.authorization !== 'Bearer good')
          return Promise.reject(unauthorized('INVALID_TOKEN', 'Invalid token'));
        return Promise.resolve({ user: { id: 'u1' }, token: token() });
      },
      stillValid: (tokens) => {
        validityCalls.push(tokens);
        return Promise.resolve(
          new Set(tokens.filter((t) => !revokedJtis.has(t.jti)).map((t) => t.jti)),
        );
      },
    };
    supervisor = new SocketSupervisor(authenticator, config);
    supervisor.onModuleInit();
  });
  afterEach(() => {
    supervisor.onModuleDestroy();
    jest.useRealTimers();
  });

  it('re-checks every gateway’s sockets with one token query, then each gateway’s own rule', async () => {
    const fine = socket();
    const expired = socket(token(-1));
    const revoked = socket();
    revokedJtis.add(revoked.token.jti);
    const outOfRoom = socket(token(), 'gone');
    const listener = socket();
    supervisor.register<TestSocket>({
      sockets: () => [fine, expired, revoked, outOfRoom],
      revoked: (sockets) =>
        Promise.resolve(
          sockets.filter((s) => s.room === 'gone').map((s) => ({ socket: s, reason: 'Left' })),
        ),
    });
    supervisor.register<TestSocket>({ sockets: () => [listener] });

    await jest.advanceTimersByTimeAsync(RECHECK_MS);

    expect(validityCalls).toHaveLength(1);
    expect(validityCalls[0].map((t) => t.jti).sort()).toEqual(
      [fine, revoked, outOfRoom, listener].map((s) => s.token.jti).sort(),
    );
    expect(expired.fake.closed).toEqual({ code: CLOSE.UNAUTHORIZED, reason: 'Token expired' });
    expect(revoked.fake.closed).toEqual({ code: CLOSE.UNAUTHORIZED, reason: 'Token revoked' });
    expect(outOfRoom.fake.closed).toEqual({ code: CLOSE.FORBIDDEN, reason: 'Left' });
    expect(fine.fake.closed).toBeUndefined();
    expect(listener.fake.closed).toBeUndefined();
  });

  it('only asks a gateway about sockets whose token still holds', async () => {
    const revoked = socket();
    revokedJtis.add(revoked.token.jti);
    const asked: TestSocket[][] = [];
    supervisor.register<TestSocket>({
      sockets: () => [revoked],
      revoked: (sockets) => {
        asked.push(sockets);
        return Promise.resolve([]);
      },
    });
    await jest.advanceTimersByTimeAsync(RECHECK_MS);
    expect(asked).toEqual([]);
  });

  it('drops a socket that answered neither the last ping nor with anything else', async () => {
    const silent = socket();
    const ponging = socket();
    const talking = socket();
    supervisor.register<TestSocket>({ sockets: () => [silent, ponging, talking] });
    for (const s of [silent, ponging, talking]) supervisor.watch(s.ws);

    await jest.advanceTimersByTimeAsync(PING_MS);
    expect([silent, ponging, talking].map((s) => s.fake.pings)).toEqual([1, 1, 1]);
    ponging.fake.emit('pong');
    talking.fake.emit('message', Buffer.from('{}'), false);
    await jest.advanceTimersByTimeAsync(PING_MS);

    expect(silent.fake.terminated).toBe(true);
    expect(ponging.fake.terminated).toBe(false);
    expect(talking.fake.terminated).toBe(false);
    expect([ponging, talking].map((s) => s.fake.pings)).toEqual([2, 2]);
  });

  it('authenticates a handshake from the query or the header, and maps refusals to close codes', async () => {
    const req = (url: string, authorization?: string) =>
      ({ url, headers: { authorization } }) as unknown as IncomingMessage;
    await expect(supervisor.authenticate(req('/api/ws/x?token=good'))).resolves.toMatchObject({
      user: { id: 'u1' },
    });
    await expect(supervisor.authenticate(req('/api/ws/x', 'Bearer good'))).resolves.toBeTruthy();
    const refused = await supervisor.authenticate(req('/api/ws/x?token=bad')).catch((e) => e);

    const wsUnauthorized = new FakeWs();
    supervisor.refuse(wsUnauthorized as unknown as LiveSocket['ws'], refused);
    expect(wsUnauthorized.closed?.code).toBe(CLOSE.UNAUTHORIZED);
    const wsForbidden = new FakeWs();
    supervisor.refuse(
      wsForbidden as unknown as LiveSocket['ws'],
      notFound('ROOM_NOT_FOUND', 'Room not found'),
    );
    expect(wsForbidden.closed?.code).toBe(CLOSE.FORBIDDEN);
  });

  it('closes every registered socket when the app shuts down', () => {
    const a = socket();
    const b = socket();
    supervisor.register<TestSocket>({ sockets: () => [a] });
    supervisor.register<TestSocket>({ sockets: () => [b] });
    supervisor.onModuleDestroy();
    expect([a, b].map((s) => s.fake.closed?.code)).toEqual([CLOSE.GOING_AWAY, CLOSE.GOING_AWAY]);
  });
});
