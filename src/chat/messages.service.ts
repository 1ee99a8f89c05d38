import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { AppException, badRequest, notFound, unauthorized } from '../common/errors/app.exception';
import { foreignKeyViolation, uniqueViolation } from '../database/pg-errors';
import type { User } from '../users/entities/user.entity';
import { RealtimeBus } from '../realtime/realtime-bus';
import { CHAT_EVENTS } from './chat-events';
import { NotInRoomException } from './chat.errors';
import { MAX_MESSAGE, type HistoryQuery } from './dto/chat.dto';
import type { MessageResponse } from './dto/chat.response';
import { type MessageRecord, toMessageResponse } from './chat.mapper';
import { MediaLinks } from '../media/media-links';
import type { Room } from './entities/room.entity';
import { RoomsService } from './rooms.service';
import { MessagesRepository } from './messages.repository';
import { requireAccess } from '../access/access';
import { visible } from '../access/visibility';

export interface NewMessage {
  /** The room messaged, repeated (optional); another room's id is refused. */
  room_id?: string;
  content?: string;
  /** null: no file (the chat seed's clients send it so). */
  file_id?: string | null;
  client_id?: string;
}

/** Messages of a room. REST and the WebSocket gateway both send through send(). */
@Injectable()
export class MessagesService {
  constructor(
    private readonly rooms: RoomsService,
    private readonly bus: RealtimeBus,
    private readonly repository: MessagesRepository,
    private readonly links: MediaLinks,
  ) {}

  /** A message as this response shows it (links for the request's origin). */
  present(message: MessageRecord): MessageResponse {
    return toMessageResponse(message, this.links.current());
  }

  /**
   * Stores the message with the room's next seq in one statement (see MessagesRepository),
   * then hands it to the bus, which delivers it to the room's sockets in seq order. A repeated
   * client_id returns the stored message instead (created: false).
   */
  async send(
    user: User,
    roomId: string,
    input: NewMessage,
  ): Promise<{ message: MessageRecord; created: boolean }> {
    if (!isUUID(roomId)) throw notFound('ROOM_NOT_FOUND', 'Room not found');
    // The chat seed's clients repeat the room in the body: the same one, or it is a mistake.
    if (input.room_id !== undefined && input.room_id.toLowerCase() !== roomId.toLowerCase()) {
      throw badRequest('ROOM_ID_MISMATCH', 'room_id in the body is not the room messaged');
    }
    // Whitespace alone is no content.
    const content = input.content?.trim() ? input.content : '';
    const fileId = input.file_id ?? null;
    if (content.length === 0 && !fileId) {
      throw badRequest(
        'MESSAGE_EMPTY',
        'content is required (1-4000 characters) unless a file is attached',
      );
    }
    if (content.length > MAX_MESSAGE)
      throw badRequest('MESSAGE_TOO_LONG', `content must be at most ${MAX_MESSAGE} characters`);
    const row = { roomId, userId: user.id, content, clientId: input.client_id ?? null, fileId };
    let outcome;
    try {
      outcome = await this.repository.insert(row);
    } catch (err) {
      // The same client_id raced in on another connection and won: the retry finds it.
      if (row.clientId && uniqueViolation(err) === 'UQ_messages_client_id') {
        outcome = await this.repository.insert(row);
      } else if (fileId && foreignKeyViolation(err)) {
        // The upload was deleted while the message was being stored.
        throw notFound('FILE_NOT_FOUND', 'No such upload of yours');
      } else {
        throw err;
      }
    }
    switch (outcome.kind) {
      case 'created':
        this.bus.publish(CHAT_EVENTS, {
          kind: 'frame',
          roomId,
          frame: { type: 'message', message: outcome.message },
        });
        return { message: outcome.message, created: true };
      case 'existing':
        return { message: outcome.message, created: false };
      case 'not_member':
        try {
          requireAccess(user, 'room.take_part', { isPrivate: outcome.isPrivate, isMember: false });
        } catch (err) {
          throw err instanceof AppException ? new NotInRoomException(err) : err;
        }
        break;
      case 'no_file':
        throw notFound('FILE_NOT_FOUND', 'No such upload of yours');
      case 'inactive':
        // Banned while a socket was open (HTTP requests are refused by the guard already).
        throw unauthorized('INVALID_TOKEN', 'This account can no longer send messages');
    }
    throw new NotInRoomException(notFound('ROOM_NOT_FOUND', 'Room not found'));
  }

