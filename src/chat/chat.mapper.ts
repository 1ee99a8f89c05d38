import type { User } from '../users/entities/user.entity';
import type { ChatUser, MessageResponse, RoomResponse } from './dto/chat.response';
import type { Message } from './entities/message.entity';
import type { Room } from './entities/room.entity';

export const toChatUser = (user: Pick<User, 'id' | 'username' | 'avatarUrl'>): ChatUser => ({
  id: user.id,
  username: user.username,
  avatar_url: user.avatarUrl,
});

export function toRoomResponse(room: Room, memberCount: number, onlineCount: number): RoomResponse {
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

/** The one message shape, for REST answers and socket frames alike; `message.user` must be loaded. */
export function toMessageResponse(message: Message): MessageResponse {
  return {
    id: message.id,
    room_id: message.roomId,
    seq: message.seq,
    user: message.user
      ? toChatUser(message.user)
      : { id: message.userId, username: '', avatar_url: null },
    content: message.content,
    file: message.file
      ? {
          id: message.file.id,
          file_name: message.file.fileName,
          mime_type: message.file.mimeType,
          size: message.file.size,
          url: message.file.url,
        }
      : null,
    client_id: message.clientId,
    created_at: message.createdAt.toISOString(),
    edited_at: message.editedAt ? message.editedAt.toISOString() : null,
  };
}
