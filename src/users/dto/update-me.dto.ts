import { ApiPropertyOptional } from '@nestjs/swagger';
import { Optional } from '../../common/validation/optional';
import { BioField, EmailField, PasswordField, UsernameField } from './user-fields';

export class UpdateMeDto {
  @UsernameField()
  username?: string;

  @BioField()
  bio?: string | null;

  @ApiPropertyOptional({
    format: 'email',
    description: 'Requires current_password; resets is_verified',
  })
  @Optional()
  @EmailField()
  email?: string;

  @ApiPropertyOptional({ format: 'password', description: 'Requires current_password; 8-72 bytes' })
  @PasswordField(true)
  password?: string;

  @ApiPropertyOptional({ format: 'password' })
  @PasswordField(true)
  current_password?: string;
}
