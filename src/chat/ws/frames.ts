import type { Links } from '../../media/media-links';
import {
  type ChatUserRecord,
  type MessageRecord,
  toChatUser,
  toMessageResponse,
} from '../chat.mapper';
import type { ChatUser, MessageResponse, RoomResponse } from '../dto/chat.response';

/**
 * The chat socket's protocol in one place: every frame is a JSON object with a `type`.
 * Client → server frames are checked by decodeFrame and validateFrame (frame-parser.ts)
 * against the DTOs in frame.dto.ts.
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

/**
 * The frames of a room as the bus carries them between instances: users and messages as
 * records, made into ServerFrames for each recipient (links follow where it reached the app).
 */
export interface RoomFrames {
  message: { message: MessageRecord };
  message_updated: { message: MessageRecord };
  message_deleted: { message: MessageRecord };
  typing: { user: ChatUserRecord; typing: boolean };
  user_joined: { user: ChatUserRecord };
  user_left: { user: ChatUserRecord };
  users_online: { users: ChatUserRecord[] };
}

export type ClientFrameType = keyof ClientFrames;
export type ClientFrame<K extends ClientFrameType = ClientFrameType> = {
  [T in K]: { type: T } & ClientFrames[T];
}[K];
export type ServerFrame<K extends keyof ServerFrames = keyof ServerFrames> = {
  [T in K]: { type: T } & ServerFrames[T];
}[K];

export type RoomFrame<K extends keyof RoomFrames = keyof RoomFrames> = {
  [T in K]: { type: T } & RoomFrames[T];
}[K];

export const roomFrame = <K extends keyof RoomFrames>(
  type: K,
  body: RoomFrames[K],
): RoomFrame<K> => ({ type, ...body });

/** A room frame as a recipient that reached the app where `links` point sees it. */
export function presentFrame(f: RoomFrame, links: Links): ServerFrame {
  switch (f.type) {
    case 'message':
    case 'message_updated':
    case 'message_deleted':
      return { type: f.type, message: toMessageResponse(f.message, links) };
    case 'typing':
      return { type: f.type, user: toChatUser(f.user, links), typing: f.typing };
    case 'user_joined':
    case 'user_left':
      return { type: f.type, user: toChatUser(f.user, links) };
    case 'users_online':
      return { type: f.type, users: f.users.map((u) => toChatUser(u, links)) };
  }
}

export const frame = <K extends keyof ServerFrames>(
  type: K,
  body: ServerFrames[K],
): ServerFrame<K> => ({ type, ...body });
