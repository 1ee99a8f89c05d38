import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { Optional } from '../../common/validation/optional';
import { BioField, EmailField, PasswordField, UsernameField } from './user-fields';

export class AdminUpdateUserDto {
  @UsernameField()
  username?: string;

  @BioField()
  bio?: string | null;

  @ApiPropertyOptional({ format: 'email' })
  @Optional()
  @EmailField()
  email?: string;

  @ApiPropertyOptional({ format: 'password' })
  @PasswordField(true)
  password?: string;

  @ApiPropertyOptional({ description: 'false bans the user and revokes their tokens' })
  @Optional()
  @IsBoolean()
  is_active?: boolean;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  is_verified?: boolean;

  @ApiPropertyOptional()
  @Optional()
  @IsBoolean()
  is_superuser?: boolean;
}
