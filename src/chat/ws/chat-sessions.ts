import type { IncomingMessage } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { WebSocket } from 'ws';
import { PublicOrigin } from '../../common/http/public-origin';
import { chatConfig, type ConfigType } from '../../config/configuration';
import { MediaLinks } from '../../media/media-links';
import { CLOSE } from '../../realtime/close-codes';
import { HandshakeRejected } from '../../realtime/handshake';
import { RealtimeBus } from '../../realtime/realtime-bus';
import { SocketSupervisor } from '../../realtime/socket-supervisor';
import type { User } from '../../users/entities/user.entity';
import { CHAT_EVENTS } from '../chat-events';
import { chatUserRecord, toChatUser } from '../chat.mapper';
import { RoomDeliveryService, type RoomLease } from '../delivery/room-delivery.service';
import { PresenceService } from '../presence.service';
import { RoomsService } from '../rooms.service';
import { ChatHandshake } from './chat-handshake';
import { ChatSocket } from './chat-socket';
import { frame, presentFrame, roomFrame } from './frames';
import { TypingService } from './typing.service';

interface Session {
  socket: ChatSocket;
  lease: RoomLease;
}

/**
 * A chat socket's life: the handshake (authentication, the room, a place in its delivery),
 * the welcome, presence in the room (joined, left, who is online), and the end.
 */
@Injectable()
export class ChatSessions implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ChatGateway');
  /** Per socket: its session once the handshake is done, null when it failed. */
  private readonly sessions = new WeakMap<WebSocket, Promise<Session | null>>();
  private closing = false;

  constructor(
    private readonly handshake: ChatHandshake,
    private readonly delivery: RoomDeliveryService,
    private readonly rooms: RoomsService,
    private readonly presence: PresenceService,
    private readonly typing: TypingService,
    private readonly bus: RealtimeBus,
    private readonly supervisor: SocketSupervisor,
    private readonly origins: PublicOrigin,
    private readonly links: MediaLinks,
    @Inject(chatConfig.KEY) private readonly config: ConfigType<typeof chatConfig>,
  ) {}

  onModuleInit(): void {
    this.supervisor.register({
      sockets: () => this.delivery.sockets(),
      revoked: (sockets) => this.handshake.revoked(sockets),
    });
  }

  onModuleDestroy(): void {
    this.closing = true;
  }

  /** Runs the handshake; the socket once it is in its room, null when it was refused. */
  open(ws: WebSocket, req: IncomingMessage): Promise<ChatSocket | null> {
    const session = this.connect(ws, req).catch((err: unknown) => {
      this.supervisor.refuse(ws, err);
      return null;
    });
    this.sessions.set(ws, session);
    return session.then((s) => s?.socket ?? null);
  }

  async close(ws: WebSocket): Promise<void> {
    const session = await this.sessions.get(ws);
    if (!session) return;
    session.lease.release();
    await this.leave(session.socket.roomId, session.socket.user);
  }

  private async connect(ws: WebSocket, req: IncomingMessage): Promise<Session> {
    const roomId = this.handshake.roomIdOf(req);
    const { user, token } = await this.handshake.authenticate(req);
    if (!roomId) throw new HandshakeRejected(CLOSE.FORBIDDEN, 'Forbidden');
    // Held from before the room is read, so no message committed after the read slips by.
    const lease = this.delivery.reserve(roomId, user.id);
    let counted = false;
    try {
      const room = await this.handshake.enter(user, roomId);
      const first = await this.presence.connect(room.id, user.id);
      counted = true;
      const description = await this.rooms.describe(room);
      if (ws.readyState !== ws.OPEN) throw new HandshakeRejected(CLOSE.GOING_AWAY, 'Gone');
      const origin = this.origins.of(req);
      const links = this.links.at(origin);
      const socket = new ChatSocket(ws, user, token, room.id, this.config, origin, links);
      const attached = lease.attach(socket, room.lastSeq, (from) =>
        socket.sendFrame(
          frame('welcome', {
            room: { ...description, last_seq: from },
            user: toChatUser(user, links),
            last_seq: from,
          }),
        ),
      );
      // Removed from the room (or the room deleted) while the handshake ran.
      if (!attached) throw new HandshakeRejected(CLOSE.FORBIDDEN, 'Forbidden');
      // The socket is open from here on; presence is news, and its failure does not close it.
      this.announce(socket, first).catch((err: unknown) =>
        this.logger.warn(`Presence update failed: ${describe(err)}`),
      );
      return { socket, lease };
    } catch (err) {
      lease.release();
      if (counted) await this.leave(roomId, user);
      throw err;
    }
  }

  /** Presence after a socket is gone: user_left and the new online list when it was the last. */
  private async leave(roomId: string, user: User): Promise<void> {
    try {
      const last = await this.presence.disconnect(roomId, user.id);
      if (!last) return;
      this.typing.forget(roomId, user.id);
      this.bus.publish(CHAT_EVENTS, {
        kind: 'frame',
        roomId,
        frame: roomFrame('user_left', { user: chatUserRecord(user) }),
      });
      // While shutting down the database may already be gone; user_left says enough.
      if (!this.closing) await this.publishOnline(roomId);
    } catch (err) {
      this.logger.warn(`Cleanup after a closed socket failed: ${describe(err)}`);
    }
  }

  private async announce(socket: ChatSocket, first: boolean): Promise<void> {
    if (first) {
      this.bus.publish(CHAT_EVENTS, {
        kind: 'frame',
        roomId: socket.roomId,
        frame: roomFrame('user_joined', { user: chatUserRecord(socket.user) }),
      });
      await this.publishOnline(socket.roomId);
    } else {
      socket.sendFrame(presentFrame(await this.onlineFrame(socket.roomId), socket.links));
    }
  }

  private async onlineFrame(roomId: string) {
    const users = await this.rooms.usersByIds(await this.presence.onlineUserIds(roomId));
    return roomFrame('users_online', { users: users.map(chatUserRecord) });
  }

  private async publishOnline(roomId: string): Promise<void> {
    this.bus.publish(CHAT_EVENTS, { kind: 'frame', roomId, frame: await this.onlineFrame(roomId) });
  }
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));
