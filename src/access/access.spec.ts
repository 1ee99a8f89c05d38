import { HttpException } from '@nestjs/common';
import { type AccessFacts, type Actor, can, type Permission, requireAccess } from './access';

const alice: Actor = { id: 'alice', isSuperuser: false };
const bob: Actor = { id: 'bob', isSuperuser: false };
const admin: Actor = { id: 'admin', isSuperuser: true };

type Case<P extends Permission = Permission> = [
  P,
  Actor,
  AccessFacts[P],
  /** null: allowed; otherwise the status and code of the refusal. */
  [number, string] | null,
];

const publicRoom = { isPrivate: false, ownerId: 'alice' };
const privateRoom = { isPrivate: true, ownerId: 'alice' };

const CASES: Case[] = [
  ['post.edit', alice, { authorId: 'alice' }, null],
  ['post.edit', bob, { authorId: 'alice' }, [403, 'NOT_POST_OWNER']],
  ['post.edit', admin, { authorId: 'alice' }, [403, 'NOT_POST_OWNER']],
  ['post.delete', alice, { authorId: 'alice' }, null],
  ['post.delete', bob, { authorId: 'alice' }, [403, 'NOT_POST_OWNER']],
  ['post.delete', admin, { authorId: 'alice' }, null],
  ['room.see', bob, { ...publicRoom, isMember: false }, null],
  ['room.see', bob, { ...privateRoom, isMember: false }, [404, 'ROOM_NOT_FOUND']],
  ['room.see', bob, { ...privateRoom, isMember: true }, null],
  // Superusers are not room members by right: private rooms stay private.
  ['room.see', admin, { ...privateRoom, isMember: false }, [404, 'ROOM_NOT_FOUND']],
  ['room.take_part', bob, { ...publicRoom, isMember: false }, [403, 'NOT_ROOM_MEMBER']],
  ['room.take_part', bob, { ...privateRoom, isMember: false }, [404, 'ROOM_NOT_FOUND']],
  ['room.take_part', bob, { ...privateRoom, isMember: true }, null],
  ['room.manage', alice, { ...privateRoom, isMember: true }, null],
  ['room.manage', bob, { ...privateRoom, isMember: true }, [403, 'NOT_ROOM_OWNER']],
  ['room.manage', bob, { ...privateRoom, isMember: false }, [404, 'ROOM_NOT_FOUND']],
  ['room.manage', bob, { ...publicRoom, isMember: false }, [403, 'NOT_ROOM_MEMBER']],
  ['message.edit', bob, { authorId: 'bob' }, null],
  ['message.edit', alice, { authorId: 'bob' }, [403, 'NOT_MESSAGE_AUTHOR']],
  ['message.delete', bob, { authorId: 'bob', roomOwnerId: 'alice' }, null],
  ['message.delete', alice, { authorId: 'bob', roomOwnerId: 'alice' }, null],
  ['message.delete', admin, { authorId: 'bob', roomOwnerId: 'alice' }, [403, 'NOT_MESSAGE_AUTHOR']],
  ['upload.read', alice, { ownerId: 'alice', sharedWithActor: false }, null],
  ['upload.read', bob, { ownerId: 'alice', sharedWithActor: true }, null],
  ['upload.read', bob, { ownerId: 'alice', sharedWithActor: false }, [404, 'FILE_NOT_FOUND']],
  ['upload.use', alice, { ownerId: 'alice' }, null],
  ['upload.use', bob, { ownerId: 'alice' }, [404, 'FILE_NOT_FOUND']],
  ['upload.use', admin, { ownerId: 'alice' }, [404, 'FILE_NOT_FOUND']],
  ['user.admin', admin, {}, null],
  ['user.admin', alice, {}, [403, 'SUPERUSER_REQUIRED']],
];

describe('access policy', () => {
  it.each(CASES)('%s by %o on %o', (permission, actor, facts, expected) => {
    expect(can(actor, permission, facts as never)).toBe(expected === null);
    let thrown: unknown;
    try {
      requireAccess(actor, permission, facts as never);
    } catch (err) {
      thrown = err;
    }
    if (expected === null) return expect(thrown).toBeUndefined();
    expect(thrown).toBeInstanceOf(HttpException);
    const error = thrown as HttpException;
    expect([error.getStatus(), (error.getResponse() as { code: string }).code]).toEqual(expected);
  });
});
