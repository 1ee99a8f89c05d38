import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { forbidden } from '../../common/errors/app.exception';
import type { AuthContext } from '../strategies/jwt.strategy';

/** Runs after JwtAuthGuard: only superusers pass. */
@Injectable()
export class SuperuserGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const auth = context.switchToHttp().getRequest<{ user?: AuthContext }>().user;
    if (!auth?.user.isSuperuser) {
      throw forbidden('SUPERUSER_REQUIRED', 'This action requires a superuser');
    }
    return true;
  }
}
