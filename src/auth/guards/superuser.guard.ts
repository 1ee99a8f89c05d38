import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { requireAccess } from '../../access/access';
import { unauthorized } from '../../common/errors/app.exception';
import type { AuthContext } from '../token.service';

/** Routes of user administration: the access policy's user.admin (403 SUPERUSER_REQUIRED). */
@Injectable()
export class SuperuserGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const auth = context.switchToHttp().getRequest<{ user?: AuthContext }>().user;
    if (!auth) throw unauthorized('NOT_AUTHENTICATED', 'Not authenticated');
    requireAccess(auth.user, 'user.admin', {});
    return true;
  }
}
