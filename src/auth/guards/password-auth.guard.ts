import { Injectable } from '@nestjs/common';
import { PasswordStrategy } from '../strategies/password.strategy';
import { StrategyAuthGuard } from './strategy-auth.guard';

/**
 * Checks the login form's email and password through Passport; `request.user` is then the
 * account. A route guard, so it runs after the class's ThrottlerGuard: a rate-limited
 * client never reaches the password check.
 */
@Injectable()
export class PasswordAuthGuard extends StrategyAuthGuard {
  constructor(strategy: PasswordStrategy) {
    super(strategy);
  }
}
