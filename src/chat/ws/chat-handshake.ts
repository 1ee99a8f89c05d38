import type { IncomingMessage } from 'node:http';
import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { socketUrl } from '../../realtime/handshake';
import type { SocketIdentity } from '../../realtime/socket-authenticator';
import { type Revoked, SocketSupervisor } from '../../realtime/socket-supervisor';
import type { User } from '../../users/entities/user.entity';
import type { Room } from '../entities/room.entity';
import { RoomsService } from '../rooms.service';
import type { ChatSocket } from './chat-socket';

export const WS_PATH = '/api/ws';

/**
 * Who may open /api/ws/{room_id}: the same authentication as the HTTP API (from a Bearer
 * header or a `token` query value), then the room's visibility and membership. A public
 * room's member list gains the user; a private room must already include them.
 */
@Injectable()
export class ChatHandshake {
  constructor(
    private readonly supervisor: SocketSupervisor,
    private readonly rooms: RoomsService,
  ) {}

  /** The room id in the path, or null when it is no room id at all. */
  roomIdOf(req: IncomingMessage): string | null {
    const id = socketUrl(req).pathname.slice(WS_PATH.length + 1);
    return isUUID(id) ? id.toLowerCase() : null;
  }

  authenticate(req: IncomingMessage): Promise<SocketIdentity<User>> {
    return this.supervisor.authenticate<User>(req);
  }

  /** The room, once the user is allowed in (and a member). */
  async enter(user: User, roomId: string): Promise<Room> {
    const { room, isMember } = await this.rooms.getVisible(roomId, user);
    if (!isMember) await this.rooms.addMembership(room.id, user.id);
    return room;
  }

  /**
   * The sockets whose user is no longer a member of their room (left, removed, or the room
   * deleted), in one query: for when the news of it was lost on the way.
   */
  async revoked(sockets: ChatSocket[]): Promise<Array<Revoked<ChatSocket>>> {
    const pairs = new Map(
      sockets.map((s) => [`${s.roomId}|${s.user.id}`, { roomId: s.roomId, userId: s.user.id }]),
    );
    const members = await this.rooms.memberships([...pairs.values()]);
    return sockets
      .filter((s) => !members.has(`${s.roomId}|${s.user.id}`))
      .map((socket) => ({ socket, reason: 'Not a member of the room' }));
  }
}
