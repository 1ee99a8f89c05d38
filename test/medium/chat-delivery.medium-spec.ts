import { RoomDeliveryService } from '../../src/chat/delivery/room-delivery.service';
import { MessagesService } from '../../src/chat/messages.service';
import { PresenceService } from '../../src/chat/presence.service';
import { RoomsService } from '../../src/chat/rooms.service';
import type { ChatSocket } from '../../src/chat/ws/chat-socket';
import { TypingService } from '../../src/chat/ws/typing.service';
import { MediaLinks } from '../../src/media/media-links';
import { CLOSE } from '../../src/realtime/close-codes';
import type { User } from '../../src/users/entities/user.entity';
import { factories } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

interface Frame {
  type: string;
  message?: { seq: number; content: string };
  user?: { id: string };
  typing?: boolean;
}

/** Stands in for an open chat socket: keeps the frames it is sent and how it was closed. */
class RecordingSocket {
  readonly frames: Frame[] = [];
  closed?: { code: number; reason: string };
  readonly origin = 'http://chat.example';
  constructor(
    readonly user: User,
    readonly roomId: string,
    readonly links: unknown,
  ) {}
  get open() {
    return !this.closed;
  }
  send(data: string | Buffer) {
    // As a real socket: nothing goes out once it is closing.
    if (this.closed) return;
    this.frames.push(JSON.parse(String(data)) as Frame);
  }
  close(code: number, reason: string) {
    this.closed ??= { code, reason };
  }
  seqs() {
    return this.frames.flatMap((f) => (f.type === 'message' ? [f.message!.seq] : []));
  }
}

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

