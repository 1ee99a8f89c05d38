import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import pLimit, { type LimitFunction } from 'p-limit';
import { jwtConfig, type ConfigType } from '../config/configuration';
import { BcryptWorkers } from './bcrypt-workers';

export const PASSWORD_MIN_BYTES = 8;
/** bcrypt ignores everything after 72 bytes, so longer passwords are refused outright. */
export const PASSWORD_MAX_BYTES = 72;

/**
 * Password rules and bcrypt hashing. The hashing runs on low-priority worker threads
 * (BcryptWorkers); at most `bcryptConcurrency` hashes and comparisons run at once and the
 * others wait in FIFO order, so a burst of logins cannot take the cores from the other
 * requests.
 */
@Injectable()
export class PasswordService implements OnModuleInit {
  private dummyHash!: string;
  private readonly bcryptSlots: LimitFunction;

  constructor(
    @Inject(jwtConfig.KEY) private readonly config: ConfigType<typeof jwtConfig>,
    private readonly bcrypt: BcryptWorkers,
  ) {
    this.bcryptSlots = pLimit(config.bcryptConcurrency);
  }

  async onModuleInit(): Promise<void> {
    // Compared against when the account does not exist, so both paths cost one bcrypt run.
    this.dummyHash = await this.hash('timing-equaliser-not-a-password');
  }

  /** Returns why the password is not acceptable, or null when it is. */
  policyViolation(password: string, email: string): string | null {
    const bytes = Buffer.byteLength(password, 'utf8');
    if (bytes < PASSWORD_MIN_BYTES)
      return `Password should be at least ${PASSWORD_MIN_BYTES} bytes`;
    if (bytes > PASSWORD_MAX_BYTES) return `Password should be at most ${PASSWORD_MAX_BYTES} bytes`;
    if (email && password.toLowerCase().includes(email.toLowerCase())) {
      return 'Password should not contain the email';
    }
    return null;
  }

  hash(password: string): Promise<string> {
    return this.bcryptSlots(() => this.bcrypt.hash(password, this.config.bcryptRounds));
  }

  /** Constant-cost check: pass hash undefined for a missing account. */
  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const tooLong = Buffer.byteLength(password, 'utf8') > PASSWORD_MAX_BYTES;
    const matches = await this.bcryptSlots(() =>
      this.bcrypt.compare(password, hash ?? this.dummyHash),
    );
    return matches && hash !== undefined && !tooLong;
  }
}
