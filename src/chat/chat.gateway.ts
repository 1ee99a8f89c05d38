import type { IncomingMessage } from 'node:http';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { RawData, WebSocket } from 'ws';
import { CLOSE } from '../realtime/close-codes';
import { SocketSupervisor } from '../realtime/socket-supervisor';
import { ChatFrames } from './ws/chat-frames';
import { WS_PATH } from './ws/chat-handshake';
import { ChatSessions } from './ws/chat-sessions';
import { type ChatSocket, MAX_EARLY_FRAMES } from './ws/chat-socket';

export { WS_PATH } from './ws/chat-handshake';

/**
 * Plain-WebSocket chat at /api/ws/{room_id}?token=JWT with JSON frames {type, ...}. Wiring
 * only: ChatSessions runs the handshake and presence, ChatFrames handles what the client
 * sends (MessagesService stores, as for REST), RoomDeliveryService delivers in seq order,
 * and the SocketSupervisor keeps the heartbeat and re-checks tokens and memberships.
 */
@WebSocketGateway({ path: WS_PATH, maxPayload: 1024 * 1024 })
export class ChatGateway implements OnGatewayConnection, OnGatewayDisconnect {
  constructor(
    private readonly sessions: ChatSessions,
    private readonly frames: ChatFrames,
    private readonly supervisor: SocketSupervisor,
  ) {}

  handleConnection(ws: WebSocket, req: IncomingMessage): void {
    this.supervisor.watch(ws);
    /** undefined while the handshake runs, null when it failed. */
    let socket: ChatSocket | null | undefined;
    const ready = this.sessions.open(ws, req).then((s) => (socket = s));
    let early = 0;
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (socket) return this.frames.receive(socket, data, isBinary);
      if (socket === null) return;
      // Frames that arrive during the handshake wait for it, in arrival order, within reason.
      if (++early > MAX_EARLY_FRAMES) return ws.close(CLOSE.POLICY, 'Too many frames');
      void ready.then((s) => s && this.frames.receive(s, data, isBinary));
    });
  }

  handleDisconnect(ws: WebSocket): Promise<void> {
    return this.sessions.close(ws);
  }
}
