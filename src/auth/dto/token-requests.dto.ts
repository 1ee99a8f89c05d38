import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { EmailField, PasswordField } from '../../users/dto/user-fields';

export class EmailDto {
  @ApiProperty({ format: 'email' })
  @EmailField()
  email: string;
}

export class ResetPasswordDto {
  @ApiProperty({ description: 'The token from the reset email' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  token: string;

  @ApiProperty({ format: 'password' })
  @PasswordField()
  password: string;
}

export class VerifyDto {
  @ApiProperty({ description: 'The token from the verification email' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4096)
  token: string;
}

export class DetailResponse {
  @ApiProperty() detail: string;
}
