import type { IncomingMessage } from 'node:http';
import { HttpException, Injectable, Logger } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { type AuthContext, TokenService } from '../../auth/token.service';
import { isDatabaseUnavailable } from '../../database/pg-errors';
import type { User } from '../../users/entities/user.entity';
import type { Room } from '../entities/room.entity';
import { RoomsService } from '../rooms.service';
import type { ChatSocket } from './chat-socket';
import { CLOSE } from './frames';

export const WS_PATH = '/api/ws';

/** An open socket to close, and how. */
export interface Closing {
  socket: ChatSocket;
  closeCode: number;
  reason: string;
}

/** A refused handshake: the socket closes with this code and reason. */
export class HandshakeRejected extends Error {
  constructor(
    readonly closeCode: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/**
 * Who may open /api/ws/{room_id}: the same authentication as the HTTP API (TokenService,
 * from a Bearer header or a `token` query value), then the room's visibility and membership.
 * A public room's member list gains the user; a private room must already include them.
 */
@Injectable()
export class ChatHandshake {
  private readonly logger = new Logger('ChatHandshake');

  constructor(
    private readonly tokens: TokenService,
    private readonly rooms: RoomsService,
  ) {}

  /** The room id in the path, or null when it is no room id at all. */
  roomIdOf(req: IncomingMessage): string | null {
    const url = new URL(req.url ?? '/', 'ws://localhost');
    const id = url.pathname.slice(WS_PATH.length + 1);
    return isUUID(id) ? id.toLowerCase() : null;
  }

  async authenticate(req: IncomingMessage): Promise<AuthContext> {
    const url = new URL(req.url ?? '/', 'ws://localhost');
    try {
      return await this.tokens.authenticate({
        authorization: req.headers.authorization,
        query: url.searchParams.get('token'),
      });
    } catch (err) {
      throw this.rejection(err);
    }
  }

  /** The room, once the user is allowed in (and a member). */
  async enter(user: User, roomId: string): Promise<Room> {
    try {
      const { room, isMember } = await this.rooms.getVisible(roomId, user);
      if (!isMember) await this.rooms.addMembership(room.id, user.id);
      return room;
    } catch (err) {
      throw this.rejection(err);
    }
  }

  /**
   * Which open sockets must close because what let them in no longer holds: the token
   * expired or was revoked (logout, password change, ban), or the user left the room or was
   * removed from it (also when the bus lost that news). Two queries for all the sockets.
   */
  async recheck(sockets: ChatSocket[]): Promise<Closing[]> {
    const now = Date.now() / 1000;
    const live = sockets.filter((s) => s.token.exp > now);
    const tokens = new Map(live.map((s) => [s.token.jti, s.token]));
    const pairs = new Map(
      live.map((s) => [`${s.roomId}|${s.user.id}`, { roomId: s.roomId, userId: s.user.id }]),
    );
    const [validJtis, members] = await Promise.all([
      this.tokens.stillValid([...tokens.values()]),
      this.rooms.memberships([...pairs.values()]),
    ]);
    return sockets.flatMap((socket): Closing[] => {
      if (socket.token.exp <= now)
        return [{ socket, closeCode: CLOSE.UNAUTHORIZED, reason: 'Token expired' }];
      if (!validJtis.has(socket.token.jti))
        return [{ socket, closeCode: CLOSE.UNAUTHORIZED, reason: 'Token revoked' }];
      if (!members.has(`${socket.roomId}|${socket.user.id}`))
        return [{ socket, closeCode: CLOSE.FORBIDDEN, reason: 'Not a member of the room' }];
      return [];
    });
  }

  rejection(err: unknown): HandshakeRejected {
    return handshakeRejection(err, this.logger);
  }
}

/**
 * How a refused handshake closes, for every socket of the API: token errors 4401, access
 * errors 4403, an unreachable database 1013 (retry); anything else is a bug (1011, logged).
 */
export function handshakeRejection(err: unknown, logger: Logger): HandshakeRejected {
  if (err instanceof HandshakeRejected) return err;
  if (err instanceof HttpException) {
    const status: number = err.getStatus();
    if (status === 401) return new HandshakeRejected(CLOSE.UNAUTHORIZED, 'Unauthorized');
    if (status === 403 || status === 404)
      return new HandshakeRejected(CLOSE.FORBIDDEN, 'Forbidden');
  }
  if (isDatabaseUnavailable(err))
    return new HandshakeRejected(CLOSE.TRY_AGAIN_LATER, 'Service unavailable, try again later');
  logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  return new HandshakeRejected(CLOSE.INTERNAL, 'Internal error');
}
