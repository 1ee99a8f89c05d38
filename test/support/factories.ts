import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ChatUpload } from '../../src/chat/entities/chat-upload.entity';
import { Post } from '../../src/posts/entities/post.entity';
import { RoomsService } from '../../src/chat/rooms.service';
import type { User } from '../../src/users/entities/user.entity';
import { UsersService } from '../../src/users/users.service';
import type { ServiceContext } from './service-context';

let counter = 0;
const next = () => `${Date.now().toString(36)}${(counter += 1)}`;

/** Small factories for service-tier tests: rows as the app would write them. */
export function factories(ctx: ServiceContext) {
  const users = ctx.get(UsersService);
  const rooms = ctx.get(RoomsService);
  const data = ctx.get(DataSource);
  return {
    async user(overrides: { isSuperuser?: boolean; isActive?: boolean } = {}): Promise<User> {
      const user = await users.create({
        email: `u${next()}@example.com`,
        password: 'a good password',
        isSuperuser: overrides.isSuperuser,
      });
      // A ban as a superuser does it.
      if (overrides.isActive === false) return users.adminUpdate(user.id, { is_active: false });
      return user;
    },

    async post(author: User, caption = 'a caption'): Promise<Post> {
      const id = randomUUID();
      return data.getRepository(Post).save({
        userId: author.id,
        caption,
        storage: 'local',
        fileId: `posts/${id}.jpg`,
        filePath: `posts/${id}.jpg`,
        url: `http://localhost/media/posts/${id}.jpg`,
        thumbnailUrl: null,
        fileType: 'image',
        mimeType: 'image/jpeg',
        fileName: 'photo.jpg',
        size: 1234,
        width: 10,
        height: 10,
      });
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

    async upload(owner: User): Promise<ChatUpload> {
      const id = randomUUID();
      return data.getRepository(ChatUpload).save({
        ownerId: owner.id,
        storage: 'local',
        fileId: `chat/${id}.pdf`,
        url: `http://localhost/media/chat/${id}.pdf`,
        fileName: 'notes.pdf',
        mimeType: 'application/pdf',
        category: 'document',
        size: 100,
      });
    },
  };
}
