import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Optional } from '../../common/validation/optional';

export const USERNAME_PATTERN = /^[a-zA-Z0-9_.]{3,32}$/;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const lowerTrim = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

/** Field decorators shared by the DTOs that accept them. */
export const EmailField = () =>
  applyDecorators(
    Transform(lowerTrim),
    IsEmail({}, { message: 'email must be a valid email address' }),
    MaxLength(320),
  );

export const UsernameField = () =>
  applyDecorators(
    ApiPropertyOptional({ example: 'jane.doe', pattern: USERNAME_PATTERN.source }),
    Optional(),
    Transform(trim),
    IsString(),
    Matches(USERNAME_PATTERN, {
      message: 'username must be 3-32 characters of letters, digits, "_" and "."',
    }),
  );

export const BioField = () =>
  applyDecorators(
    ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 }),
    IsOptional(), // null clears the bio
    IsString(),
    MaxLength(500),
  );

/** Password length and content rules are checked by PasswordPolicy to give their own codes. */
export const PasswordField = (optional = false) =>
  applyDecorators(
    ...(optional ? [Optional()] : []),
    IsString(),
    MaxLength(1024, { message: 'password is too long' }),
  );
