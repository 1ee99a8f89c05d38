import { BlocksService } from '../../src/blocks/blocks.service';
import { CHAT_EVENTS, type ChatEvent } from '../../src/chat/chat-events';
import { MessagesService } from '../../src/chat/messages.service';
import { PresenceService } from '../../src/chat/presence.service';
import { RoomsService } from '../../src/chat/rooms.service';
import { RealtimeBus } from '../../src/realtime/realtime-bus';
import { factories, outcome } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

const MISSING = '00000000-0000-4000-8000-000000000000';

// Rooms and their messages through the services; sockets are the e2e suites' business.
describe('Chat rooms and messages (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let rooms: RoomsService;
  let messages: MessagesService;
  const events: ChatEvent[] = [];

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    rooms = ctx.get(RoomsService);
    messages = ctx.get(MessagesService);
    ctx.app.get(RealtimeBus).subscribe(CHAT_EVENTS, (e) => events.push(e));
  });
  afterAll(() => ctx.close());

  describe('RoomsService', () => {
    it('creates a room with its owner as first member, and describes it', async () => {
      const owner = await make.user();
      const created = await rooms.create(owner, { name: 'Birds', description: 'all of them' });
      expect(created).toMatchObject({
        name: 'Birds',
        description: 'all of them',
        is_private: false,
        owner_id: owner.id,
        member_count: 1,
        last_seq: 0,
      });
      expect(await rooms.isMember(created.id, owner.id)).toBe(true);
      await ctx.get(PresenceService).connect(created.id, owner.id);
      const { room } = await rooms.getVisible(created.id, owner);
      expect(await rooms.describe(room)).toMatchObject({ member_count: 1, online_count: 1 });
      await ctx.get(PresenceService).disconnect(created.id, owner.id);
    });

    it('joins public rooms (idempotently) and never someone else’s private one', async () => {
      const [owner, guest] = [await make.user(), await make.user()];
      const open = await make.room(owner);
      const closed = await make.room(owner, { isPrivate: true });
      expect((await rooms.join(open.id, guest)).member_count).toBe(2);
      expect((await rooms.join(open.id, guest)).member_count).toBe(2);
      // The same answer as for a room that does not exist: no existence oracle.
      expect(await outcome(() => rooms.join(closed.id, guest))).toBe('404 ROOM_NOT_FOUND');
      expect(await outcome(() => rooms.join(MISSING, guest))).toBe('404 ROOM_NOT_FOUND');
      expect(await outcome(() => rooms.join('not-a-uuid', guest))).toBe('404 ROOM_NOT_FOUND');
    });

    it('lists public rooms and one’s own private ones, by name, and pages them', async () => {
      const [owner, other] = [await make.user(), await make.user()];
      const tag = `zq${Date.now().toString(36)}`;
      const pub = await rooms.create(owner, { name: `${tag} public` });
      const priv = await rooms.create(owner, { name: `${tag} private`, is_private: true });
      const names = async (user: typeof owner, member?: boolean) =>
        (await rooms.list(user, { q: tag.toUpperCase(), member })).items.map((r) => r.id);
      // All public rooms; with member=true, the rooms one belongs to, private ones included.
      expect(await names(other)).toEqual([pub.id]);
      expect(await names(owner)).toEqual([pub.id]);
      expect((await names(owner, true)).sort()).toEqual([pub.id, priv.id].sort());
      expect(await names(other, true)).toEqual([]);

      for (let i = 0; i < 4; i++) await rooms.create(other, { name: `${tag} more ${i}` });
      const first = await rooms.list(other, { q: tag, limit: 3 });
      const second = await rooms.list(other, { q: tag, limit: 3, cursor: first.next_cursor! });
      const all = [...first.items, ...second.items].map((r) => r.id);
      expect(new Set(all).size).toBe(5);
      expect(second.next_cursor).toBeNull();
    });

    it('lets the owner rename, add and remove members; removal is announced before the answer', async () => {
      const [owner, member, stranger] = [await make.user(), await make.user(), await make.user()];
      const room = await make.room(owner, { isPrivate: true });
      const updated = await rooms.update(room.id, owner, { name: 'renamed', description: '' });
      expect(updated).toMatchObject({ name: 'renamed', description: null });

      const listed = await rooms.addMember(room.id, owner, member.id);
      expect(listed.map((m) => [m.id, m.is_owner])).toEqual([
        [owner.id, true],
        [member.id, false],
      ]);
      expect(await outcome(() => rooms.addMember(room.id, member, stranger.id))).toBe(
        '403 NOT_ROOM_OWNER',
      );
      expect(await outcome(() => rooms.addMember(room.id, owner, MISSING))).toBe(
        '404 USER_NOT_FOUND',
      );
      expect(await outcome(() => rooms.removeMember(room.id, owner, owner.id))).toBe(
        '403 OWNER_CANNOT_BE_REMOVED',
      );

      await rooms.removeMember(room.id, owner, member.id);
      expect(events.at(-1)).toEqual({ kind: 'kick', roomId: room.id, userId: member.id });
      expect(await rooms.isMember(room.id, member.id)).toBe(false);
      expect(await outcome(() => rooms.removeMember(room.id, owner, member.id))).toBe(
        '404 MEMBER_NOT_FOUND',
      );
      expect(await outcome(() => rooms.listMembers(room.id, member))).toBe('404 ROOM_NOT_FOUND');
    });

    it('adds nobody across a block', async () => {
      const [owner, blocker] = [await make.user(), await make.user()];
      const room = await make.room(owner);
      await ctx.get(BlocksService).block(blocker, owner.id);
      expect(await outcome(() => rooms.addMember(room.id, owner, blocker.id))).toBe(
        '404 USER_NOT_FOUND',
      );
    });

    it('hands ownership to the longest-standing member when the owner leaves', async () => {
      const [owner, first, second] = [await make.user(), await make.user(), await make.user()];
      const room = await make.room(owner, { members: [first, second] });
      await rooms.leave(room.id, owner);
      expect(events.at(-1)).toEqual({ kind: 'kick', roomId: room.id, userId: owner.id });
      const { room: after } = await rooms.getVisible(room.id, first);
      expect(after.ownerId).toBe(first.id);
      expect(await outcome(() => rooms.leave(room.id, owner))).toBe('403 NOT_ROOM_MEMBER');
    });

    it('deletes a room (its owner only) and announces it', async () => {
      const [owner, member] = [await make.user(), await make.user()];
      const room = await make.room(owner, { members: [member] });
      expect(await outcome(() => rooms.delete(room.id, member))).toBe('403 NOT_ROOM_OWNER');
      await rooms.delete(room.id, owner);
      expect(events.at(-1)).toEqual({ kind: 'room_closed', roomId: room.id });
      expect(await outcome(() => rooms.getVisible(room.id, owner))).toBe('404 ROOM_NOT_FOUND');
    });

    it('answers which of many (room, user) pairs are memberships, in one call', async () => {
      const [owner, member, stranger] = [await make.user(), await make.user(), await make.user()];
      const room = await make.room(owner, { members: [member] });
      const found = await rooms.memberships([
        { roomId: room.id, userId: member.id },
        { roomId: room.id, userId: stranger.id },
      ]);
      expect([...found]).toEqual([`${room.id}|${member.id}`]);
    });
  });

  describe('MessagesService', () => {
    it('numbers messages 1, 2, 3… per room and publishes each', async () => {
      const [owner, member] = [await make.user(), await make.user()];
      const room = await make.room(owner, { members: [member] });
      const other = await make.room(owner);
      const seqs: number[] = [];
      for (const [who, text] of [
        [owner, 'a'],
        [member, 'b'],
        [owner, 'c'],
      ] as const) {
        const { message, created } = await messages.send(who, room.id, { content: text });
        expect(created).toBe(true);
        seqs.push(message.seq);
      }
      expect(seqs).toEqual([1, 2, 3]);
      expect((await messages.send(owner, other.id, { content: 'x' })).message.seq).toBe(1);
      const published = events.filter((e) => e.kind === 'frame' && e.roomId === room.id);
      expect(published).toHaveLength(3);
    });

    it('returns the stored message for a repeated client_id, without publishing it again', async () => {
      const owner = await make.user();
      const room = await make.room(owner);
      const first = await messages.send(owner, room.id, { content: 'once', client_id: 'c-1' });
      const before = events.length;
      const again = await messages.send(owner, room.id, { content: 'once', client_id: 'c-1' });
      expect(again).toMatchObject({ created: false, message: { id: first.message.id } });
      expect(events.length).toBe(before);
    });

    it.each([
      ['whitespace', { content: '   ' }, '400 MESSAGE_EMPTY'],
      ['nothing', {}, '400 MESSAGE_EMPTY'],
      ['4001 characters', { content: 'x'.repeat(4001) }, '400 MESSAGE_TOO_LONG'],
      ['another room_id', { content: 'x', room_id: MISSING }, '400 ROOM_ID_MISMATCH'],
      ['an unknown file', { file_id: MISSING }, '404 FILE_NOT_FOUND'],
    ])('refuses %s: %s', async (_, input, expected) => {
      const owner = await make.user();
      const room = await make.room(owner);
      expect(await outcome(() => messages.send(owner, room.id, input))).toBe(expected);
    });

    it('attaches only one’s own uploads', async () => {
      const [owner, member] = [await make.user(), await make.user()];
      const room = await make.room(owner, { members: [member] });
      const upload = await make.upload(owner);
      expect(await outcome(() => messages.send(member, room.id, { file_id: upload.id }))).toBe(
        '404 FILE_NOT_FOUND',
      );
      const { message } = await messages.send(owner, room.id, { file_id: upload.id });
      expect(messages.present(message).file).toMatchObject({ file_name: 'notes.pdf' });
    });

    it('edits (author only) and deletes, publishing each change', async () => {
      const [owner, member] = [await make.user(), await make.user()];
      const room = await make.room(owner, { members: [member] });
      const { message } = await messages.send(member, room.id, { content: 'tpyo' });
      const edited = await messages.edit(member, room.id, message.id, 'typo');
      expect(edited).toMatchObject({ id: message.id, content: 'typo' });
      expect(edited.edited_at).not.toBeNull();
      expect(events.at(-1)).toMatchObject({ frame: { type: 'message_updated' } });

      await messages.delete(owner, room.id, message.id);
      expect(events.at(-1)).toMatchObject({ frame: { type: 'message_deleted' } });
      expect((await messages.history(owner, room.id, {})).items).toEqual([]);
      expect(await outcome(() => messages.delete(owner, room.id, message.id))).toBe(
        '404 MESSAGE_NOT_FOUND',
      );
      // A message of another room is not found through this one.
      const other = await make.room(owner);
      const elsewhere = (await messages.send(owner, other.id, { content: 'x' })).message;
      expect(await outcome(() => messages.edit(owner, room.id, elsewhere.id, 'y'))).toBe(
        '404 MESSAGE_NOT_FOUND',
      );
    });

    it('refuses history with both before_seq and after_seq', async () => {
      const owner = await make.user();
      const room = await make.room(owner);
      expect(
        await outcome(() => messages.history(owner, room.id, { before_seq: 5, after_seq: 1 })),
      ).toBe('400 INVALID_QUERY');
    });

    it('tells moderation who wrote a message and who may see it, and removes it', async () => {
      const [owner, member, stranger] = [await make.user(), await make.user(), await make.user()];
      const room = await make.room(owner, { isPrivate: true, members: [member] });
      const { message } = await messages.send(member, room.id, { content: 'x' });
      expect(await messages.authorOf(message.id)).toBe(member.id);
      expect(await messages.authorOf('nope')).toBeNull();
      expect(await messages.visibleTo(message.id, owner)).toBe(true);
      expect(await messages.visibleTo(message.id, stranger)).toBe(false);
      expect(await messages.visibleTo(MISSING, owner)).toBe(false);

      await messages.removeAsModerator(message.id);
      expect(events.at(-1)).toMatchObject({
        roomId: room.id,
        frame: { type: 'message_deleted', message: { id: message.id } },
      });
      expect(await messages.authorOf(message.id)).toBeNull();
      await expect(messages.removeAsModerator(message.id)).resolves.toBeUndefined();
    });
  });
});