// Delivery on one instance, over the in-process bus (no REDIS_URL).
describe('Chat delivery, presence and typing (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let delivery: RoomDeliveryService;
  let messages: MessagesService;

  beforeAll(async () => {
    ctx = await createServiceContext({ CHAT_GAP_WAIT_MS: '50' });
    make = factories(ctx);
    delivery = ctx.get(RoomDeliveryService);
    messages = ctx.get(MessagesService);
  });
  afterAll(() => ctx.close());

  /** A socket attached to the room as the gateway attaches one, after the room's last seq. */
  const connect = async (user: User, roomId: string) => {
    const socket = new RecordingSocket(user, roomId, ctx.get(MediaLinks).at('http://chat.example'));
    const lease = delivery.reserve(roomId, user.id);
    const { room } = await ctx.get(RoomsService).getVisible(roomId, user);
    expect(lease.attach(socket as unknown as ChatSocket, room.lastSeq, () => undefined)).toBe(true);
    return { socket, lease };
  };

  describe('RoomDeliveryService', () => {
    it('delivers each new message once, in seq order, to every socket of the room', async () => {
      const [owner, member] = [await make.user(), await make.user()];
      const room = await make.room(owner, { members: [member] });
      await make.messages(room.id, [owner], 2);
      const a = await connect(owner, room.id);
      const b = await connect(member, room.id);
      for (const text of ['one', 'two', 'three'])
        await messages.send(member, room.id, { content: text });
      await until(() => a.socket.seqs().length === 3 && b.socket.seqs().length === 3);
      expect(a.socket.seqs()).toEqual([3, 4, 5]);
      expect(b.socket.frames.map((f) => f.message?.content)).toEqual(['one', 'two', 'three']);
      expect([...delivery.sockets()]).toEqual(expect.arrayContaining([a.socket, b.socket]));
      a.lease.release();
      b.lease.release();
      expect([...delivery.sockets()]).not.toContain(a.socket);
    });

    it('reads from the database what the bus did not carry, and keeps the order', async () => {
      const owner = await make.user();
      const room = await make.room(owner);
      const { socket, lease } = await connect(owner, room.id);
      // Stored without a bus event, as if the event had been lost; the next one reveals the gap.
      await make.messages(room.id, [owner], 3);
      await messages.send(owner, room.id, { content: 'after the gap' });
      await until(() => socket.seqs().length === 4);
      expect(socket.seqs()).toEqual([1, 2, 3, 4]);
      lease.release();
    });

    it('closes a removed member’s socket at once, and refuses a handshake under way', async () => {
      const [owner, member] = [await make.user(), await make.user()];
      const room = await make.room(owner, { members: [member] });
      const kept = await connect(owner, room.id);
      const removed = await connect(member, room.id);
      const pending = delivery.reserve(room.id, member.id);

      await ctx.get(RoomsService).removeMember(room.id, owner, member.id);
      expect(removed.socket.closed).toEqual({ code: CLOSE.FORBIDDEN, reason: expect.any(String) });
      expect(kept.socket.closed).toBeUndefined();
      const late = new RecordingSocket(member, room.id, undefined);
      expect(pending.attach(late as unknown as ChatSocket, 0, () => undefined)).toBe(false);

      // Nothing sent after the removal reaches the removed member.
      await messages.send(owner, room.id, { content: 'after' });
      await until(() => kept.socket.seqs().length === 1);
      expect(removed.socket.frames).toEqual([]);
      for (const l of [kept.lease, removed.lease, pending]) l.release();
    });

    it('closes every socket of a deleted room', async () => {
      const [owner, member] = [await make.user(), await make.user()];
      const room = await make.room(owner, { members: [member] });
      const a = await connect(owner, room.id);
      const b = await connect(member, room.id);
      await ctx.get(RoomsService).delete(room.id, owner);
      expect([a.socket.closed?.code, b.socket.closed?.code]).toEqual([
        CLOSE.FORBIDDEN,
        CLOSE.FORBIDDEN,
      ]);
      a.lease.release();
      b.lease.release();
    });
  });

  describe('TypingService', () => {
    it('relays typing to the others in the room, once per state within the interval', async () => {
      const [owner, member] = [await make.user(), await make.user()];
      const room = await make.room(owner, { members: [member] });
      const typist = await connect(owner, room.id);
      const reader = await connect(member, room.id);
      const typing = ctx.get(TypingService);
      const as = typist.socket as unknown as ChatSocket;

      typing.relay(as, true);
      typing.relay(as, true);
      typing.relay(as, false);
      const seen = () => reader.socket.frames.filter((f) => f.type === 'typing');
      expect(seen().map((f) => [f.user?.id, f.typing])).toEqual([
        [owner.id, true],
        [owner.id, false],
      ]);
      expect(typist.socket.frames).toEqual([]);
      // Forgotten when the user's last socket closes: the next state goes out again.
      typing.relay(as, false);
      expect(seen()).toHaveLength(2);
      typing.forget(room.id, owner.id);
      typing.relay(as, false);
      expect(seen()).toHaveLength(3);
      typist.lease.release();
      reader.lease.release();
    });
  });

  describe('PresenceService', () => {
    it('counts a user online from the first socket to the last, per room', async () => {
      const presence = ctx.get(PresenceService);
      const [a, b] = [await make.user(), await make.user()];
      const [room, other] = [await make.room(a), await make.room(a)];

      expect(await presence.connect(room.id, a.id)).toBe(true);
      expect(await presence.connect(room.id, a.id)).toBe(false);
      expect(await presence.connect(room.id, b.id)).toBe(true);
      expect((await presence.onlineUserIds(room.id)).sort()).toEqual([a.id, b.id].sort());
      const byRoom = await presence.onlineUserIdsByRoom([room.id, other.id]);
      expect(byRoom.get(other.id)).toEqual([]);
      expect(byRoom.get(room.id)).toHaveLength(2);

      expect(await presence.disconnect(room.id, a.id)).toBe(false);
      expect(await presence.disconnect(room.id, a.id)).toBe(true);
      expect(await presence.onlineUserIds(room.id)).toEqual([b.id]);
      expect(await presence.disconnect(room.id, b.id)).toBe(true);
      expect(await presence.onlineUserIds(room.id)).toEqual([]);
    });
  });
});
