import type { WebSocket } from 'ws';
import type { Links } from '../../media/media-links';
import type { LiveSocket } from '../../realtime/socket-supervisor';
import type { SocketToken } from '../../realtime/socket-authenticator';
import type { User } from '../../users/entities/user.entity';
import type { ServerFrame } from './frames';

export interface SocketLimits {
  /** Message and typing frames allowed per window. */
  rateLimit: number;
  rateWindowMs: number;
  /** Unsent bytes past which a reader that does not read is cut off. */
  maxBufferedBytes: number;
}

/**
 * Frames a socket may have waiting for their turn (a burst is fine; a client flooding a
 * server whose database stalls is not): past it the sender is cut off.
 */
export const MAX_QUEUED_FRAMES = 1000;
/** Frames a client may send before its handshake is done (they are held as raw data). */
export const MAX_EARLY_FRAMES = 32;

/**
 * One open chat socket after its handshake: who it is, which room it is in (being attached
 * means being a member; removal closes it), and the per-socket limits.
 */
export class ChatSocket implements LiveSocket {
  private readonly sentAt: number[] = [];
  /** Frames of one socket are handled one after the other, in arrival order. */
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;

  constructor(
    readonly ws: WebSocket,
    readonly user: User,
    /** The access token the socket was opened with: re-checked while the socket lives. */
    readonly token: SocketToken,
    readonly roomId: string,
    private readonly limits: SocketLimits,
    /** Where the client reached the app (its handshake): links in its frames point there. */
    readonly origin: string,
    readonly links: Links,
  ) {}

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  /**
   * Sends a serialized frame (a Buffer when one frame goes to many sockets: encoded once);
   * a reader that does not keep up is dropped, not buffered for.
   */
  send(data: string | Buffer): void {
    if (!this.open) return;
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.ws.terminate();
      return;
    }
    this.ws.send(data, { binary: false });
  }

  sendFrame(frame: ServerFrame): void {
    this.send(JSON.stringify(frame));
  }

  /** Sliding-window flood limit, applied when a frame arrives. */
  allow(now = Date.now()): boolean {
    while (this.sentAt.length && now - this.sentAt[0] >= this.limits.rateWindowMs)
      this.sentAt.shift();
    if (this.sentAt.length >= this.limits.rateLimit) return false;
    this.sentAt.push(now);
    return true;
  }

  /**
   * Runs `task` after every task queued before it; false (nothing queued) when the socket
   * already has MAX_QUEUED_FRAMES waiting, as a client flooding a stalled server would.
   */
  enqueue(task: () => Promise<void> | void, onError: (err: unknown) => void): boolean {
    if (this.queued >= MAX_QUEUED_FRAMES) return false;
    this.queued += 1;
    this.queue = this.queue
      .then(task)
      .catch(onError)
      .finally(() => {
        this.queued -= 1;
      });
    return true;
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }
}
