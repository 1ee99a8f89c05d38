import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, ValidateIf } from 'class-validator';
import { Optional } from '../../common/validation/optional';

/**
 * OAuth2 password-flow form (`username` holds the email; what Swagger's Authorize sends)
 * or JSON `{email, password}`.
 */
export class LoginDto {
  @ApiPropertyOptional({
    description: 'The email (OAuth2 form field)',
    example: 'jane@example.com',
  })
  @ValidateIf((o: LoginDto) => o.email === undefined)
  @IsString({ message: 'username (the email) or email is required' })
  @MaxLength(320)
  username?: string;

  @ApiPropertyOptional({ format: 'email', example: 'jane@example.com' })
  @Optional()
  @IsString()
  @MaxLength(320)
  email?: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiPropertyOptional({ enum: ['password'] })
  @Optional()
  @IsIn(['password', ''])
  grant_type?: string;

  @ApiPropertyOptional() @Optional() @IsString() scope?: string;
  @ApiPropertyOptional() @Optional() @IsString() client_id?: string;
  @ApiPropertyOptional() @Optional() @IsString() client_secret?: string;
}

export class TokenResponse {
  @ApiProperty() access_token: string;
  @ApiProperty({ example: 'bearer' }) token_type: 'bearer';
}

/** The OAuth2 password flow's form (documentation of LoginDto's form-encoded shape). */
export class LoginForm {
  @ApiProperty({ description: 'The email', example: 'jane@example.com' }) username: string;
  @ApiProperty({ format: 'password' }) password: string;
  @ApiPropertyOptional({ enum: ['password'] }) grant_type?: string;
  @ApiPropertyOptional() scope?: string;
  @ApiPropertyOptional() client_id?: string;
  @ApiPropertyOptional() client_secret?: string;
}

/** The JSON login body (documentation of LoginDto's JSON shape). */
export class LoginJson {
  @ApiProperty({ format: 'email', example: 'jane@example.com' }) email: string;
  @ApiProperty({ format: 'password' }) password: string;
}
