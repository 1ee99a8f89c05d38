import {
  Body,
  Controller,
  Delete,
  HttpCode,
  HttpException,
  HttpStatus,
  Post,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SkipThrottle, ThrottlerGuard } from '@nestjs/throttler';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from './decorators/public.decorator';
import { isLoopbackHost } from '../common/http/public-origin';
import { ErrorResponse } from '../common/dto/error.response';
import { AuthService } from './auth.service';
import { TokenResponse } from './dto/login.dto';
import { RefreshRateLimited, type Session, SessionsService } from './sessions.service';

export class SessionDto {
  @ApiProperty({ format: 'email', example: 'jane@example.com' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(320)
  email: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1024)
  password: string;
}

export const REFRESH_COOKIE = 'mc_refresh';
/** The cookie goes to /auth/session and /auth/jwt/refresh only. */
const COOKIE_PATH = '/auth';

function readCookie(req: FastifyRequest): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === REFRESH_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

function setCookie(req: FastifyRequest, reply: FastifyReply, value: string, maxAge: number): void {
  // Secure everywhere but a plain-HTTP loopback address (a developer's machine).
  const secure = req.protocol === 'https' || !isLoopbackHost(req.host);
  reply.header(
    'set-cookie',
    `${REFRESH_COOKIE}=${encodeURIComponent(value)}; Path=${COOKIE_PATH}; Max-Age=${maxAge}; ` +
      `HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
  );
}

/**
 * Browser sessions (the web client): the access token comes back in the body, short-lived,
 * for the page's memory; the rotating refresh token in an httpOnly, SameSite=Strict cookie
 * scoped to /auth. Bearer-token clients keep using POST /auth/jwt/login as before.
 */
@ApiTags('auth')
@Controller('auth')
@UseGuards(ThrottlerGuard)
export class SessionsController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  private answer(req: FastifyRequest, reply: FastifyReply, session: Session): TokenResponse {
    const maxAge = Math.round((session.refreshExpiresAt.getTime() - Date.now()) / 1000);
    setCookie(req, reply, session.refreshToken, maxAge);
    return { access_token: session.accessToken, token_type: 'bearer' };
  }

  @Post('session')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Start a browser session: a short-lived access token and a refresh cookie',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiBadRequestResponse({ description: 'LOGIN_BAD_CREDENTIALS', type: ErrorResponse })
  async start(
    @Body() dto: SessionDto,
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse> {
    const user = await this.auth.checkCredentials(dto.email, dto.password);
    return this.answer(req, reply, await this.sessions.start(user));
  }

  @Post('jwt/refresh')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'A new access token for the session cookie; the cookie rotates (single use)',
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({
    description: 'INVALID_REFRESH_TOKEN, or REFRESH_TOKEN_REUSED (the session is ended)',
    type: ErrorResponse,
  })
  @ApiTooManyRequestsResponse({
    description:
      'RATE_LIMITED: this session refreshed THROTTLE_REFRESH_LIMIT times in the window; it stays valid, retry after Retry-After',
    type: ErrorResponse,
  })
  // Counted per session by SessionsService, not per client address with the login routes:
  // every reload and tab refreshes, and people behind one NAT share an address.
  @SkipThrottle()
  async refresh(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TokenResponse> {
    try {
      return this.answer(req, reply, await this.sessions.refresh(readCookie(req)));
    } catch (err) {
      if (err instanceof RefreshRateLimited) reply.header('Retry-After', String(err.retryAfter));
      // Only a refusal ends the session in the browser; a limit or an outage does not.
      else if (err instanceof HttpException && err.getStatus() === 401)
        setCookie(req, reply, '', 0);
      throw err;
    }
  }

  @Delete('session')
  @Public()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary:
      'End the browser session (its refresh tokens and the access tokens issued with them) and clear the cookie',
  })
  @ApiNoContentResponse()
  async end(
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<void> {
    await this.sessions.end(readCookie(req));
    setCookie(req, reply, '', 0);
  }
}
