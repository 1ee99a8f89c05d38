import type { ChatUser, MessageResponse, RoomResponse } from '../dto/chat.response';

/**
 * The chat socket's protocol in one place: every frame is a JSON object with a `type`.
 * Client → server frames are validated by FrameParser against the DTOs in frame.dto.ts.
 */
export interface ClientFrames {
  message: { content?: string; file_id?: string | null; client_id?: string };
  typing: { typing: boolean };
  ping: Record<string, never>;
}

/** Server → client frames. */
export interface ServerFrames {
  /** First frame on a socket: every message with seq > last_seq will follow, in order. */
  welcome: { room: RoomResponse; user: ChatUser; last_seq: number };
  message: { message: MessageResponse };
  message_updated: { message: MessageResponse };
  message_deleted: { message: MessageResponse };
  typing: { user: ChatUser; typing: boolean };
  user_joined: { user: ChatUser };
  user_left: { user: ChatUser };
  users_online: { users: ChatUser[] };
  pong: Record<string, never>;
  error: { code: string; detail: string; client_id?: string };
}

export type ClientFrameType = keyof ClientFrames;
export type ClientFrame<K extends ClientFrameType = ClientFrameType> = {
  [T in K]: { type: T } & ClientFrames[T];
}[K];
export type ServerFrame<K extends keyof ServerFrames = keyof ServerFrames> = {
  [T in K]: { type: T } & ServerFrames[T];
}[K];

export const frame = <K extends keyof ServerFrames>(
  type: K,
  body: ServerFrames[K],
): ServerFrame<K> => ({ type, ...body });

/** Close codes of the chat socket. */
export const CLOSE = {
  /** Server shutting down. */
  GOING_AWAY: 1001,
  /** A bug on our side. */
  INTERNAL: 1011,
  /** A dependency (the database) is unavailable: reconnect later with the same token. */
  TRY_AGAIN_LATER: 1013,
  /** Missing, invalid, expired or revoked token. */
  UNAUTHORIZED: 4401,
  /** Unknown room, a private room of others, removed from the room, room deleted. */
  FORBIDDEN: 4403,
  /** A client whose frames pile up faster than they are handled. */
  POLICY: 1008,
} as const;
