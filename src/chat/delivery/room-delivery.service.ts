import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import pLimit from 'p-limit';
import { chatConfig, type ConfigType } from '../../config/configuration';
import { isDatabaseUnavailable } from '../../database/pg-errors';
import { CLOSE } from '../../realtime/close-codes';
import { RealtimeBus } from '../../realtime/realtime-bus';
import { CHAT_EVENTS, type ChatEvent } from '../chat-events';
import { MessagesRepository } from '../messages.repository';
import type { ChatSocket } from '../ws/chat-socket';
import type { MessageRecord } from '../chat.mapper';
import { ChatHandshake } from '../ws/chat-handshake';
import { presentFrame, type RoomFrame } from '../ws/frames';
import { RoomSequencer, systemClock } from './room-sequencer';

const BACKFILL_BATCH = 200;
/** Backfill reads at once per instance: a bus reconnect must not take the whole pool. */
const BACKFILL_CONCURRENCY = 2;

/** A handshake under way: a kick or room deletion meanwhile must keep its socket out. */
interface PendingEntry {
  userId: string;
  refused: boolean;
}

/** One room on this instance: its sockets, its ordering, and handshakes still under way. */
class RoomState {
  readonly sockets = new Set<ChatSocket>();
  readonly pending = new Set<PendingEntry>();
  leases = 0;
  constructor(readonly sequencer: RoomSequencer<MessageRecord>) {}
}

/** A place in a room, taken before the room is read so that no message slips past. */
export interface RoomLease {
  readonly roomId: string;
  /**
   * Adds the socket. `welcome(from)` runs before any message reaches it: the socket then
   * receives every message with seq > from, in order, exactly once. False (nothing added)
   * when the user was removed from the room, or the room deleted, since the lease was taken.
   */
  attach(socket: ChatSocket, lastSeq: number, welcome: (from: number) => void): boolean;
  /** Gives the place back (handshake failed, or the socket closed). */
  release(): void;
}

/**
 * Delivers room events to this instance's sockets. Message frames go through a RoomSequencer
 * per room, backed by the messages table: the bus (Redis) is only the fast path, and what it
 * loses or reorders is read from PostgreSQL (on a gap, on bus reconnect, and on a periodic
 * check of the rooms' counters).
 */
