/** What the re-check needs of the token a socket was opened with. */
export interface SocketToken {
  jti: string;
  /** Expiry, in seconds since the epoch. */
  exp: number;
}

/** Where a client may put its access token: a header, or a `token` query value. */
export interface SocketCredentials {
  authorization?: string;
  query?: string | null;
}

export interface SocketIdentity<U> {
  user: U;
  token: SocketToken;
}

/**
 * The app's authentication as sockets need it, provided by the feature that owns it: the
 * handshake's check, and the periodic one of every open socket's token.
 */
export interface SocketAuthenticator<U = unknown> {
  /** Rejects (an HttpException with status 401) unless the credentials are good. */
  authenticate(credentials: SocketCredentials): Promise<SocketIdentity<U>>;
  /** The jtis of `tokens` that are still valid (not revoked, account still active). */
  stillValid(tokens: SocketToken[]): Promise<Set<string>>;
}

export const SOCKET_AUTHENTICATOR = Symbol('SOCKET_AUTHENTICATOR');
