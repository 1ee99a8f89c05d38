import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but when present it must be valid: unlike @IsOptional(),
 * null is not waved through (it would reach NOT NULL columns).
 */
export const Optional = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
