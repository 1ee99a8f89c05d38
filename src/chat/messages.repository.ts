import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { rawQuery } from '../database/raw-query';
import type { MessageRecord } from './chat.mapper';

/** Columns that make a MessageRecord; `m` messages, `u` users, `f` chat_uploads. */
const MESSAGE_COLUMNS = `m.id, m.room_id, m.seq, m.user_id, m.content, m.client_id, m.created_at,
  m.edited_at, u.username, u.avatar_storage, u.avatar_path, f.id AS f_id, f.file_name, f.mime_type,
  f.size, f.storage AS f_storage, f.path AS f_path`;

interface MessageRow {
  id: string;
  room_id: string;
  seq: string | number;
  user_id: string;
  content: string;
  client_id: string | null;
  created_at: Date;
  edited_at: Date | null;
  username: string | null;
  avatar_storage: string | null;
  avatar_path: string | null;
  f_id: string | null;
  file_name: string | null;
  mime_type: string | null;
  size: string | number | null;
  f_storage: string | null;
  f_path: string | null;
}

function toRecord(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    room_id: row.room_id,
    seq: Number(row.seq),
    user: {
      id: row.user_id,
      username: row.username ?? '',
      avatarStorage: row.avatar_storage,
      avatarPath: row.avatar_path,
    },
    content: row.content,
    file: row.f_id
      ? {
          id: row.f_id,
          // Set whenever f_id is (one joined upload row): the fallbacks are for the types.
          file_name: row.file_name ?? '',
          mime_type: row.mime_type ?? '',
          size: Number(row.size),
          storage: row.f_storage ?? '',
          path: row.f_path ?? '',
        }
      : null,
    client_id: row.client_id,
    created_at: row.created_at.toISOString(),
    edited_at: row.edited_at ? row.edited_at.toISOString() : null,
  };
}

export type InsertOutcome =
  | { kind: 'created' | 'existing'; message: MessageRecord }
  | { kind: 'no_room' | 'not_member' | 'inactive' | 'no_file'; isPrivate: boolean };

/**
 * One round trip per message: membership, an active sender, the sender's own upload, the client_id retry key,
 * the room counter bump and the insert are one statement. The counter bump locks the room
 * row until the statement commits, so seqs are allocated and committed in order and a seq
 * exists exactly when its row does (a failed insert rolls the bump back).
 */
export const INSERT_MESSAGE_SQL = `
WITH room AS (
  SELECT r.id, r.is_private,
    EXISTS (SELECT 1 FROM room_members rm WHERE rm.room_id = r.id AND rm.user_id = $2::uuid)
      AS is_member,
    EXISTS (SELECT 1 FROM users su WHERE su.id = $2::uuid AND su.is_active) AS is_active
  FROM rooms r WHERE r.id = $1::uuid
),
file AS (
  SELECT id FROM chat_uploads
  WHERE $5::uuid IS NOT NULL AND id = $5::uuid AND owner_id = $2::uuid
),
existing AS (
  SELECT id FROM messages
  WHERE $4::varchar IS NOT NULL AND room_id = $1::uuid AND user_id = $2::uuid
    AND client_id = $4::varchar
),
bumped AS (
  UPDATE rooms r SET last_seq = r.last_seq + 1
  FROM room
  WHERE r.id = room.id AND room.is_member AND room.is_active
    AND NOT EXISTS (SELECT 1 FROM existing)
    AND ($5::uuid IS NULL OR EXISTS (SELECT 1 FROM file))
  RETURNING r.last_seq
),
inserted AS (
  INSERT INTO messages (room_id, user_id, seq, content, client_id, file_id)
  SELECT $1::uuid, $2::uuid, last_seq, $3::varchar, $4::varchar, $5::uuid FROM bumped
  RETURNING *
),
result AS (
  SELECT true AS created, i.* FROM inserted i
  UNION ALL
  SELECT false AS created, m.* FROM messages m JOIN existing e ON e.id = m.id
)
SELECT room.is_member, room.is_active, room.is_private, EXISTS (SELECT 1 FROM file) AS file_ok, m.created,
  ${MESSAGE_COLUMNS}
FROM room
LEFT JOIN result m ON true
LEFT JOIN users u ON u.id = m.user_id
LEFT JOIN chat_uploads f ON f.id = m.file_id`;

/** A room's messages after a seq, and its counter, in one snapshot (delivery backfill). */
const RANGE = `
SELECT r.last_seq AS room_last_seq, ${MESSAGE_COLUMNS}
FROM rooms r
LEFT JOIN LATERAL (
  SELECT * FROM messages WHERE room_id = r.id AND seq > $2 ORDER BY seq LIMIT $3
) m ON true
LEFT JOIN users u ON u.id = m.user_id
LEFT JOIN chat_uploads f ON f.id = m.file_id
WHERE r.id = $1::uuid
ORDER BY m.seq`;

