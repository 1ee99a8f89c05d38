import type { User } from '../users/entities/user.entity';
import type { ChatUser, RoomResponse } from './dto/chat.response';
import type { Room } from './entities/room.entity';

export const toChatUser = (user: Pick<User, 'id' | 'username' | 'avatarUrl'>): ChatUser => ({
  id: user.id,
  username: user.username,
  avatar_url: user.avatarUrl,
});

/** What a room response shows of a room: the entity, or a row of the room listing. */
export type RoomView = Pick<
  Room,
  'id' | 'name' | 'description' | 'isPrivate' | 'ownerId' | 'createdAt' | 'lastSeq'
>;

export function toRoomResponse(
  room: RoomView,
  memberCount: number,
  onlineCount: number,
): RoomResponse {
  return {
    id: room.id,
    name: room.name,
    description: room.description,
    is_private: room.isPrivate,
    owner_id: room.ownerId,
    member_count: memberCount,
    online_count: onlineCount,
    created_at: room.createdAt.toISOString(),
    last_seq: room.lastSeq,
  };
}
