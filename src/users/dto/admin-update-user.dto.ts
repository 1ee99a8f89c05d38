import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { BioField, EmailField, PasswordField, UsernameField } from './user-fields';

export class AdminUpdateUserDto {
  @UsernameField()
  username?: string;

  @BioField()
  bio?: string | null;

  @ApiPropertyOptional({ format: 'email' })
  @IsOptional()
  @EmailField()
  email?: string;

  @ApiPropertyOptional({ format: 'password' })
  @PasswordField(true)
  password?: string;

  @ApiPropertyOptional({ description: 'false bans the user and revokes their tokens' })
  @IsOptional()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  is_verified?: boolean;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  is_superuser?: boolean;
}
