import { HttpStatus } from '@nestjs/common';
import { AppException } from '../common/errors/app.exception';
import type { Actor } from './actor';
import { visible } from './visibility';

export type { Actor } from './actor';

/**
 * What each permission looks at. Callers load these facts with the object itself (the room
 * and the caller's membership in one query, say), so a check costs no extra round trip.
 */
export interface AccessFacts {
  'post.edit': { authorId: string };
  'post.delete': { authorId: string };
  /** See the room exists (a private room is invisible to non-members). */
  'room.see': { isPrivate: boolean; isMember: boolean };
  /** Read and post messages, list members. */
  'room.take_part': { isPrivate: boolean; isMember: boolean };
  /** Edit, delete, add and remove members. */
  'room.manage': { isPrivate: boolean; isMember: boolean; ownerId: string };
  'message.edit': { authorId: string };
  'message.delete': { authorId: string; roomOwnerId: string };
  /** Download an upload: its owner, or a member of a room where it was posted. */
  'upload.read': { ownerId: string; sharedWithActor: boolean };
  /** Attach an upload to a message, or delete it. */
  'upload.use': { ownerId: string };
  'comment.edit': { authorId: string };
  /** The comment's author, the post's author, or a superuser. */
  'comment.delete': { authorId: string; postAuthorId: string };
  /** Administer users: read full records, edit, ban and delete anyone. */
  'user.admin': Record<string, never>;
}

export type Permission = keyof AccessFacts;

interface Denial {
  status: HttpStatus.FORBIDDEN | HttpStatus.NOT_FOUND;
  code: string;
  detail: string;
}

const forbidden = (code: string, detail: string): Denial => ({
  status: HttpStatus.FORBIDDEN,
  code,
  detail,
});
const hidden = (code: string, detail: string): Denial => ({
  status: HttpStatus.NOT_FOUND,
  code,
  detail,
});

const ROOM_HIDDEN = hidden('ROOM_NOT_FOUND', 'Room not found');
const NOT_MEMBER = forbidden('NOT_ROOM_MEMBER', 'Join the room first');

/**
 * The one access policy of the API: for each permission, who has it. A denial says what the
 * caller gets: 404 where even the object's existence must not leak, 403 otherwise. A new rule
 * ("a moderator may hide any post") is one edit here.
 */
const RULES: { [P in Permission]: (actor: Actor, facts: AccessFacts[P]) => Denial | null } = {
  'post.edit': (actor, post) =>
    post.authorId === actor.id
      ? null
      : forbidden('NOT_POST_OWNER', 'Only the author can change this post'),
  'post.delete': (actor, post) =>
    post.authorId === actor.id || actor.isSuperuser
      ? null
      : forbidden('NOT_POST_OWNER', 'Only the author can change this post'),
  'room.see': (actor, room) => (visible.room(actor, room) ? null : ROOM_HIDDEN),
  'room.take_part': (actor, room) =>
    RULES['room.see'](actor, room) ?? (room.isMember ? null : NOT_MEMBER),
  'room.manage': (actor, room) =>
    RULES['room.take_part'](actor, room) ??
    (room.ownerId === actor.id
      ? null
      : forbidden('NOT_ROOM_OWNER', 'Only the room owner can do this')),
  'message.edit': (actor, message) =>
    message.authorId === actor.id
      ? null
      : forbidden('NOT_MESSAGE_AUTHOR', 'Only the author can edit a message'),
  'message.delete': (actor, message) =>
    message.authorId === actor.id || message.roomOwnerId === actor.id
      ? null
      : forbidden('NOT_MESSAGE_AUTHOR', 'Only the author or the room owner can delete a message'),
  'upload.read': (actor, upload) =>
    upload.ownerId === actor.id || upload.sharedWithActor
      ? null
      : hidden('FILE_NOT_FOUND', 'File not found'),
  'upload.use': (actor, upload) =>
    upload.ownerId === actor.id ? null : hidden('FILE_NOT_FOUND', 'No such upload of yours'),
  'comment.edit': (actor, comment) =>
    comment.authorId === actor.id
      ? null
      : forbidden('NOT_COMMENT_AUTHOR', 'Only the author can edit a comment'),
  'comment.delete': (actor, comment) =>
    comment.authorId === actor.id || comment.postAuthorId === actor.id || actor.isSuperuser
      ? null
      : forbidden(
          'NOT_COMMENT_AUTHOR',
          "Only the comment's author, the post's author or a superuser can delete it",
        ),
  'user.admin': (actor) =>
    actor.isSuperuser ? null : forbidden('SUPERUSER_REQUIRED', 'This action requires a superuser'),
};

export function can<P extends Permission>(
  actor: Actor,
  permission: P,
  facts: AccessFacts[P],
): boolean {
  return RULES[permission](actor, facts) === null;
}

/** Throws the permission's 403 or 404 unless `actor` has it. */
export function requireAccess<P extends Permission>(
  actor: Actor,
  permission: P,
  facts: AccessFacts[P],
): void {
  const denial = RULES[permission](actor, facts);
  if (denial) throw new AppException(denial.status, denial.code, denial.detail);
}