@Injectable()
export class RoomDeliveryService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ChatDelivery');
  private readonly rooms = new Map<string, RoomState>();
  private readonly reads = pLimit(BACKFILL_CONCURRENCY);
  private checkTimer?: NodeJS.Timeout;
  private checking = false;
  private lastWarning = 0;

  constructor(
    private readonly bus: RealtimeBus,
    private readonly messages: MessagesRepository,
    private readonly handshake: ChatHandshake,
    @Inject(chatConfig.KEY) private readonly config: ConfigType<typeof chatConfig>,
  ) {}

  onModuleInit(): void {
    this.bus.subscribe(CHAT_EVENTS, (event) => this.onEvent(event));
    this.bus.onReconnect(() => this.resyncAll());
    this.checkTimer = setInterval(() => void this.checkCounters(), this.config.resyncIntervalMs);
    this.checkTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.checkTimer);
    for (const state of this.rooms.values()) state.sequencer.close();
  }

  /** Every socket of this instance (heartbeat, re-checks, shutdown). */
  *sockets(): Iterable<ChatSocket> {
    for (const state of this.rooms.values()) yield* state.sockets;
  }

  reserve(roomId: string, userId: string): RoomLease {
    let state = this.rooms.get(roomId);
    if (!state) {
      state = new RoomState(this.sequencer(roomId));
      this.rooms.set(roomId, state);
    }
    state.leases += 1;
    const held = state;
    const entry: PendingEntry = { userId, refused: false };
    held.pending.add(entry);
    let released = false;
    let socket: ChatSocket | undefined;
    return {
      roomId,
      attach: (s, lastSeq, welcome) => {
        held.pending.delete(entry);
        if (entry.refused || released) return false;
        socket = s;
        const from = held.sequencer.start(lastSeq);
        held.sockets.add(s);
        welcome(from);
        held.sequencer.flush();
        return true;
      },
      release: () => {
        if (released) return;
        released = true;
        held.pending.delete(entry);
        if (socket) held.sockets.delete(socket);
        held.leases -= 1;
        if (held.leases === 0 && this.rooms.get(roomId) === held) {
          held.sequencer.close();
          this.rooms.delete(roomId);
        }
      },
    };
  }

  private sequencer(roomId: string): RoomSequencer<MessageRecord> {
    return new RoomSequencer<MessageRecord>({
      gapWaitMs: this.config.gapWaitMs,
      retryMs: Math.max(this.config.gapWaitMs, 1000),
      batchSize: BACKFILL_BATCH,
      clock: systemClock,
      fetch: async (afterSeq, limit) => {
        const { items, lastSeq } = await this.reads(() =>
          this.messages.range(roomId, afterSeq, limit),
        );
        // In one process the bus loses nothing: a removal is handled before anything after it.
        if (items.length > 0 && this.bus.status !== 'disabled')
          await this.closeNonMembers(this.rooms.get(roomId)?.sockets ?? []);
        return {
          lastSeq,
          items: items.map((message) => ({ seq: message.seq, item: message })),
        };
      },
      deliver: (message) =>
        broadcast(this.rooms.get(roomId)?.sockets ?? [], { type: 'message', message }),
      onFetchError: (err) => this.warn(`Chat backfill for room ${roomId} postponed`, err),
      onGone: () => this.closeRoom(roomId),
    });
  }

  private onEvent(event: ChatEvent): void {
    const state = this.rooms.get(event.roomId);
    if (!state) return;
    switch (event.kind) {
      case 'frame': {
        const f = event.frame;
        if (f.type === 'message') return state.sequencer.push(f.message.seq, f.message);
        // An edit or deletion of a message still held back replaces it there, so no socket
        // sees the change before the message.
        if (f.type === 'message_updated' && state.sequencer.amend(f.message.seq, f.message)) return;
        if (f.type === 'message_deleted' && state.sequencer.amend(f.message.seq, null)) return;
        return broadcast(state.sockets, f, event.exceptUserId);
      }
      case 'kick':
        for (const entry of state.pending) if (entry.userId === event.userId) entry.refused = true;
        for (const s of state.sockets)
          if (s.user.id === event.userId) s.close(CLOSE.FORBIDDEN, 'Removed from the room');
        return;
      case 'room_closed':
        return this.closeRoom(event.roomId);
    }
  }

  /**
   * Closes the sockets of users no longer in their room. Before messages read from the store
   * go out (read after them, so any removal before them shows): the news of a removal may
   * have been lost with the events that revealed the gap, and a message stored after someone's
   * removal must not reach them.
   */
  private async closeNonMembers(sockets: Iterable<ChatSocket>): Promise<void> {
    const open = [...sockets].filter((s) => s.open);
    if (open.length === 0) return;
    for (const { socket, reason } of await this.handshake.revoked(open))
      socket.close(CLOSE.FORBIDDEN, reason);
  }

  private closeRoom(roomId: string): void {
    const state = this.rooms.get(roomId);
    if (!state) return;
    for (const entry of state.pending) entry.refused = true;
    for (const s of state.sockets) s.close(CLOSE.FORBIDDEN, 'The room was deleted');
  }

  /** The bus was away: whatever it did not carry meanwhile is read now, removals included. */
  private resyncAll(): void {
    this.closeNonMembers(this.sockets()).catch((err: unknown) =>
      this.warn('Chat membership check postponed', err),
    );
    for (const state of this.rooms.values()) void state.sequencer.resync();
  }

  /**
   * Compares each open room's counter with what was delivered, in one query: a message whose
   * bus event was lost, with nothing after it to reveal the gap, is found this way; so is a
   * room deleted while its bus event was lost.
   */
  private async checkCounters(): Promise<void> {
    const started = [...this.rooms].filter(([, s]) => s.sequencer.started);
    if (started.length === 0 || this.checking) return;
    this.checking = true;
    try {
      const counters = await this.messages.lastSeqs(started.map(([id]) => id));
      for (const [roomId, state] of started) {
        const lastSeq = counters.get(roomId);
        if (lastSeq === undefined) this.closeRoom(roomId);
        else state.sequencer.hint(lastSeq);
      }
    } catch (err) {
      this.warn('Chat delivery check postponed', err);
    } finally {
      this.checking = false;
    }
  }

  private warn(what: string, err: unknown): void {
    // One line per 10 s at most: an outage would otherwise log once per room per retry.
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    const reason = isDatabaseUnavailable(err)
      ? 'database unavailable'
      : err instanceof Error
        ? err.message
        : String(err);
    this.logger.warn(`${what}: ${reason}`);
  }
}

/**
 * Sends a room frame to sockets: encoded once per origin the sockets reached the app at (links
 * in the frame follow it; usually there is one), not once per socket.
 */
function broadcast(sockets: Iterable<ChatSocket>, f: RoomFrame, exceptUserId?: string): void {
  const encoded = new Map<string, Buffer>();
  for (const socket of sockets) {
    if (socket.user.id === exceptUserId) continue;
    let data = encoded.get(socket.origin);
    if (!data) {
      data = Buffer.from(JSON.stringify(presentFrame(f, socket.links)));
      encoded.set(socket.origin, data);
    }
    socket.send(data);
  }
}
