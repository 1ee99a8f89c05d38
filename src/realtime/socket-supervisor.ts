import type { IncomingMessage } from 'node:http';
import {
  Inject,
  Injectable,
  Logger,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { WebSocket } from 'ws';
import { chatConfig, type ConfigType } from '../config/configuration';
import { isDatabaseUnavailable } from '../database/pg-errors';
import { CLOSE } from './close-codes';
import { handshakeRejection, socketUrl } from './handshake';
import {
  SOCKET_AUTHENTICATOR,
  type SocketAuthenticator,
  type SocketIdentity,
  type SocketToken,
} from './socket-authenticator';

/** An open socket past its handshake, as the supervisor sees it. */
export interface LiveSocket {
  readonly ws: WebSocket;
  /** The access token the socket was opened with: re-checked while the socket lives. */
  readonly token: SocketToken;
}

/** An open socket whose access ended, and why (it closes with 4403). */
export interface Revoked<S> {
  socket: S;
  reason: string;
}

/** The open sockets of one gateway, and what besides the token keeps each one allowed. */
export interface SocketGroup<S extends LiveSocket> {
  sockets(): Iterable<S>;
  /**
   * Which of `sockets` (their tokens still valid) lost what let them in, e.g. a room
   * membership; one query for all of them. Absent: the token is all there is.
   */
  revoked?(sockets: S[]): Promise<Array<Revoked<S>>>;
}

/**
 * What every socket of the API shares, whatever it carries: authentication at the handshake
 * and how a refused one closes, a heartbeat that drops sockets that stopped answering, one
 * periodic re-check of every open socket (tokens expired or revoked: 4401; access lost as
 * each gateway defines it: 4403), and closing them all at shutdown.
 */
@Injectable()
export class SocketSupervisor implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('Sockets');
  private readonly groups: Array<SocketGroup<LiveSocket>> = [];
  /** Pinged and not heard from since. */
  private readonly silent = new WeakSet<WebSocket>();
  private heartbeat?: NodeJS.Timeout;
  private recheckTimer?: NodeJS.Timeout;
  private rechecking = false;

  constructor(
    @Inject(SOCKET_AUTHENTICATOR) private readonly authenticator: SocketAuthenticator,
    @Inject(chatConfig.KEY) private readonly config: ConfigType<typeof chatConfig>,
  ) {}

  onModuleInit(): void {
    this.heartbeat = setInterval(() => this.pingAll(), this.config.pingIntervalMs);
    this.heartbeat.unref();
    this.recheckTimer = setInterval(() => void this.recheck(), this.config.resyncIntervalMs);
    this.recheckTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
    clearInterval(this.recheckTimer);
    for (const socket of this.all()) socket.ws.close(CLOSE.GOING_AWAY, 'Server shutting down');
  }

  /** Adds a gateway's sockets to the heartbeat, the re-check and the shutdown. */
  register<S extends LiveSocket>(group: SocketGroup<S>): void {
    this.groups.push(group);
  }

  /** Counts anything the client sends (a pong or a frame) as a sign of life. */
  watch(ws: WebSocket): void {
    const heard = () => this.silent.delete(ws);
    ws.on('pong', heard);
    ws.on('message', heard);
  }

  /**
   * The user behind a handshake (Authorization header, or `token` in the query), with the
   * app's user type `U`; rejects with what handshakeRejection maps to a close code.
   */
  async authenticate<U>(req: IncomingMessage): Promise<SocketIdentity<U>> {
    const identity = await this.authenticator.authenticate({
      authorization: req.headers.authorization,
      query: socketUrl(req).searchParams.get('token'),
    });
    // The app registers one authenticator, and its user type is the one the gateways use.
    return identity as SocketIdentity<U>;
  }

  /** Closes a socket whose handshake failed, with the code the failure maps to. */
  refuse(ws: WebSocket, err: unknown): void {
    const rejected = handshakeRejection(err, this.logger);
    ws.close(rejected.closeCode, rejected.reason);
  }

  private *all(): Iterable<LiveSocket> {
    for (const group of this.groups) yield* group.sockets();
  }

  private pingAll(): void {
    for (const { ws } of this.all()) {
      if (this.silent.has(ws)) {
        ws.terminate();
        continue;
      }
      this.silent.add(ws);
      ws.ping();
    }
  }

  /**
   * Closes sockets whose token expired or was revoked (logout, password change, ban), or
   * whose access ended while the news of it was lost: one token query for all the sockets,
   * then one query per gateway that has more to check.
   */
  private async recheck(): Promise<void> {
    if (this.rechecking) return;
    const groups = this.groups.map((group) => ({ group, sockets: [...group.sockets()] }));
    if (groups.every(({ sockets }) => sockets.length === 0)) return;
    this.rechecking = true;
    try {
      const now = Date.now() / 1000;
      const tokens = new Map<string, SocketToken>();
      for (const { sockets } of groups)
        for (const { token } of sockets) if (token.exp > now) tokens.set(token.jti, token);
      const valid = await this.authenticator.stillValid([...tokens.values()]);
      for (const { group, sockets } of groups) {
        const live: LiveSocket[] = [];
        for (const socket of sockets) {
          if (socket.token.exp <= now) socket.ws.close(CLOSE.UNAUTHORIZED, 'Token expired');
          else if (!valid.has(socket.token.jti))
            socket.ws.close(CLOSE.UNAUTHORIZED, 'Token revoked');
          else live.push(socket);
        }
        if (!group.revoked || live.length === 0) continue;
        for (const { socket, reason } of await group.revoked(live))
          socket.ws.close(CLOSE.FORBIDDEN, reason);
      }
    } catch (err) {
      // The database is away: sends are refused meanwhile; the next round checks again.
      if (!isDatabaseUnavailable(err))
        this.logger.warn(
          `Socket re-check failed: ${err instanceof Error ? err.message : String(err)}`,
        );
    } finally {
      this.rechecking = false;
    }
  }
}