  async history(
    user: User,
    roomId: string,
    query: HistoryQuery,
  ): Promise<{ items: MessageResponse[]; has_more: boolean }> {
    if (query.before_seq !== undefined && query.after_seq !== undefined) {
      throw badRequest('INVALID_QUERY', 'Use before_seq or after_seq, not both');
    }
    const room = await this.rooms.getForMember(roomId, user);
    const limit = query.limit ?? 50;
    const rows = await this.repository.history(room.id, {
      limit,
      beforeSeq: query.before_seq,
      afterSeq: query.after_seq,
    });
    const links = this.links.current();
    return {
      items: rows.slice(0, limit).map((m) => toMessageResponse(m, links)),
      has_more: rows.length > limit,
    };
  }

  async edit(
    user: User,
    roomId: string,
    messageId: string,
    content: string,
  ): Promise<MessageResponse> {
    const { room, message } = await this.find(user, roomId, messageId);
    requireAccess(user, 'message.edit', { authorId: message.user.id });
    const response = await this.repository.editContent({
      messageId: message.id,
      roomId: room.id,
      userId: user.id,
      content,
    });
    if (!response) throw notFound('MESSAGE_NOT_FOUND', 'Message not found');
    this.bus.publish(CHAT_EVENTS, {
      kind: 'frame',
      roomId: room.id,
      frame: { type: 'message_updated', message: response },
    });
    return this.present(response);
  }

  /** The author, or the room's owner. */
  async delete(user: User, roomId: string, messageId: string): Promise<void> {
    const { room, message } = await this.find(user, roomId, messageId);
    requireAccess(user, 'message.delete', {
      authorId: message.user.id,
      roomOwnerId: room.ownerId,
    });
    await this.repository.delete(message.id);
    this.bus.publish(CHAT_EVENTS, {
      kind: 'frame',
      roomId: room.id,
      frame: { type: 'message_deleted', message },
    });
  }

  /** A message's author, for moderation; null when there is none. */
  async authorOf(messageId: string): Promise<string | null> {
    if (!isUUID(messageId)) return null;
    const message = await this.repository.findPlace(messageId);
    return message?.userId ?? null;
  }

  /** Whether `viewer` may see the message (a member of its room). */
  async visibleTo(messageId: string, viewer: User): Promise<boolean> {
    if (!isUUID(messageId)) return false;
    const message = await this.repository.findPlace(messageId);
    if (!message) return false;
    return visible.message(viewer, {
      isMember: await this.rooms.isMember(message.roomId, viewer.id),
    });
  }

  /** Deletes a message as a moderator, telling the room as any deletion does. */
  async removeAsModerator(messageId: string): Promise<void> {
    const message = isUUID(messageId) ? await this.repository.findPlace(messageId) : null;
    if (!message) return;
    const shown = await this.repository.findInRoom(message.roomId, messageId);
    await this.repository.delete(messageId);
    if (shown) {
      this.bus.publish(CHAT_EVENTS, {
        kind: 'frame',
        roomId: message.roomId,
        frame: { type: 'message_deleted', message: shown },
      });
    }
  }

  private async find(
    user: User,
    roomId: string,
    messageId: string,
  ): Promise<{ room: Room; message: MessageRecord }> {
    const room = await this.rooms.getForMember(roomId, user);
    const message = isUUID(messageId) ? await this.repository.findInRoom(room.id, messageId) : null;
    if (!message) throw notFound('MESSAGE_NOT_FOUND', 'Message not found');
    return { room, message };
  }
}
