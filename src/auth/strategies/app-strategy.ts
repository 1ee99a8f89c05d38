import { randomBytes } from 'node:crypto';
import type { OnModuleDestroy } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import passport from 'passport';
import { Strategy as CustomStrategy } from 'passport-custom';

/**
 * What a strategy sees of a request. Passport writes its helpers (logIn, logOut,
 * isAuthenticated, _sessionManager, ...) onto the object it is given; on Fastify's own request
 * those seven properties, added to every request after it was built, would change the shape
 * that every later reader of the request was optimised for. It gets this small object instead.
 */
export interface PassportRequest {
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * A Passport strategy whose validate() decides from the request alone, registered under a
 * name of its app's own. Passport keeps strategies in one process-wide registry: under a
 * fixed name, a second app in the same process (a test's app with other settings) would
 * replace the first one's, and its database and keys would answer the first one's requests.
 * The name is removed when the app closes.
 */
export abstract class AppStrategy<T> extends CustomStrategy implements OnModuleDestroy {
  /** What the app's guards pass to Passport (their `defaultStrategy`). */
  readonly registeredName: string;

  protected constructor(kind: string) {
    // validate()'s error goes to Passport as is: the guards rethrow it unchanged, so the
    // app's own 400, 401 and 503 answers never become Passport's bare 401.
    super((request, done) => {
      this.validate(request as unknown as PassportRequest).then(
        (result) => done(null, result),
        done,
      );
    });
    this.registeredName = `${kind}-${randomBytes(6).toString('hex')}`;
    passport.use(this.registeredName, this);
  }

  abstract validate(request: PassportRequest): Promise<T>;

  onModuleDestroy(): void {
    passport.unuse(this.registeredName);
  }
}
