import type { IncomingMessage } from 'node:http';
import { OnGatewayConnection, OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { SocketSupervisor } from '../realtime/socket-supervisor';
import { NOTIFICATIONS_WS_PATH, NotificationSockets } from './notification-sockets';

export { NOTIFICATIONS_WS_PATH } from './notification-sockets';

/**
 * ws://host/api/ws/notifications?token=JWT: pushes `{type: "notification", notification}`
 * and `{type: "unread_count", count}` to all of a user's sockets, and `{type: "post", post_id,
 * author_id}` when someone they follow posts, on every instance (the real-time bus carries
 * them). The same handshake rules and close codes as chat sockets: 4401 for a missing,
 * invalid, expired or revoked token (also later, on the periodic re-check), 1013 while the
 * database is unavailable. Clients send nothing; a reconnecting client reads what it missed
 * with GET /notifications.
 */
@WebSocketGateway({ path: NOTIFICATIONS_WS_PATH, maxPayload: 1024 })
export class NotificationsGateway implements OnGatewayConnection, OnGatewayDisconnect {
  constructor(
    private readonly sockets: NotificationSockets,
    private readonly supervisor: SocketSupervisor,
  ) {}

  handleConnection(ws: WebSocket, req: IncomingMessage): void {
    this.supervisor.watch(ws);
    // Nothing is expected from the client: anything it sends is ignored.
    ws.on('message', () => undefined);
    this.sockets.open(ws, req);
  }

  handleDisconnect(ws: WebSocket): void {
    this.sockets.close(ws);
  }
}
