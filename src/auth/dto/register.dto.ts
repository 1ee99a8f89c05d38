import { ApiProperty } from '@nestjs/swagger';
import { EmailField, PasswordField, UsernameField } from '../../users/dto/user-fields';

export class RegisterDto {
  @ApiProperty({ format: 'email', example: 'jane@example.com' })
  @EmailField()
  email: string;

  @ApiProperty({
    format: 'password',
    example: 'correct horse battery',
    description: '8-72 bytes, must not contain the email',
  })
  @PasswordField()
  password: string;

  @UsernameField()
  username?: string;
}
