import { forbidden, notFound } from '../common/errors/app.exception';
import type { User } from '../users/entities/user.entity';
import type { Room } from './entities/room.entity';

// The one place that decides what a user may see and do in a room. A private room is
// invisible (404) to non-members, so its existence does not leak.

export function assertRoomVisible<R extends Pick<Room, 'isPrivate'>>(
  room: R | null,
  isMember: boolean,
): asserts room is R {
  if (!room || (room.isPrivate && !isMember)) throw notFound('ROOM_NOT_FOUND', 'Room not found');
}

export function assertRoomMember(isMember: boolean): void {
  if (!isMember) throw forbidden('NOT_ROOM_MEMBER', 'Join the room first');
}

export function assertRoomOwner(room: Room, user: User): void {
  if (room.ownerId !== user.id)
    throw forbidden('NOT_ROOM_OWNER', 'Only the room owner can do this');
}
