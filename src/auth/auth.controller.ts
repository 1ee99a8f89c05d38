import { Body, Controller, HttpCode, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { Auth } from './decorators/auth.decorator';
import { CurrentAuth } from './decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import type { User } from '../users/entities/user.entity';
import { UserResponse } from '../users/dto/user.response';
import { toUserResponse } from '../users/users.mapper';
import { MediaLinks } from '../media/media-links';
import { AuthService } from './auth.service';
import { ApiBodyByContentType } from '../docs/openapi';
import { LoginForm, LoginJson, TokenResponse } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { EmailDto, DetailResponse, ResetPasswordDto, VerifyDto } from './dto/token-requests.dto';
import { type AuthContext, TokenService } from './token.service';
import { Public } from './decorators/public.decorator';
import { PasswordAuthGuard } from './guards/password-auth.guard';

/**
 * FastAPI Users-compatible auth routes. The /api/users/* paths are aliases that chat
 * clients use; they are served by the same handlers.
 */
@ApiTags('auth')
@Controller()
@UseGuards(ThrottlerGuard)
@ApiTooManyRequestsResponse({ description: 'Rate limited (see Retry-After)', type: ErrorResponse })
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: TokenService,
    private readonly links: MediaLinks,
  ) {}

  @Post(['auth/register', 'api/users/register'])
  @Public()
  @ApiOperation({ summary: 'Create an account' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiBadRequestResponse({
    description:
      'REGISTER_USER_ALREADY_EXISTS, REGISTER_USERNAME_ALREADY_EXISTS, REGISTER_INVALID_PASSWORD or VALIDATION_ERROR',
    type: ErrorResponse,
  })
  async register(@Body() dto: RegisterDto): Promise<UserResponse> {
    return toUserResponse(await this.auth.register(dto), this.links.current());
  }

  @Post(['auth/jwt/login', 'api/users/login'])
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Log in (OAuth2 password flow)',
    description: 'Form-encoded `username` (the email) and `password`, or JSON `{email, password}`.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBodyByContentType({
    'application/x-www-form-urlencoded': LoginForm,
    'application/json': LoginJson,
  })
  @ApiOkResponse({ type: TokenResponse })
  @ApiBadRequestResponse({ description: 'LOGIN_BAD_CREDENTIALS', type: ErrorResponse })
  // Passport checks the credentials (PasswordStrategy); the route issues the token.
  @UseGuards(PasswordAuthGuard)
  async login(@Req() request: FastifyRequest & { user: User }): Promise<TokenResponse> {
    return {
      access_token: await this.tokens.issueAccessToken(request.user),
      token_type: 'bearer',
    };
  }

  @Post('auth/jwt/logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Auth()
  @ApiOperation({ summary: 'Revoke the token used for this request' })
  @ApiNoContentResponse({ description: 'The token is revoked' })
  async logout(@CurrentAuth() auth: AuthContext): Promise<void> {
    await this.auth.logout(auth.token);
  }

  @Post('auth/forgot-password')
  @Public()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Email a password reset token (always 202)' })
  @ApiAcceptedResponse({ type: DetailResponse })
  async forgotPassword(@Body() dto: EmailDto): Promise<DetailResponse> {
    await this.auth.forgotPassword(dto.email);
    return { detail: 'If the account exists, a reset email has been sent.' };
  }

  @Post('auth/reset-password')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Set a new password with a reset token (single use, 1 h)' })
  @ApiOkResponse({ type: DetailResponse })
  @ApiBadRequestResponse({
    description: 'RESET_PASSWORD_BAD_TOKEN or RESET_PASSWORD_INVALID_PASSWORD',
    type: ErrorResponse,
  })
  async resetPassword(@Body() dto: ResetPasswordDto): Promise<DetailResponse> {
    await this.auth.resetPassword(dto.token, dto.password);
    return { detail: 'The password has been reset.' };
  }

  @Post('auth/request-verify-token')
  @Public()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Email a verification token (always 202)' })
  @ApiAcceptedResponse({ type: DetailResponse })
  async requestVerifyToken(@Body() dto: EmailDto): Promise<DetailResponse> {
    await this.auth.requestVerification(dto.email);
    return { detail: 'If the account exists and is not verified, an email has been sent.' };
  }

  @Post('auth/verify')
  @Public()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Verify the email address with a token' })
  @ApiOkResponse({ type: UserResponse })
  @ApiBadRequestResponse({
    description: 'VERIFY_USER_BAD_TOKEN or VERIFY_USER_ALREADY_VERIFIED',
    type: ErrorResponse,
  })
  async verify(@Body() dto: VerifyDto): Promise<UserResponse> {
    return toUserResponse(await this.auth.verify(dto.token), this.links.current());
  }
}
