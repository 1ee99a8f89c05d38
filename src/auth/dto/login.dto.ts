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
