/** Close codes of every socket of the API (chat rooms and notifications alike). */
export const CLOSE = {
  /** Server shutting down. */
  GOING_AWAY: 1001,
  /** A client whose frames pile up faster than they are handled. */
  POLICY: 1008,
  /** A bug on our side. */
  INTERNAL: 1011,
  /** A dependency (the database) is unavailable: reconnect later with the same token. */
  TRY_AGAIN_LATER: 1013,
  /** Missing, invalid, expired or revoked token. */
  UNAUTHORIZED: 4401,
  /** Not (or no longer) allowed where the socket points: unknown room, removed, room deleted. */
  FORBIDDEN: 4403,
} as const;
