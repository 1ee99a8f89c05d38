import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpException } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { ChatUpload } from '../../src/chat/entities/chat-upload.entity';
import type { ReceivedFile } from '../../src/common/multipart/multipart';
import { MediaService } from '../../src/media/media.service';
import { Post } from '../../src/posts/entities/post.entity';
import { RoomsService } from '../../src/chat/rooms.service';
import type { User } from '../../src/users/entities/user.entity';
import { UsersService } from '../../src/users/users.service';
import { insertMessages, insertPosts, insertUsers, runner } from './seed.cjs';
import type { ServiceContext } from './service-context';

/** The password of every account user() creates. */
export const PASSWORD = 'a good password';

/** The status and code a call (sync or async) fails with (`404 POST_NOT_FOUND`), or 'ok'. */
export async function outcome(call: () => unknown): Promise<string> {
  try {
    await call();
    return 'ok';
  } catch (err) {
    if (!(err instanceof HttpException)) throw err;
    return `${err.getStatus()} ${(err.getResponse() as { code: string }).code}`;
  }
}

let counter = 0;
const next = () => `${Date.now().toString(36)}${(counter += 1)}`;

/**
 * Small factories for service-tier tests: rows as the app would write them (accounts and
 * rooms through the services; posts, messages and crowds of users through the bulk inserts
 * the benchmarks seed with, test/support/seed.cjs).
 */
export function factories(ctx: ServiceContext) {
  const users = ctx.get(UsersService);
  const rooms = ctx.get(RoomsService);
  const data = ctx.get(DataSource);
  const run = runner(data);
  return {
    async user(overrides: { isSuperuser?: boolean; isActive?: boolean } = {}): Promise<User> {
      const user = await users.create({
        email: `u${next()}@example.com`,
        password: PASSWORD,
        isSuperuser: overrides.isSuperuser,
      });
      // A ban as a superuser does it.
      if (overrides.isActive === false) return users.adminUpdate(user.id, { is_active: false });
      return user;
    },

    /** `count` posts by `authors` in turn, newest last (see insertPosts). */
    async posts(authors: User[], count: number): Promise<Post[]> {
      const rows = await insertPosts(run, { authorIds: authors.map((a) => a.id), total: count });
      const ids = rows.map((r) => r.id);
      const found = await data.getRepository(Post).findBy({ id: In(ids) });
      return ids.map((id) => found.find((p) => p.id === id)!);
    },

    async post(author: User): Promise<Post> {
      return (await this.posts([author], 1))[0];
    },

    /** `count` verified accounts at once (all with one unusable password). */
    async crowd(count: number): Promise<User[]> {
      const ids = await insertUsers(run, { count, prefix: `crowd-${next()}`, hashedPassword: '!' });
      return users.findByIds(ids);
    },

    /** A room of `owner`'s, with `members` added. */
    async room(owner: User, options: { isPrivate?: boolean; members?: User[] } = {}) {
      const room = await rooms.create(owner, {
        name: `room ${next()}`,
        is_private: options.isPrivate ?? false,
      });
      for (const member of options.members ?? []) await rooms.addMembership(room.id, member.id);
      return room;
    },

    /**
     * `count` messages in the room by `senders` in turn, written straight to the table (no
     * real-time event, as if the bus had lost them); their ids, in seq order.
     */
    messages(roomId: string, senders: User[], count: number): Promise<string[]> {
      return insertMessages(run, { roomId, senderIds: senders.map((s) => s.id), count });
    },

    /** A file as a multipart upload leaves it: in the media temp folder, ready to be stored. */
    async file(bytes: Buffer, fileName: string): Promise<ReceivedFile> {
      const dir = ctx.get(MediaService).tempDir;
      await mkdir(dir, { recursive: true });
      const tempPath = join(dir, randomUUID());
      await writeFile(tempPath, bytes);
      return { field: 'file', fileName, tempPath, size: bytes.length };
    },

    async upload(owner: User): Promise<ChatUpload> {
      const id = randomUUID();
      return data.getRepository(ChatUpload).save({
        ownerId: owner.id,
        storage: 'local',
        fileId: `chat/${id}.pdf`,
        path: `chat/${id}.pdf`,
        fileName: 'notes.pdf',
        mimeType: 'application/pdf',
        category: 'document',
        size: 100,
      });
    },
  };
}
