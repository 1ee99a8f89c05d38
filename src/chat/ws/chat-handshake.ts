import type { IncomingMessage } from 'node:http';
import { HttpException, Injectable, Logger } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { type AuthContext, TokenService } from '../../auth/token.service';
import { isDatabaseUnavailable } from '../../database/pg-errors';
import type { User } from '../../users/entities/user.entity';
import type { Room } from '../entities/room.entity';
import { RoomsService } from '../rooms.service';
import { CLOSE } from './frames';

export const WS_PATH = '/api/ws';

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

  /** Token errors are 4401, access errors 4403, an unreachable database 1013 (retry). */
  rejection(err: unknown): HandshakeRejected {
    if (err instanceof HandshakeRejected) return err;
    if (err instanceof HttpException) {
      const status: number = err.getStatus();
      if (status === 401) return new HandshakeRejected(CLOSE.UNAUTHORIZED, 'Unauthorized');
      if (status === 403 || status === 404)
        return new HandshakeRejected(CLOSE.FORBIDDEN, 'Forbidden');
    }
    if (isDatabaseUnavailable(err))
      return new HandshakeRejected(CLOSE.TRY_AGAIN_LATER, 'Service unavailable, try again later');
    this.logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    return new HandshakeRejected(CLOSE.INTERNAL, 'Internal error');
  }
}
