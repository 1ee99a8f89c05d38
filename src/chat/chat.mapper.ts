import type { Links } from '../media/media-links';
import type { User } from '../users/entities/user.entity';
import type { ChatUser, MessageFile, MessageResponse, RoomResponse } from './dto/chat.response';
import type { Room } from './entities/room.entity';

/**
 * A user as the chat keeps and passes it between instances: the avatar as its stored key,
 * since its link depends on where each recipient reached the app.
 */
export type ChatUserRecord = Pick<User, 'id' | 'username' | 'avatarStorage' | 'avatarPath'>;

/** The attachment of a message record: the file as stored (links are made per recipient). */
export type MessageFileRecord = Omit<MessageFile, 'url'> & { storage: string; path: string };

/** A message as read from the database and carried by the bus. */
export type MessageRecord = Omit<MessageResponse, 'user' | 'file'> & {
  user: ChatUserRecord;
  file: MessageFileRecord | null;
};

/** Only what a chat user shows (never the entity: it holds the password hash). */
export const chatUserRecord = (user: ChatUserRecord): ChatUserRecord => ({
  id: user.id,
  username: user.username,
  avatarStorage: user.avatarStorage,
  avatarPath: user.avatarPath,
});

export const toChatUser = (user: ChatUserRecord, links: Links): ChatUser => ({
  id: user.id,
  username: user.username,
  avatar_url: links.avatar(user),
});

export function toMessageResponse(message: MessageRecord, links: Links): MessageResponse {
  const { user, file, ...rest } = message;
  return {
    ...rest,
    user: toChatUser(user, links),
    file: file && {
      id: file.id,
      file_name: file.file_name,
      mime_type: file.mime_type,
      size: file.size,
      // Chat files are private: the link is signed and expires (MEDIA_SIGNED_URL_TTL).
      url: links.privateFile(file),
    },
  };
}

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
