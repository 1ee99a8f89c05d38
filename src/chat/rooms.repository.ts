import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { cursorTimestampSql, keysetCondition, keysetPage } from '../common/pagination/cursor';
import { escapeLike, rawQuery } from '../database/raw-query';
import type { RoomView } from './chat.mapper';
import { RoomMember } from './entities/room-member.entity';
import { Room } from './entities/room.entity';

interface RoomRow {
  id: string;
  name: string;
  description: string | null;
  is_private: boolean;
  owner_id: string;
  member_count: string;
  created_at: Date;
  last_seq: string;
  cursor_at: string;
}

/**
 * Rooms and their members. The listing is hand-written keyset SQL; a change that touches
 * several rows runs in one transaction, on its entity manager only.
 */
@Injectable()
export class RoomsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The room and whether `userId` is a member, in one round trip. */
  async findWithMembership(
    roomId: string,
    userId: string,
  ): Promise<{ room: Room | null; isMember: boolean }> {
    const { entities, raw } = await this.dataSource
      .getRepository(Room)
      .createQueryBuilder('r')
      .addSelect(
        'EXISTS (SELECT 1 FROM room_members m WHERE m.room_id = r.id AND m.user_id = :userId)',
        'is_member',
      )
      .where('r.id = :roomId', { roomId, userId })
      .getRawAndEntities<{ is_member: boolean }>();
    return { room: entities[0] ?? null, isMember: raw[0]?.is_member === true };
  }

  /**
   * Public rooms, or the rooms `userId` belongs to (`member`), newest first, optionally by a
   * name fragment; online_count is left to the caller (presence is not in the database).
   */
  async list(
    userId: string,
    query: { limit: number; cursor?: string; q?: string; member?: boolean },
  ): Promise<{
    items: Array<{ room: RoomView; memberCount: number }>;
    nextCursor: string | null;
  }> {
    const params: unknown[] = [query.limit + 1];
    const where: string[] = [];
    let join = '';
    if (query.member) {
      params.push(userId);
      join = `JOIN room_members me ON me.room_id = r.id AND me.user_id = $${params.length}::uuid`;
    } else {
      where.push('r.is_private = false');
    }
    if (query.q) {
      params.push(`%${escapeLike(query.q)}%`);
      where.push(`r.name ILIKE $${params.length} ESCAPE '\\'`);
    }
    const keyset = keysetCondition('r', query.cursor, params.length + 1);
    params.push(...keyset.params);
    where.push(keyset.sql);
    const rows = await rawQuery<RoomRow>(
      this.dataSource,
      `SELECT r.id, r.name, r.description, r.is_private, r.owner_id, r.created_at, r.last_seq,
         (SELECT count(*) FROM room_members m WHERE m.room_id = r.id) AS member_count,
         ${cursorTimestampSql('r')} AS cursor_at
       FROM rooms r ${join}
       WHERE ${where.join(' AND ')}
       ORDER BY r.created_at DESC, r.id DESC
       LIMIT $1`,
      params,
    );
    const page = keysetPage(rows, query.limit);
    return {
      items: page.rows.map((r) => ({
        room: {
          id: r.id,
          name: r.name,
          description: r.description,
          isPrivate: r.is_private,
          ownerId: r.owner_id,
          createdAt: r.created_at,
          lastSeq: Number(r.last_seq),
        },
        memberCount: Number(r.member_count),
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** Which of these (room, user) pairs are memberships, as `room|user` (open sockets, re-checked). */
  async memberships(pairs: Array<{ roomId: string; userId: string }>): Promise<Set<string>> {
    if (pairs.length === 0) return new Set();
    const rows = await rawQuery<{ room_id: string; user_id: string }>(
      this.dataSource,
      `SELECT m.room_id, m.user_id FROM unnest($1::uuid[], $2::uuid[]) AS p(room_id, user_id)
       JOIN room_members m ON m.room_id = p.room_id AND m.user_id = p.user_id`,
      [pairs.map((p) => p.roomId), pairs.map((p) => p.userId)],
    );
    return new Set(rows.map((r) => `${r.room_id}|${r.user_id}`));
  }

  isMember(roomId: string, userId: string): Promise<boolean> {
    return this.dataSource.getRepository(RoomMember).existsBy({ roomId, userId });
  }

  countMembers(roomId: string): Promise<number> {
    return this.dataSource.getRepository(RoomMember).countBy({ roomId });
  }

  /** The members with their accounts, longest-standing first. */
  members(roomId: string): Promise<RoomMember[]> {
    return this.dataSource.getRepository(RoomMember).find({
      where: { roomId },
      relations: { user: true },
      order: { joinedAt: 'ASC' },
    });
  }

  /** The room and its owner's membership, both or neither. */
  create(values: Pick<Room, 'name' | 'description' | 'isPrivate' | 'ownerId'>): Promise<Room> {
    return this.dataSource.transaction(async (em) => {
      const created = await em.save(em.create(Room, values));
      await em.save(em.create(RoomMember, { roomId: created.id, userId: values.ownerId }));
      return created;
    });
  }

  /** Writes the room's changed columns. */
  save(room: Room): Promise<Room> {
    return this.dataSource.getRepository(Room).save(room);
  }

  /** Memberships and messages go with it (foreign keys cascade). */
  async delete(roomId: string): Promise<void> {
    await this.dataSource.getRepository(Room).delete({ id: roomId });
  }

  /** Makes `userId` a member; already being one is fine. */
  async addMember(roomId: string, userId: string): Promise<void> {
    await this.dataSource
      .getRepository(RoomMember)
      .createQueryBuilder()
      .insert()
      .values({ roomId, userId })
      .orIgnore()
      .execute();
  }

  /** False when `userId` was not a member. */
  async removeMember(roomId: string, userId: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(RoomMember).delete({ roomId, userId });
    return Boolean(result.affected);
  }

  /**
   * `userId` leaves; when they owned the room, the longest-standing member left becomes its
   * owner, in the same transaction. A room nobody is left in stays.
   */
  async leave(room: Pick<Room, 'id' | 'ownerId'>, userId: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      await em.delete(RoomMember, { roomId: room.id, userId });
      if (room.ownerId === userId) {
        const heir = await em.findOne(RoomMember, {
          where: { roomId: room.id },
          order: { joinedAt: 'ASC' },
        });
        if (heir) await em.update(Room, { id: room.id }, { ownerId: heir.userId });
      }
    });
  }
}
