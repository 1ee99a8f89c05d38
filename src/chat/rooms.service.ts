import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { forbidden, notFound } from '../common/errors/app.exception';
import type { User } from '../users/entities/user.entity';
import { UsersService } from '../users/users.service';
import { RealtimeBus } from '../realtime/realtime-bus';
import { CHAT_EVENTS } from './chat-events';
import { toChatUser, toRoomResponse } from './chat.mapper';
import { MediaLinks } from '../media/media-links';
import { BlocksService } from '../blocks/blocks.service';
import type { CreateRoomDto, RoomListQuery, UpdateRoomDto } from './dto/chat.dto';
import type { MemberResponse, RoomPage, RoomResponse } from './dto/chat.response';
import { RoomsRepository } from './rooms.repository';
import type { Room } from './entities/room.entity';
import { PresenceService } from './presence.service';
import { requireAccess } from '../access/access';
import { visible } from '../access/visibility';

@Injectable()
export class RoomsService {
  constructor(
    private readonly users: UsersService,
    private readonly repository: RoomsRepository,
    private readonly presence: PresenceService,
    private readonly bus: RealtimeBus,
    private readonly links: MediaLinks,
    private readonly blocks: BlocksService,
  ) {}

  isMember(roomId: string, userId: string): Promise<boolean> {
    return this.repository.isMember(roomId, userId);
  }

  /** The room as `user` may see it (404 for unknown ids and others' private rooms). */
  async getVisible(roomId: string, user: User): Promise<{ room: Room; isMember: boolean }> {
    let room: Room | null = null;
    let isMember = false;
    if (isUUID(roomId)) {
      ({ room, isMember } = await this.repository.findWithMembership(roomId, user.id));
    }
    if (!room) throw notFound('ROOM_NOT_FOUND', 'Room not found');
    requireAccess(user, 'room.see', { isPrivate: room.isPrivate, isMember });
    return { room, isMember };
  }

  /** A room `user` belongs to (404 if invisible, 403 NOT_ROOM_MEMBER for a public one). */
  async getForMember(roomId: string, user: User): Promise<Room> {
    const { room, isMember } = await this.getVisible(roomId, user);
    requireAccess(user, 'room.take_part', { isPrivate: room.isPrivate, isMember });
    return room;
  }

  /** A room `user` owns (as getForMember, then 403 NOT_ROOM_OWNER). */
  async getForOwner(roomId: string, user: User): Promise<Room> {
    const { room, isMember } = await this.getVisible(roomId, user);
    requireAccess(user, 'room.manage', {
      isPrivate: room.isPrivate,
      isMember,
      ownerId: room.ownerId,
    });
    return room;
  }

  async create(user: User, dto: CreateRoomDto): Promise<RoomResponse> {
    const room = await this.repository.create({
      name: dto.name,
      description: dto.description ?? null,
      isPrivate: dto.is_private ?? false,
      ownerId: user.id,
    });
    return toRoomResponse(room, 1, 0);
  }

  async describe(room: Room): Promise<RoomResponse> {
    const [count, online] = await Promise.all([
      this.repository.countMembers(room.id),
      this.presence.onlineUserIds(room.id),
    ]);
    return toRoomResponse(room, count, online.length);
  }

  async list(user: User, query: RoomListQuery): Promise<RoomPage> {
    const { items, nextCursor } = await this.repository.list(user.id, {
      limit: query.limit ?? 20,
      cursor: query.cursor,
      q: query.q,
      member: query.member,
    });
    const online = await this.presence.onlineUserIdsByRoom(items.map(({ room }) => room.id));
    return {
      items: items.map(({ room, memberCount }) =>
        toRoomResponse(room, memberCount, online.get(room.id)?.length ?? 0),
      ),
      next_cursor: nextCursor,
    };
  }

  async update(roomId: string, user: User, dto: UpdateRoomDto): Promise<RoomResponse> {
    const room = await this.getForOwner(roomId, user);
    if (dto.name !== undefined) room.name = dto.name;
    if (dto.description !== undefined) room.description = dto.description || null;
    if (dto.is_private !== undefined) room.isPrivate = dto.is_private;
    return this.describe(await this.repository.save(room));
  }

  async delete(roomId: string, user: User): Promise<void> {
    const room = await this.getForOwner(roomId, user);
    await this.repository.delete(room.id);
    // Confirmed before the answer: no frame sent after it reaches the room's sockets anywhere.
    await this.bus.publishConfirmed(CHAT_EVENTS, { kind: 'room_closed', roomId: room.id });
  }

  /**
   * Idempotent. Only public rooms take new members this way: someone else's private room
   * answers 404 ROOM_NOT_FOUND, as a missing one does, so its existence does not leak.
   */
  async join(roomId: string, user: User): Promise<RoomResponse> {
    const { room, isMember } = await this.getVisible(roomId, user);
    if (!isMember) await this.addMembership(room.id, user.id);
    return this.describe(room);
  }

  /** Leaving hands ownership to the longest-standing member; the last one out deletes nothing. */
  async leave(roomId: string, user: User): Promise<void> {
    const room = await this.getForMember(roomId, user);
    await this.repository.leave(room, user.id);
    await this.bus.publishConfirmed(CHAT_EVENTS, {
      kind: 'kick',
      roomId: room.id,
      userId: user.id,
    });
  }

  async listMembers(roomId: string, user: User): Promise<MemberResponse[]> {
    const room = await this.getForMember(roomId, user);
    const [members, online] = await Promise.all([
      this.repository.members(room.id),
      this.presence.onlineUserIds(room.id),
    ]);
    const onlineSet = new Set(online);
    const links = this.links.current();
    return members.map((m) => ({
      ...toChatUser(m.user as User, links),
      joined_at: m.joinedAt.toISOString(),
      is_owner: m.userId === room.ownerId,
      online: onlineSet.has(m.userId),
    }));
  }

  async addMember(roomId: string, owner: User, userId: string): Promise<MemberResponse[]> {
    const room = await this.getForOwner(roomId, owner);
    await this.users.getById(userId);
    // Someone apart from the owner (a block either way) is nobody the owner can add.
    if (!visible.person(owner, { apart: await this.blocks.apart(owner.id, userId) }))
      throw notFound('USER_NOT_FOUND', 'User not found');
    await this.addMembership(room.id, userId);
    return this.listMembers(room.id, owner);
  }

  async removeMember(roomId: string, owner: User, userId: string): Promise<void> {
    const room = await this.getForOwner(roomId, owner);
    if (userId === owner.id) throw forbidden('OWNER_CANNOT_BE_REMOVED', 'Leave the room instead');
    if (!(await this.repository.removeMember(room.id, userId)))
      throw notFound('MEMBER_NOT_FOUND', 'Not a member of this room');
    // No frame sent after this is answered reaches the removed member's sockets.
    await this.bus.publishConfirmed(CHAT_EVENTS, { kind: 'kick', roomId: room.id, userId });
  }

  /** Makes `userId` a member; already being one is fine. */
  async addMembership(roomId: string, userId: string): Promise<void> {
    await this.repository.addMember(roomId, userId);
  }

  memberships(pairs: Array<{ roomId: string; userId: string }>): Promise<Set<string>> {
    return this.repository.memberships(pairs);
  }

  async usersByIds(ids: string[]): Promise<User[]> {
    return this.users.findByIds(ids);
  }
}
