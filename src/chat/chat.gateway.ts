import type { IncomingMessage } from 'node:http';
import { Inject, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { RawData, WebSocket } from 'ws';
import { AppException } from '../common/errors/app.exception';
import { chatConfig, type ConfigType } from '../config/configuration';
import { isDatabaseUnavailable } from '../database/pg-errors';
import type { User } from '../users/entities/user.entity';
import { ChatBus } from './chat-bus';
import { chatUserRecord, toChatUser } from './chat.mapper';
import { RoomDeliveryService, type RoomLease } from './delivery/room-delivery.service';
import { MessagesService } from './messages.service';
import { PresenceService } from './presence.service';
import { RoomsService } from './rooms.service';
import { ChatHandshake, HandshakeRejected, WS_PATH } from './ws/chat-handshake';
import { ChatSocket, MAX_EARLY_FRAMES } from './ws/chat-socket';
import { decodeFrame, validateFrame } from './ws/frame-parser';
import {
  CLOSE,
  frame,
  presentFrame,
  roomFrame,
  type ClientFrame,
  type ClientFrames,
} from './ws/frames';
import { PublicOrigin } from '../common/http/public-origin';
import { MediaLinks } from '../media/media-links';

export { WS_PATH } from './ws/chat-handshake';

interface Connection {
  socket: ChatSocket;
  lease: RoomLease;
}

/**
 * Plain-WebSocket chat at /api/ws/{room_id}?token=JWT with JSON frames {type, ...}. Wiring
 * only: ChatHandshake authenticates, parseFrame validates, MessagesService stores (as for
 * REST), RoomDeliveryService delivers in seq order, PresenceService counts who is online.
 */
@WebSocketGateway({ path: WS_PATH, maxPayload: 1024 * 1024 })
export class ChatGateway
  implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy
{
  private readonly logger = new Logger('ChatGateway');
  private readonly connections = new WeakMap<WebSocket, Promise<Connection | null>>();
  private heartbeat?: NodeJS.Timeout;
  private recheckTimer?: NodeJS.Timeout;
  private rechecking = false;
  private closing = false;
  /** Per room and user (all of the user's sockets): the last typing state relayed. */
  private readonly lastTyping = new Map<string, { at: number; typing: boolean }>();

  constructor(
    private readonly handshake: ChatHandshake,
    private readonly delivery: RoomDeliveryService,
    private readonly rooms: RoomsService,
    private readonly messages: MessagesService,
    private readonly presence: PresenceService,
    private readonly bus: ChatBus,
    private readonly origins: PublicOrigin,
    private readonly links: MediaLinks,
    @Inject(chatConfig.KEY) private readonly config: ConfigType<typeof chatConfig>,
  ) {}

  onModuleInit(): void {
    this.heartbeat = setInterval(() => this.pingAll(), this.config.pingIntervalMs);
    this.heartbeat.unref();
    this.recheckTimer = setInterval(() => void this.recheck(), this.config.resyncIntervalMs);
    this.recheckTimer.unref();
  }

  onModuleDestroy(): void {
    this.closing = true;
    clearInterval(this.heartbeat);
    clearInterval(this.recheckTimer);
    for (const s of this.delivery.sockets()) s.close(CLOSE.GOING_AWAY, 'Server shutting down');
  }

  handleConnection(ws: WebSocket, req: IncomingMessage): void {
    /** undefined while the handshake runs, null when it failed. */
    let connection: Connection | null | undefined;
    const ready = this.connect(ws, req)
      .catch((err: unknown) => {
        const rejected = this.handshake.rejection(err);
        ws.close(rejected.closeCode, rejected.reason);
        return null;
      })
      .then((c) => (connection = c));
    this.connections.set(ws, ready);
    let early = 0;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (connection) return this.onRaw(connection.socket, data, isBinary);
      if (connection === null) return;
      // Frames that arrive during the handshake wait for it, in arrival order, within reason.
      if (++early > MAX_EARLY_FRAMES) return ws.close(CLOSE.POLICY, 'Too many frames');
      void ready.then((c) => c && this.onRaw(c.socket, data, isBinary));
    });
    ws.on('pong', () => connection && (connection.socket.alive = true));
  }

  async handleDisconnect(ws: WebSocket): Promise<void> {
    const connection = await this.connections.get(ws);
    if (!connection) return;
    const { socket, lease } = connection;
    lease.release();
    await this.leave(socket.roomId, socket.user);
  }

  /** Presence after a socket is gone: user_left and the new online list when it was the last. */
  private async leave(roomId: string, user: User): Promise<void> {
    try {
      const last = await this.presence.disconnect(roomId, user.id);
      if (!last) return;
      this.lastTyping.delete(`${roomId}|${user.id}`);
      this.bus.publish({
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

  private async connect(ws: WebSocket, req: IncomingMessage): Promise<Connection | null> {
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

  private async announce(socket: ChatSocket, first: boolean): Promise<void> {
    if (first) {
      this.bus.publish({
        kind: 'frame',
        roomId: socket.roomId,
        frame: roomFrame('user_joined', { user: chatUserRecord(socket.user) }),
      });
      await this.publishOnline(socket.roomId);
    } else {
      socket.sendFrame(presentFrame(await this.onlineFrame(socket.roomId), socket.links));
    }
  }

  private onRaw(socket: ChatSocket, data: RawData, isBinary: boolean): void {
    socket.alive = true;
    const decoded = decodeFrame(data, isBinary);
    // The flood limit counts frames on arrival, so a fast sender cannot pile up work.
    const limited =
      'type' in decoded && (decoded.type === 'message' || decoded.type === 'typing')
        ? !socket.allow()
        : false;
    // Everything else is queued, so answers (and error frames) follow the frames' order.
    const queued = socket.enqueue(async () => {
      if ('error' in decoded) return socket.sendFrame(frame('error', decoded.error));
      if (limited) {
        const clientId = decoded.body.client_id;
        return socket.sendFrame(
          frame('error', {
            code: 'RATE_LIMITED',
            detail: 'Too many frames; slow down',
            ...(typeof clientId === 'string' ? { client_id: clientId } : {}),
          }),
        );
      }
      const validated = await validateFrame(decoded.type, decoded.body);
      if ('error' in validated) return socket.sendFrame(frame('error', validated.error));
      await this.onFrame(socket, validated.frame);
    }, this.frameFailed);
    if (!queued) socket.close(CLOSE.POLICY, 'Too many frames');
  }

  private readonly frameFailed = (err: unknown): void => {
    this.logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  };

  private async onFrame(socket: ChatSocket, f: ClientFrame): Promise<void> {
    switch (f.type) {
      case 'ping':
        return socket.sendFrame(frame('pong', {}));
      case 'typing':
        return this.onTyping(socket, f);
      case 'message':
        return this.onMessage(socket, f);
    }
  }

  private async onMessage(socket: ChatSocket, f: ClientFrames['message']): Promise<void> {
    try {
      // Stored, then delivered to the whole room by the bus, the sender included.
      await this.messages.send(socket.user, socket.roomId, f);
    } catch (err) {
      const clientId = f.client_id ? { client_id: f.client_id } : {};
      if (err instanceof AppException) {
        const { code, detail } = err.getResponse() as { code: string; detail: string };
        socket.sendFrame(frame('error', { code, detail, ...clientId }));
        // Removed from the room (or banned) while the news was in flight: the statement said so.
        if (code === 'NOT_ROOM_MEMBER' || code === 'ROOM_NOT_FOUND')
          socket.close(CLOSE.FORBIDDEN, 'Not a member of the room');
        else if (err.getStatus() === 401) socket.close(CLOSE.UNAUTHORIZED, 'Unauthorized');
        return;
      }
      if (isDatabaseUnavailable(err)) {
        return socket.sendFrame(
          frame('error', {
            code: 'SERVICE_UNAVAILABLE',
            detail: 'The message could not be stored; send it again (same client_id)',
            ...clientId,
          }),
        );
      }
      this.logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      socket.sendFrame(
        frame('error', {
          code: 'INTERNAL_ERROR',
          detail: 'The message could not be sent',
          ...clientId,
        }),
      );
    }
  }

  private onTyping(socket: ChatSocket, f: ClientFrames['typing']): void {
    const now = Date.now();
    const key = `${socket.roomId}|${socket.user.id}`;
    const last = this.lastTyping.get(key);
    // Per user: repeats of the same state inside the interval are dropped.
    if (last && last.typing === f.typing && now - last.at < this.config.typingIntervalMs) return;
    this.lastTyping.set(key, { at: now, typing: f.typing });
    this.bus.publish({
      kind: 'frame',
      roomId: socket.roomId,
      frame: roomFrame('typing', { user: chatUserRecord(socket.user), typing: f.typing }),
      exceptUserId: socket.user.id,
    });
  }

  private async onlineFrame(roomId: string) {
    const users = await this.rooms.usersByIds(await this.presence.onlineUserIds(roomId));
    return roomFrame('users_online', { users: users.map(chatUserRecord) });
  }

  private async publishOnline(roomId: string): Promise<void> {
    this.bus.publish({ kind: 'frame', roomId, frame: await this.onlineFrame(roomId) });
  }

  /** Closes sockets whose token or membership no longer holds (see ChatHandshake.recheck). */
  private async recheck(): Promise<void> {
    const sockets = [...this.delivery.sockets()];
    if (sockets.length === 0 || this.rechecking) return;
    this.rechecking = true;
    try {
      for (const { socket, closeCode, reason } of await this.handshake.recheck(sockets))
        socket.close(closeCode, reason);
    } catch (err) {
      // The database is away: sends are refused meanwhile; the next round checks again.
      if (!isDatabaseUnavailable(err)) this.logger.warn(`Socket re-check failed: ${describe(err)}`);
    } finally {
      this.rechecking = false;
    }
  }

  private pingAll(): void {
    for (const s of this.delivery.sockets()) {
      if (!s.alive) {
        s.ws.terminate();
        continue;
      }
      s.alive = false;
      s.ws.ping();
    }
  }
}

const describe = (err: unknown) => (err instanceof Error ? err.message : String(err));
