import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';

/**
 * An open route. Every other route requires a Bearer token: authentication is a global guard
 * (deny by default), so a route forgotten here is closed, not open.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);
