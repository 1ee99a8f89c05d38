import { MessagesService } from '../../src/chat/messages.service';
import { RoomsService } from '../../src/chat/rooms.service';
import { UploadsService } from '../../src/chat/uploads.service';
import { PostsService } from '../../src/posts/posts.service';
import type { User } from '../../src/users/entities/user.entity';
import { factories, outcome } from '../support/factories';
import { createServiceContext, type ServiceContext } from '../support/service-context';

describe('Access rules through the services (medium)', () => {
  let ctx: ServiceContext;
  let make: ReturnType<typeof factories>;
  let who: Record<'author' | 'other' | 'admin', User>;

  beforeAll(async () => {
    ctx = await createServiceContext();
    make = factories(ctx);
    who = {
      author: await make.user(),
      other: await make.user(),
      admin: await make.user({ isSuperuser: true }),
    };
  });
  afterAll(() => ctx.close());

  describe('posts', () => {
    it.each([
      ['author', 'edit', 'ok'],
      ['other', 'edit', '403 NOT_POST_OWNER'],
      ['admin', 'edit', '403 NOT_POST_OWNER'],
      ['other', 'delete', '403 NOT_POST_OWNER'],
      ['admin', 'delete', 'ok'],
      ['author', 'delete', 'ok'],
    ] as const)('%s may %s: %s', async (actor, action, expected) => {
      const post = await make.post(who.author);
      const posts = ctx.get(PostsService);
      const call =
        action === 'edit'
          ? () => posts.updateCaption(post.id, who[actor], 'changed')
          : () => posts.delete(post.id, who[actor]);
      expect(await outcome(call)).toBe(expected);
    });
  });

  describe('rooms', () => {
    it.each([
      // [room kind, caller, action, expected]
      ['public', 'author', 'rename', 'ok'],
      ['public', 'other', 'rename', '403 NOT_ROOM_MEMBER'],
      ['private', 'other', 'rename', '404 ROOM_NOT_FOUND'],
      ['private', 'member', 'rename', '403 NOT_ROOM_OWNER'],
      // Superusers do not see into private rooms.
      ['private', 'admin', 'history', '404 ROOM_NOT_FOUND'],
      ['public', 'other', 'history', '403 NOT_ROOM_MEMBER'],
      ['private', 'member', 'history', 'ok'],
      ['private', 'other', 'send', '404 ROOM_NOT_FOUND'],
      ['public', 'other', 'send', '403 NOT_ROOM_MEMBER'],
      ['private', 'member', 'send', 'ok'],
    ] as const)('%s room, %s may %s: %s', async (kind, caller, action, expected) => {
      const member = await make.user();
      const room = await make.room(who.author, {
        isPrivate: kind === 'private',
        members: [member],
      });
      const actor = caller === 'member' ? member : who[caller];
      const calls = {
        rename: () => ctx.get(RoomsService).update(room.id, actor, { name: 'renamed' }),
        history: () => ctx.get(MessagesService).history(actor, room.id, {}),
        send: () => ctx.get(MessagesService).send(actor, room.id, { content: 'hi' }),
      };
      expect(await outcome(calls[action])).toBe(expected);
    });

    it('refuses a banned member’s message (an open socket outlives the ban)', async () => {
      const member = await make.user({ isActive: false });
      const room = await make.room(who.author, { members: [member] });
      expect(
        await outcome(() => ctx.get(MessagesService).send(member, room.id, { content: 'x' })),
      ).toBe('401 INVALID_TOKEN');
    });
  });

  describe('messages', () => {
    it.each([
      ['sender', 'delete', 'ok'],
      ['owner', 'delete', 'ok'],
      ['member', 'delete', '403 NOT_MESSAGE_AUTHOR'],
      ['owner', 'edit', '403 NOT_MESSAGE_AUTHOR'],
      ['sender', 'edit', 'ok'],
    ] as const)('%s may %s: %s', async (caller, action, expected) => {
      const sender = await make.user();
      const member = await make.user();
      const room = await make.room(who.author, { members: [sender, member] });
      const messages = ctx.get(MessagesService);
      const { message } = await messages.send(sender, room.id, { content: 'hello' });
      const actor = { sender, owner: who.author, member }[caller];
      const call =
        action === 'edit'
          ? () => messages.edit(actor, room.id, message.id, 'changed')
          : () => messages.delete(actor, room.id, message.id);
      expect(await outcome(call)).toBe(expected);
    });
  });

  describe('uploads', () => {
    it.each([
      ['owner', 'ok', 'ok'],
      ['room member', 'ok', '404 FILE_NOT_FOUND'],
      ['stranger', '404 FILE_NOT_FOUND', '404 FILE_NOT_FOUND'],
    ] as const)('%s: read %s, use %s', async (caller, read, use) => {
      const owner = await make.user();
      const member = await make.user();
      const room = await make.room(owner, { isPrivate: true, members: [member] });
      const upload = await make.upload(owner);
      await ctx.get(MessagesService).send(owner, room.id, { file_id: upload.id });
      const actor = { owner, 'room member': member, stranger: who.other }[caller];
      const uploads = ctx.get(UploadsService);
      expect(await outcome(() => uploads.getVisible(upload.id, actor))).toBe(read);
      expect(await outcome(() => uploads.getOwn(upload.id, actor))).toBe(use);
    });
  });
});
