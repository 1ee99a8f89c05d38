import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { LessThan, MoreThan, Repository } from 'typeorm';
import { badRequest, forbidden, notFound } from '../common/errors/app.exception';
import { uniqueViolation } from '../database/pg-errors';
import type { User } from '../users/entities/user.entity';
import { ChatBus } from './chat-bus';
import { toMessageResponse } from './chat.mapper';
import { MAX_MESSAGE, type HistoryQuery } from './dto/chat.dto';
import type { MessageResponse } from './dto/chat.response';
import { Message } from './entities/message.entity';
import type { Room } from './entities/room.entity';
import { RoomsService } from './rooms.service';
import { UploadsService } from './uploads.service';

export interface NewMessage {
  content?: string;
  file_id?: string;
  client_id?: string;
}

/** Messages of a room. REST and the WebSocket gateway both send through send(). */
@Injectable()
export class MessagesService {
  constructor(
    @InjectRepository(Message) private readonly messages: Repository<Message>,
    private readonly rooms: RoomsService,
    private readonly bus: ChatBus,
    private readonly uploads: UploadsService,
  ) {}

  /**
   * Stores the message with the room's next seq (the room row is locked by the update, so
   * concurrent senders on any instance get consecutive numbers), then pushes it to the
   * room. A repeated client_id returns the stored message instead (created: false).
   */
  async send(
    user: User,
    roomId: string,
    input: NewMessage,
  ): Promise<{ message: MessageResponse; created: boolean }> {
    const room = await this.rooms.getForMember(roomId, user);
    // Whitespace alone is no content.
    const content = input.content?.trim() ? input.content : '';
    const file =
      input.file_id !== undefined ? await this.uploads.getOwn(input.file_id, user) : null;
    if (content.length === 0 && !file) {
      throw badRequest(
        'MESSAGE_EMPTY',
        'content is required (1-4000 characters) unless a file is attached',
      );
    }
    if (content.length > MAX_MESSAGE)
      throw badRequest('MESSAGE_TOO_LONG', `content must be at most ${MAX_MESSAGE} characters`);
    const clientId = input.client_id ?? null;
    if (clientId) {
      const existing = await this.findByClientId(room.id, user.id, clientId);
      if (existing) return { message: toMessageResponse(existing), created: false };
    }
    let message: Message;
    try {
      // One statement: bump the room's counter and insert with the new seq. The room row is
      // locked only for this statement; a failed insert (client_id race) rolls the bump back.
      const rows: Array<Record<string, unknown>> = await this.messages.query(
        `WITH bumped AS (UPDATE rooms SET last_seq = last_seq + 1 WHERE id = $1 RETURNING last_seq)
         INSERT INTO messages (room_id, user_id, seq, content, client_id, file_id)
         SELECT $1, $2, last_seq, $3, $4, $5 FROM bumped
         RETURNING id, seq, created_at`,
        [room.id, user.id, content, clientId, file?.id ?? null],
      );
      if (rows.length === 0) throw notFound('ROOM_NOT_FOUND', 'Room not found');
      message = this.messages.create({
        id: rows[0].id as string,
        roomId: room.id,
        userId: user.id,
        seq: Number(rows[0].seq),
        content,
        clientId,
        fileId: file?.id ?? null,
        createdAt: rows[0].created_at as Date,
        editedAt: null,
      });
    } catch (err) {
      // The same client_id raced in on another connection: that one won, return it.
      if (clientId && uniqueViolation(err) === 'UQ_messages_client_id') {
        const existing = await this.findByClientId(room.id, user.id, clientId);
        if (existing) return { message: toMessageResponse(existing), created: false };
      }
      throw err;
    }
    message.user = user;
    message.file = file;
    const response = toMessageResponse(message);
    this.bus.publish({
      kind: 'frame',
      roomId: room.id,
      frame: { type: 'message', message: response },
    });
    return { message: response, created: true };
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
    const catchUp = query.after_seq !== undefined;
    const rows = await this.messages.find({
      where: {
        roomId: room.id,
        ...(query.before_seq !== undefined ? { seq: LessThan(query.before_seq) } : {}),
        ...(catchUp ? { seq: MoreThan(query.after_seq as number) } : {}),
      },
      relations: { user: true, file: true },
      order: { seq: catchUp ? 'ASC' : 'DESC' },
      take: limit + 1,
    });
    return { items: rows.slice(0, limit).map(toMessageResponse), has_more: rows.length > limit };
  }

  async edit(
    user: User,
    roomId: string,
    messageId: string,
    content: string,
  ): Promise<MessageResponse> {
    const { room, message } = await this.find(user, roomId, messageId);
    if (message.userId !== user.id)
      throw forbidden('NOT_MESSAGE_AUTHOR', 'Only the author can edit a message');
    message.content = content;
    message.editedAt = new Date();
    await this.messages.save(message);
    const response = toMessageResponse(message);
    this.bus.publish({
      kind: 'frame',
      roomId: room.id,
      frame: { type: 'message_updated', message: response },
    });
    return response;
  }

  /** The author, or the room's owner. */
  async delete(user: User, roomId: string, messageId: string): Promise<void> {
    const { room, message } = await this.find(user, roomId, messageId);
    if (message.userId !== user.id && room.ownerId !== user.id) {
      throw forbidden(
        'NOT_MESSAGE_AUTHOR',
        'Only the author or the room owner can delete a message',
      );
    }
    await this.messages.delete({ id: message.id });
    this.bus.publish({
      kind: 'frame',
      roomId: room.id,
      frame: { type: 'message_deleted', message: toMessageResponse(message) },
    });
  }

  private async find(
    user: User,
    roomId: string,
    messageId: string,
  ): Promise<{ room: Room; message: Message }> {
    const room = await this.rooms.getForMember(roomId, user);
    const message = isUUID(messageId)
      ? await this.messages.findOne({
          where: { id: messageId, roomId: room.id },
          relations: { user: true, file: true },
        })
      : null;
    if (!message) throw notFound('MESSAGE_NOT_FOUND', 'Message not found');
    return { room, message };
  }

  private findByClientId(
    roomId: string,
    userId: string,
    clientId: string,
  ): Promise<Message | null> {
    return this.messages.findOne({
      where: { roomId, userId, clientId },
      relations: { user: true, file: true },
    });
  }
}
