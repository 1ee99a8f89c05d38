import { ApiProperty } from '@nestjs/swagger';

/** A user as anyone signed in may see it. */
export class PublicUserResponse {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'jane.doe' }) username: string;
  @ApiProperty({ type: String, nullable: true, example: 'Photographer in Lisbon' }) bio:
    string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uri' }) avatar_url: string | null;
  @ApiProperty({ format: 'date-time' }) created_at: string;
  @ApiProperty({ type: 'integer', example: 0, description: 'Number of posts by this user' })
  post_count: number;
}

/** The full record: the user's own view, and what superusers see. */
export class UserResponse extends PublicUserResponse {
  @ApiProperty({ format: 'email' }) email: string;
  @ApiProperty() is_active: boolean;
  @ApiProperty() is_verified: boolean;
  @ApiProperty() is_superuser: boolean;
}
