import { Injectable, Logger } from '@nestjs/common';
import { badRequest } from '../common/errors/app.exception';
import { PublicOrigin } from '../common/http/public-origin';
import { Mailer } from '../mail/mailer';
import type { User } from '../users/entities/user.entity';
import { PasswordService } from '../users/password.service';
import { UsersService } from '../users/users.service';
import type { RegisterDto } from './dto/register.dto';
import { AccessTokenPayload, passwordFingerprint, TokenService } from './token.service';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    private readonly users: UsersService,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly mailer: Mailer,
    private readonly origins: PublicOrigin,
  ) {}

  async register(dto: RegisterDto): Promise<User> {
    const user = await this.users.create(dto);
    this.sendInBackground(this.sendVerification(user));
    return user;
  }

  /** Same error for unknown email, wrong password and inactive user, at the same cost. */
  async login(
    email: string,
    password: string,
  ): Promise<{ access_token: string; token_type: 'bearer' }> {
    const user = await this.checkCredentials(email, password);
    return { access_token: await this.tokens.issueAccessToken(user), token_type: 'bearer' };
  }

  /** The active account with these credentials (400 LOGIN_BAD_CREDENTIALS otherwise). */
  async checkCredentials(email: string, password: string): Promise<User> {
    const user = await this.users.findByEmail(email);
    const ok = await this.passwords.verify(password, user?.hashedPassword);
    if (!user || !ok || !user.isActive) {
      throw badRequest('LOGIN_BAD_CREDENTIALS', 'Incorrect email or password');
    }
    return user;
  }

  logout(token: AccessTokenPayload): Promise<void> {
    return this.tokens.revoke(token);
  }

  /** Answers the same whether or not the account exists; the mail goes out after the reply. */
  async forgotPassword(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || !user.isActive) return;
    const token = await this.tokens.issueResetToken(user);
    const origin = this.origins.forEmail();
    this.sendInBackground(
      this.mailer.send({
        to: user.email,
        subject: 'Reset your password',
        text:
          `Someone asked to reset the password of your account.\n\n` +
          `Reset it here: ${origin}/reset-password?token=${token}\n` +
          `Or send this token to POST /auth/reset-password: ${token}\n\n` +
          `The link expires in one hour. If it was not you, ignore this message.`,
      }),
    );
  }

  async resetPassword(token: string, password: string): Promise<void> {
    const bad = () =>
      badRequest('RESET_PASSWORD_BAD_TOKEN', 'The reset token is invalid or has expired');
    const claims = await this.tokens.readResetToken(token);
    if (!claims) throw bad();
    const user = await this.users.findById(claims.userId);
    // The fingerprint changes with the password: a used token stops matching.
    if (
      !user ||
      !user.isActive ||
      passwordFingerprint(user.hashedPassword) !== claims.fingerprint
    ) {
      throw bad();
    }
    await this.users.setPassword(user, password, 'RESET_PASSWORD_INVALID_PASSWORD');
  }

  async requestVerification(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user || !user.isActive || user.isVerified) return;
    this.sendInBackground(this.sendVerification(user));
  }

  async verify(token: string): Promise<User> {
    const claims = await this.tokens.readVerifyToken(token);
    const user = claims ? await this.users.findById(claims.userId) : null;
    // A token for an address the account no longer has is void.
    if (!claims || !user || !user.isActive || user.email !== claims.email) {
      throw badRequest('VERIFY_USER_BAD_TOKEN', 'The verification token is invalid or has expired');
    }
    if (user.isVerified) {
      throw badRequest('VERIFY_USER_ALREADY_VERIFIED', 'This account is already verified');
    }
    return this.users.markVerified(user);
  }

  private async sendVerification(user: User): Promise<void> {
    const origin = this.origins.forEmail();
    const token = await this.tokens.issueVerifyToken(user);
    await this.mailer.send({
      to: user.email,
      subject: 'Verify your email',
      text:
        `Welcome! Confirm your email address here: ${origin}/verify?token=${token}\n` +
        `Or send this token to POST /auth/verify: ${token}\n\nThe link expires in one hour.`,
    });
  }

  private sendInBackground(sending: Promise<void>): void {
    sending.catch((err: unknown) =>
      this.logger.error(
        `Could not send email: ${err instanceof Error ? err.message : String(err)}`,
      ),
    );
  }
}
