import { Inject, Injectable } from '@nestjs/common';
import { chatConfig, type ConfigType } from '../../config/configuration';
import { RealtimeBus } from '../../realtime/realtime-bus';
import { CHAT_EVENTS } from '../chat-events';
import { chatUserRecord } from '../chat.mapper';
import type { ChatSocket } from './chat-socket';
import { roomFrame } from './frames';

/**
 * Typing indicators: relayed to the rest of the room, once per user and state within the
 * interval (all of the user's sockets in the room count as one).
 */
@Injectable()
export class TypingService {
  /** Per room and user: the last state relayed, and when. */
  private readonly last = new Map<string, { at: number; typing: boolean }>();

  constructor(
    private readonly bus: RealtimeBus,
    @Inject(chatConfig.KEY) private readonly config: ConfigType<typeof chatConfig>,
  ) {}

  relay(socket: ChatSocket, typing: boolean): void {
    const now = Date.now();
    const key = `${socket.roomId}|${socket.user.id}`;
    const last = this.last.get(key);
    if (last && last.typing === typing && now - last.at < this.config.typingIntervalMs) return;
    this.last.set(key, { at: now, typing });
    this.bus.publish(CHAT_EVENTS, {
      kind: 'frame',
      roomId: socket.roomId,
      frame: roomFrame('typing', { user: chatUserRecord(socket.user), typing }),
      exceptUserId: socket.user.id,
    });
  }

  /** The user's last socket in the room closed. */
  forget(roomId: string, userId: string): void {
    this.last.delete(`${roomId}|${userId}`);
  }
}
