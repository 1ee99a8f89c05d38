import { Injectable } from '@nestjs/common';
import { createValidationPipe } from '../../common/pipes/validation.pipe';
import type { User } from '../../users/entities/user.entity';
import { AuthService } from '../auth.service';
import { LoginDto } from '../dto/login.dto';
import { AppStrategy, type PassportRequest } from './app-strategy';

/**
 * The OAuth2 password form (`username` holds the email) or JSON `{email, password}`. Not
 * passport-local: it takes one field name for the email, and reads the query string when
 * the body lacks it, where a password has no business.
 */
@Injectable()
export class PasswordStrategy extends AppStrategy<User> {
  // Guards run before pipes: the body is checked here, by the same rules and with the same
  // 400 VALIDATION_ERROR as the global pipe, before any password is compared.
  private readonly validation = createValidationPipe();

  constructor(private readonly auth: AuthService) {
    super('password');
  }

  async validate(request: PassportRequest): Promise<User> {
    const credentials = (await this.validation.transform(request.body, {
      type: 'body',
      metatype: LoginDto,
    })) as LoginDto;
    return this.auth.checkCredentials(
      credentials.email ?? credentials.username ?? '',
      credentials.password,
    );
  }
}
