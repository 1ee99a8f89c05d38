import { topic } from '../realtime/realtime-bus';
import type { RoomFrame } from './ws/frames';

/**
 * What chat sends between instances: a frame for a room's sockets, or the end of someone's
 * place in a room (removed or left: their sockets there close; deleted: all of them close).
 */
export type ChatEvent =
  | { kind: 'frame'; roomId: string; frame: RoomFrame; exceptUserId?: string }
  | { kind: 'kick'; roomId: string; userId: string }
  | { kind: 'room_closed'; roomId: string };

export const CHAT_EVENTS = topic<ChatEvent>('chat');
