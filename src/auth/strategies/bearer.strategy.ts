import { Injectable } from '@nestjs/common';
import { type AuthContext, TokenService } from '../token.service';
import { AppStrategy, type PassportRequest } from './app-strategy';

/**
 * The Bearer access token of an HTTP request. The checks are TokenService's, the same the
 * WebSocket handshake runs: the header's exact form, signature, expiry, revocation and
 * token version, with their precise 401 codes; a database out of reach stays its own error
 * (503), never a 401.
 */
@Injectable()
export class BearerStrategy extends AppStrategy<AuthContext> {
  constructor(private readonly tokens: TokenService) {
    super('bearer');
  }

  validate(request: PassportRequest): Promise<AuthContext> {
    return this.tokens.authenticate({ authorization: request.headers.authorization });
  }
}
