import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

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
  @IsOptional()
  @IsString()
  @MaxLength(320)
  email?: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiPropertyOptional({ enum: ['password'] })
  @IsOptional()
  @IsIn(['password', ''])
  grant_type?: string;

  @ApiPropertyOptional() @IsOptional() @IsString() scope?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() client_id?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() client_secret?: string;
}

export class TokenResponse {
  @ApiProperty() access_token: string;
  @ApiProperty({ example: 'bearer' }) token_type: 'bearer';
}
