import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { TLSSocket } from 'node:tls';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { requestContext } from '@fastify/request-context';
import type { FastifyRequest } from 'fastify';
import { appConfig, type ConfigType } from '../../config/configuration';

declare module '@fastify/request-context' {
  interface RequestContextData {
    /** The request being answered: links in its response are built for the origin it came to. */
    request: FastifyRequest;
  }
}

/** A host name, IPv4 or bracketed IPv6 address, with an optional port; nothing else. */
const HOST =
  /^(?:[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/** Whether `host` (with or without a port) is this machine's loopback address. */
export const isLoopbackHost = (host: string): boolean => LOOPBACK.test(host);

const firstValue = (value: string | string[] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim() || undefined;

/**
 * The origin a client reached the app at: its Host header, or X-Forwarded-Host and
 * X-Forwarded-Proto when the app trusts its proxies. Null when that is not a plain host.
 */
export function requestOrigin(
  headers: IncomingHttpHeaders,
  encrypted: boolean,
  trustProxy: boolean,
): string | null {
  const proto =
    (trustProxy ? firstValue(headers['x-forwarded-proto'])?.toLowerCase() : undefined) ??
    (encrypted ? 'https' : 'http');
  const host =
    (trustProxy ? firstValue(headers['x-forwarded-host']) : undefined) ?? firstValue(headers.host);
  if (!host || host.length > 260 || !HOST.test(host)) return null;
  if (proto !== 'http' && proto !== 'https') return null;
  return `${proto}://${host.toLowerCase().replace(/\.(?=:|$)/, '')}`;
}

/**
 * Where links in responses and emails point. PUBLIC_URL when it is set; otherwise the origin
 * of the request being answered (see requestOrigin), so that the app is right on whatever
 * host and port it is reached at; outside a request, http://localhost:<PORT>.
 */
@Injectable()
export class PublicOrigin {
  private readonly logger = new Logger('PublicOrigin');
  private readonly allowedHosts: Set<string>;
  private warned = false;

  constructor(@Inject(appConfig.KEY) private readonly app: ConfigType<typeof appConfig>) {
    this.allowedHosts = new Set(app.allowedHosts);
  }

  /** The origin of a request (HTTP, or a WebSocket handshake). */
  of(req: IncomingMessage): string {
    return (
      this.app.publicUrl ??
      requestOrigin(req.headers, req.socket instanceof TLSSocket, this.app.trustProxy) ??
      this.app.defaultOrigin
    );
  }

  /** The origin for links in the response being made now. */
  current(): string {
    if (this.app.publicUrl) return this.app.publicUrl;
    const request = requestContext.get('request');
    return request ? this.of(request.raw) : this.app.defaultOrigin;
  }

  /**
   * The origin for links sent by email. A Host header is the client's to choose: a password
   * reset asked for with `Host: attacker.example` must not mail the victim a link there. So,
   * without PUBLIC_URL, the request's origin is used only when its host is a loopback address
   * or listed in ALLOWED_HOSTS.
   */
  forEmail(): string {
    if (this.app.publicUrl) return this.app.publicUrl;
    const origin = this.current();
    const host = new URL(origin).host;
    if (LOOPBACK.test(host) || this.allowedHosts.has(host) || this.allowedHosts.has(hostname(host)))
      return origin;
    if (!this.warned) {
      this.warned = true;
      this.logger.warn(
        `Email links point at ${this.app.defaultOrigin}: the request came to ${host}, which is ` +
          'not in ALLOWED_HOSTS. Set PUBLIC_URL (or ALLOWED_HOSTS) to the address users reach.',
      );
    }
    return this.app.defaultOrigin;
  }
}

const hostname = (host: string) => host.replace(/:\d+$/, '');
