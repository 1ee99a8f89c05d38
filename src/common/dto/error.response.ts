import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

class FieldErrorResponse {
  @ApiProperty({ example: 'email' }) field: string;
  @ApiProperty({ type: [String], example: ['email must be a valid email address'] })
  messages: string[];
}

/** The shape of every error response. */
export class ErrorResponse {
  @ApiProperty({ type: 'integer', example: 400 }) status_code: number;
  @ApiProperty({ example: 'Bad Request' }) error: string;
  @ApiProperty({ example: 'email must be a valid email address', description: 'Human-readable' })
  detail: string;
  @ApiProperty({ example: 'VALIDATION_ERROR', description: 'Stable machine-readable code' })
  code: string;
  @ApiPropertyOptional({
    type: [FieldErrorResponse],
    description: 'Validation errors, one per field',
  })
  errors?: FieldErrorResponse[];
}