/** The messages table; the chat's hot paths (sending, the delivery backfill) among them. */
@Injectable()
export class MessagesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Whether the upload was posted in a room `userId` belongs to. */
  async fileSharedWith(uploadId: string, userId: string): Promise<boolean> {
    const rows = await rawQuery<unknown>(
      this.dataSource,
      `SELECT 1 FROM messages msg JOIN room_members m ON m.room_id = msg.room_id
       WHERE msg.file_id = $1 AND m.user_id = $2 LIMIT 1`,
      [uploadId, userId],
    );
    return rows.length > 0;
  }

  async insert(input: {
    roomId: string;
    userId: string;
    content: string;
    clientId: string | null;
    fileId: string | null;
  }): Promise<InsertOutcome> {
    const rows = await rawQuery<
      MessageRow & {
        is_member: boolean;
        is_active: boolean;
        is_private: boolean;
        file_ok: boolean;
        created: boolean | null;
      }
    >(this.dataSource, INSERT_MESSAGE_SQL, [
      input.roomId,
      input.userId,
      input.content,
      input.clientId,
      input.fileId,
    ]);
    const row = rows[0];
    if (!row) return { kind: 'no_room', isPrivate: false };
    if (row.created !== null) {
      return { kind: row.created ? 'created' : 'existing', message: toRecord(row) };
    }
    if (!row.is_active) return { kind: 'inactive', isPrivate: row.is_private };
    if (!row.is_member) return { kind: 'not_member', isPrivate: row.is_private };
    if (input.fileId && !row.file_ok) return { kind: 'no_file', isPrivate: row.is_private };
    // The room vanished between the read and the bump (deleted concurrently).
    return { kind: 'no_room', isPrivate: row.is_private };
  }

  /** One message of a room, as the API shows it; null when there is none. */
  async findInRoom(roomId: string, messageId: string): Promise<MessageRecord | null> {
    const rows = await rawQuery<MessageRow>(
      this.dataSource,
      `SELECT ${MESSAGE_COLUMNS} FROM messages m
       LEFT JOIN users u ON u.id = m.user_id
       LEFT JOIN chat_uploads f ON f.id = m.file_id
       WHERE m.id = $1::uuid AND m.room_id = $2::uuid`,
      [messageId, roomId],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * The author's edit, only while the message exists: an edit racing a delete must not bring
   * the row back (an entity save would re-insert it).
   */
  async editContent(input: {
    messageId: string;
    roomId: string;
    userId: string;
    content: string;
  }): Promise<MessageRecord | null> {
    const rows = await rawQuery<MessageRow>(
      this.dataSource,
      `WITH m AS (
         UPDATE messages SET content = $4::varchar, edited_at = now()
         WHERE id = $1::uuid AND room_id = $2::uuid AND user_id = $3::uuid
         RETURNING *
       )
       SELECT ${MESSAGE_COLUMNS} FROM m
       LEFT JOIN users u ON u.id = m.user_id
       LEFT JOIN chat_uploads f ON f.id = m.file_id`,
      [input.messageId, input.roomId, input.userId, input.content],
    );
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /**
   * History: newest first (before `beforeSeq` when given), or oldest first after `afterSeq`
   * (catch-up); `limit + 1` rows so the caller knows whether more follow.
   */
  async history(
    roomId: string,
    query: { limit: number; beforeSeq?: number; afterSeq?: number },
  ): Promise<MessageRecord[]> {
    const catchUp = query.afterSeq !== undefined;
    const bound = catchUp ? query.afterSeq : query.beforeSeq;
    const rows = await rawQuery<MessageRow>(
      this.dataSource,
      `SELECT ${MESSAGE_COLUMNS}
       FROM messages m
       LEFT JOIN users u ON u.id = m.user_id
       LEFT JOIN chat_uploads f ON f.id = m.file_id
       WHERE m.room_id = $1::uuid
         AND ($3::bigint IS NULL OR m.seq ${catchUp ? '>' : '<'} $3::bigint)
       ORDER BY m.seq ${catchUp ? 'ASC' : 'DESC'}
       LIMIT $2`,
      [roomId, query.limit + 1, bound ?? null],
    );
    return rows.map(toRecord);
  }

  /** Messages with seq > afterSeq (oldest first, at most `limit`) and the room's counter. */
  async range(
    roomId: string,
    afterSeq: number,
    limit: number,
  ): Promise<{ items: MessageRecord[]; lastSeq: number | null }> {
    const rows = await rawQuery<MessageRow & { room_last_seq: string }>(this.dataSource, RANGE, [
      roomId,
      afterSeq,
      limit,
    ]);
    if (rows.length === 0) return { items: [], lastSeq: null };
    return {
      items: rows.filter((r) => r.id !== null).map(toRecord),
      lastSeq: Number(rows[0].room_last_seq),
    };
  }

  /** The counters of several rooms in one query (the periodic delivery check). */
  async lastSeqs(roomIds: string[]): Promise<Map<string, number>> {
    const rows = await rawQuery<{ id: string; last_seq: string }>(
      this.dataSource,
      'SELECT id, last_seq FROM rooms WHERE id = ANY($1::uuid[])',
      [roomIds],
    );
    return new Map(rows.map((r) => [r.id, Number(r.last_seq)]));
  }

  /** Where a message is and who wrote it (moderation), or null. */
  async findPlace(messageId: string): Promise<{ roomId: string; userId: string } | null> {
    const rows = await rawQuery<{ room_id: string; user_id: string }>(
      this.dataSource,
      'SELECT room_id, user_id FROM messages WHERE id = $1::uuid',
      [messageId],
    );
    return rows[0] ? { roomId: rows[0].room_id, userId: rows[0].user_id } : null;
  }

  async delete(messageId: string): Promise<void> {
    await rawQuery(this.dataSource, 'DELETE FROM messages WHERE id = $1::uuid', [messageId]);
  }
}
