import type { IncomingMessage } from 'node:http';
import { Inject, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { RawData, WebSocket } from 'ws';
import { TokenService } from '../auth/token.service';
import { AppException } from '../common/errors/app.exception';
import { flattenValidationErrors, validationDetail } from '../common/pipes/validation.pipe';
import { chatConfig } from '../config/configuration';
import type { User } from '../users/entities/user.entity';
import { ChatBus, type ChatEvent } from './chat-bus';
import { toChatUser } from './chat.mapper';
import { SendMessageDto } from './dto/chat.dto';
import { MessagesService } from './messages.service';
import { PresenceService } from './presence.service';
import { RoomsService } from './rooms.service';

export const WS_PATH = '/api/ws';

const rawText = (data: RawData): string =>
  (Array.isArray(data)
    ? Buffer.concat(data)
    : Buffer.isBuffer(data)
      ? data
      : Buffer.from(data)
  ).toString('utf8');
const MAX_FRAME_BYTES = 64 * 1024;

/** Close codes of the chat socket. */
export const CLOSE = {
  UNAUTHORIZED: 4401,
  FORBIDDEN: 4403,
  GOING_AWAY: 1001,
  TOO_SLOW: 4408,
} as const;

interface RoomOrder {
  next: number;
  pending: Map<number, string>;
  timer?: NodeJS.Timeout;
}

/** How long a message waits for an earlier seq that is still on its way. */
const REORDER_WAIT_MS = 1000;

interface ChatSocket {
  ws: WebSocket;
  user: User;
  roomId: string;
  alive: boolean;
  sent: number[];
  /** Frames of one socket are handled one after the other, in arrival order. */
  queue: Promise<void>;
}

/**
 * Plain-WebSocket chat at /api/ws/{room_id}?token=JWT with JSON frames {type, ...}. It
 * authenticates the handshake, then hands every action to the same services as the REST
 * API; room events reach the sockets through the ChatBus (Redis across instances).
 */
@WebSocketGateway({ path: WS_PATH, maxPayload: 1024 * 1024 })
export class ChatGateway
  implements OnGatewayConnection, OnGatewayDisconnect, OnModuleInit, OnModuleDestroy
{
  private readonly logger = new Logger('ChatGateway');
  private readonly rooms = new Map<string, Set<ChatSocket>>();
  private readonly bySocket = new WeakMap<WebSocket, Promise<ChatSocket | null>>();
  private heartbeat?: NodeJS.Timeout;
  private closing = false;
  /** Per room: the next seq to deliver and messages that arrived ahead of it. */
  private readonly order = new Map<string, RoomOrder>();
  /** Per room and user (all of the user's sockets): the last typing state relayed. */
  private readonly lastTyping = new Map<string, { at: number; typing: boolean }>();

  constructor(
    private readonly tokens: TokenService,
    private readonly roomsService: RoomsService,
    private readonly messages: MessagesService,
    private readonly presence: PresenceService,
    private readonly bus: ChatBus,
    @Inject(chatConfig.KEY) private readonly config: ConfigType<typeof chatConfig>,
  ) {}

  onModuleInit(): void {
    this.bus.onEvent((event) => this.onBusEvent(event));
    this.heartbeat = setInterval(() => this.pingAll(), this.config.pingIntervalMs);
    this.heartbeat.unref();
  }

  onModuleDestroy(): void {
    this.closing = true;
    clearInterval(this.heartbeat);
    for (const sockets of this.rooms.values()) {
      for (const s of sockets) s.ws.close(CLOSE.GOING_AWAY, 'Server shutting down');
    }
  }

  handleConnection(ws: WebSocket, req: IncomingMessage): void {
    const ready = this.accept(ws, req).catch((err: unknown) => {
      this.logger.error(
        `WebSocket handshake failed: ${err instanceof Error ? err.message : String(err)}`,
      );
      ws.close(1011, 'Internal error');
      return null;
    });
    this.bySocket.set(ws, ready);
    // Frames that arrive before the handshake is done wait for it, in order.
    ws.on('message', (data: RawData, isBinary: boolean) => {
      void ready.then((socket) => {
        if (!socket) return;
        const frame = this.parse(socket, data, isBinary);
        if (!frame) return;
        // The flood limit applies on arrival, so a fast sender cannot pile up work.
        if ((frame.type === 'message' || frame.type === 'typing') && !this.allow(socket)) {
          return this.error(socket, 'RATE_LIMITED', 'Too many frames; slow down');
        }
        socket.queue = socket.queue.then(() => this.onFrame(socket, frame)).catch(() => undefined);
      });
    });
    ws.on('pong', () => void ready.then((socket) => socket && (socket.alive = true)));
  }

  async handleDisconnect(ws: WebSocket): Promise<void> {
    try {
      const socket = await this.bySocket.get(ws);
      if (!socket) return;
      const sockets = this.rooms.get(socket.roomId);
      if (!sockets?.delete(socket)) return;
      if (sockets.size === 0) {
        this.rooms.delete(socket.roomId);
        clearTimeout(this.order.get(socket.roomId)?.timer);
        this.order.delete(socket.roomId);
      }
      const last = await this.presence.disconnect(socket.roomId, socket.user.id);
      if (!last) return;
      this.lastTyping.delete(`${socket.roomId}|${socket.user.id}`);
      this.bus.publish({
        kind: 'frame',
        roomId: socket.roomId,
        frame: { type: 'user_left', user: toChatUser(socket.user) },
      });
      // While shutting down the database may already be gone; user_left says enough.
      if (!this.closing) await this.publishOnline(socket.roomId);
    } catch (err) {
      this.logger.warn(
        `Cleanup after a closed socket failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  private async accept(ws: WebSocket, req: IncomingMessage): Promise<ChatSocket | null> {
    const url = new URL(req.url ?? '/', 'ws://localhost');
    const roomId = decodeURIComponent(url.pathname.slice(WS_PATH.length + 1));
    const token =
      url.searchParams.get('token') ?? /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    let user: User;
    try {
      if (!token) throw new Error('no token');
      user = await this.tokens.authenticate(token);
    } catch {
      ws.close(CLOSE.UNAUTHORIZED, 'Unauthorized');
      return null;
    }
    let room;
    try {
      const visible = await this.roomsService.getVisible(roomId, user);
      room = visible.room;
      // Opening a public room's socket makes the user a member.
      if (!visible.isMember) await this.roomsService.addMembership(room.id, user.id);
    } catch {
      ws.close(CLOSE.FORBIDDEN, 'Forbidden');
      return null;
    }
    if (ws.readyState !== ws.OPEN) return null;
    if (!this.order.has(room.id))
      this.order.set(room.id, { next: room.lastSeq + 1, pending: new Map() });
    const socket: ChatSocket = {
      ws,
      user,
      roomId: room.id,
      alive: true,
      sent: [],
      queue: Promise.resolve(),
    };
    const sockets = this.rooms.get(room.id) ?? new Set<ChatSocket>();
    this.rooms.set(room.id, sockets);
    sockets.add(socket);
    const first = await this.presence.connect(room.id, user.id);
    this.send(
      socket,
      JSON.stringify({
        type: 'welcome',
        room: await this.roomsService.describe(room),
        user: toChatUser(user),
        last_seq: room.lastSeq,
      }),
    );
    if (first) {
      this.bus.publish({
        kind: 'frame',
        roomId: room.id,
        frame: { type: 'user_joined', user: toChatUser(user) },
      });
      await this.publishOnline(room.id);
    } else {
      this.send(socket, JSON.stringify(await this.onlineFrame(room.id)));
    }
    return socket;
  }

  /** Checks a frame's size and shape; answers an error frame and returns null when bad. */
  private parse(
    socket: ChatSocket,
    data: RawData,
    isBinary: boolean,
  ): ({ type: string } & Record<string, unknown>) | null {
    socket.alive = true;
    const size = Array.isArray(data)
      ? data.reduce((n, b) => n + b.length, 0)
      : (data as Buffer).byteLength;
    if (size > MAX_FRAME_BYTES) {
      this.error(socket, 'FRAME_TOO_LARGE', `Frames are limited to ${MAX_FRAME_BYTES} bytes`);
      return null;
    }
    if (isBinary) {
      this.error(socket, 'INVALID_FRAME', 'Frames are JSON text');
      return null;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(rawText(data));
    } catch {
      this.error(socket, 'INVALID_JSON', 'The frame is not valid JSON');
      return null;
    }
    if (
      typeof frame !== 'object' ||
      frame === null ||
      Array.isArray(frame) ||
      typeof (frame as { type?: unknown }).type !== 'string'
    ) {
      this.error(socket, 'INVALID_FRAME', 'A frame is a JSON object with a "type"');
      return null;
    }
    return frame as { type: string } & Record<string, unknown>;
  }

  private async onFrame(
    socket: ChatSocket,
    frame: { type: string } & Record<string, unknown>,
  ): Promise<void> {
    const { type, ...body } = frame;
    switch (type) {
      case 'ping':
        return this.send(socket, '{"type":"pong"}');
      case 'message':
        return this.onMessage(socket, body);
      case 'typing':
        return this.onTyping(socket, body);
      default:
        return this.error(socket, 'UNKNOWN_TYPE', `Unknown frame type "${type.slice(0, 40)}"`);
    }
  }

  private async onMessage(socket: ChatSocket, body: Record<string, unknown>): Promise<void> {
    const dto = plainToInstance(SendMessageDto, body);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true });
    const clientId = typeof body.client_id === 'string' ? body.client_id : undefined;
    if (errors.length) {
      const detail = validationDetail(flattenValidationErrors(errors));
      return this.error(socket, 'VALIDATION_ERROR', detail, clientId);
    }
    try {
      // Stored first; the bus then delivers it to the whole room, the sender included.
      await this.messages.send(socket.user, socket.roomId, dto);
    } catch (err) {
      if (err instanceof AppException) {
        const { code, detail } = err.getResponse() as { code: string; detail: string };
        return this.error(socket, code, detail, clientId);
      }
      this.logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
      return this.error(socket, 'INTERNAL_ERROR', 'The message could not be sent', clientId);
    }
  }

  private onTyping(socket: ChatSocket, body: Record<string, unknown>): void {
    if (typeof body.typing !== 'boolean' || Object.keys(body).length !== 1) {
      return this.error(socket, 'VALIDATION_ERROR', 'typing must be true or false');
    }
    const now = Date.now();
    const key = `${socket.roomId}|${socket.user.id}`;
    const last = this.lastTyping.get(key);
    // Per user: repeats of the same state inside the interval are dropped.
    if (last && last.typing === body.typing && now - last.at < this.config.typingIntervalMs) return;
    this.lastTyping.set(key, { at: now, typing: body.typing });
    this.bus.publish({
      kind: 'frame',
      roomId: socket.roomId,
      frame: { type: 'typing', user: toChatUser(socket.user), typing: body.typing },
      exceptUserId: socket.user.id,
    });
  }

  /** Sliding-window limit of frames per socket. */
  private allow(socket: ChatSocket): boolean {
    const now = Date.now();
    socket.sent = socket.sent.filter((t) => now - t < this.config.rateWindowMs);
    if (socket.sent.length >= this.config.rateLimit) return false;
    socket.sent.push(now);
    return true;
  }

  private onBusEvent(event: ChatEvent): void {
    const sockets = this.rooms.get(event.roomId);
    if (!sockets) return;
    if (event.kind === 'frame') {
      const data = JSON.stringify(event.frame);
      const seq =
        event.frame.type === 'message' ? (event.frame.message as { seq?: number }).seq : undefined;
      if (typeof seq === 'number') return this.deliverInOrder(event.roomId, seq, data);
      for (const s of sockets) if (s.user.id !== event.exceptUserId) this.send(s, data);
    } else if (event.kind === 'kick') {
      for (const s of sockets)
        if (s.user.id === event.userId) s.ws.close(CLOSE.FORBIDDEN, 'Removed from the room');
    } else {
      for (const s of sockets) s.ws.close(CLOSE.FORBIDDEN, 'The room was deleted');
    }
  }

  /**
   * Messages are committed in seq order but may be published out of it (concurrent senders,
   * other instances): each room's messages go out strictly by seq, waiting briefly for gaps.
   */
  private deliverInOrder(roomId: string, seq: number, data: string): void {
    const state = this.order.get(roomId);
    const broadcast = (frame: string) => {
      for (const s of this.rooms.get(roomId) ?? []) this.send(s, frame);
    };
    if (!state || seq < state.next) return broadcast(data);
    state.pending.set(seq, data);
    const flush = () => {
      let frame: string | undefined;
      while ((frame = state.pending.get(state.next)) !== undefined) {
        state.pending.delete(state.next);
        state.next += 1;
        broadcast(frame);
      }
      clearTimeout(state.timer);
      state.timer = undefined;
      if (state.pending.size > 0) {
        state.timer = setTimeout(() => {
          // The missing seq never came (lost in transit): skip to the oldest waiting one.
          state.next = Math.min(...state.pending.keys());
          flush();
        }, REORDER_WAIT_MS);
        state.timer.unref();
      }
    };
    flush();
  }

  private async onlineFrame(roomId: string) {
    const users = await this.roomsService.usersByIds(await this.presence.onlineUserIds(roomId));
    return { type: 'users_online', users: users.map(toChatUser) };
  }

  private async publishOnline(roomId: string): Promise<void> {
    this.bus.publish({ kind: 'frame', roomId, frame: await this.onlineFrame(roomId) });
  }

  /** A reader that does not keep up is dropped instead of growing the server's memory. */
  private send(socket: ChatSocket, data: string): void {
    if (socket.ws.readyState !== socket.ws.OPEN) return;
    if (socket.ws.bufferedAmount > this.config.maxBufferedBytes) {
      socket.ws.terminate();
      return;
    }
    socket.ws.send(data);
  }

  private error(socket: ChatSocket, code: string, detail: string, clientId?: string): void {
    this.send(
      socket,
      JSON.stringify({ type: 'error', code, detail, ...(clientId ? { client_id: clientId } : {}) }),
    );
  }

  private pingAll(): void {
    for (const sockets of this.rooms.values()) {
      for (const s of sockets) {
        if (!s.alive) {
          s.ws.terminate();
          continue;
        }
        s.alive = false;
        s.ws.ping();
      }
    }
  }
}
