import * as http from 'node:http';
import { WsAdapter } from '@nestjs/platform-ws';

interface PathServer {
  path: string;
  handleUpgrade(
    req: http.IncomingMessage,
    socket: unknown,
    head: Buffer,
    cb: (ws: unknown) => void,
  ): void;
  emit(event: string, ...args: unknown[]): boolean;
}

/**
 * The stock WsAdapter routes upgrades by exact path; chat sockets live at
 * /api/ws/{room_id}, so a gateway at path P also takes P/anything.
 */
export class PrefixWsAdapter extends WsAdapter {
  protected override ensureHttpServerExists(port: number, httpServer = http.createServer()) {
    if (this.httpServersRegistry.has(port)) return undefined;
    this.httpServersRegistry.set(port, httpServer);
    const upgradeListener = (
      request: http.IncomingMessage,
      socket: { destroy(): void; end(s: string): void },
      head: Buffer,
    ) => {
      try {
        const pathname = new URL(request.url ?? '/', 'ws://localhost').pathname;
        const servers = (this.wsServersRegistry.get(port) ?? []) as PathServer[];
        // The longest path that matches: /api/ws/notifications before /api/ws/{room_id}.
        const server = servers
          .filter((s) => pathname === s.path || pathname.startsWith(`${s.path}/`))
          .sort((a, b) => b.path.length - a.path.length)[0];
        if (!server) {
          socket.destroy();
          return;
        }
        server.handleUpgrade(request, socket, head, (ws) => server.emit('connection', ws, request));
      } catch {
        socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
      }
    };
    httpServer.on('upgrade', upgradeListener);
    // The base class removes its upgrade listeners on dispose through this registry.
    (
      this as unknown as { upgradeListenersRegistry: Map<number, unknown> }
    ).upgradeListenersRegistry.set(port, upgradeListener);
    return httpServer;
  }
}
