import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A user in a list (followers, following, likes, search). */
export class PublicUserCard {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'jane.doe' }) username: string;
  @ApiProperty({ type: String, nullable: true }) bio: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uri' }) avatar_url: string | null;
}

export class UserCardPage {
  @ApiProperty({ type: [PublicUserCard] }) items: PublicUserCard[];
  @ApiProperty({ type: String, nullable: true, description: 'Pass as cursor for the next page' })
  next_cursor: string | null;
}

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
  @ApiProperty({ type: 'integer', example: 0 }) follower_count: number;
  @ApiProperty({ type: 'integer', example: 0 }) following_count: number;
  @ApiPropertyOptional({ description: 'Another user: whether you follow them' })
  is_following?: boolean;
  @ApiPropertyOptional({ description: 'Another user: whether they follow you' })
  follows_you?: boolean;
}

/** The full record: the user's own view, and what superusers see. */
export class UserResponse extends PublicUserResponse {
  @ApiProperty({ format: 'email' }) email: string;
  @ApiProperty() is_active: boolean;
  @ApiProperty() is_verified: boolean;
  @ApiProperty() is_superuser: boolean;
}
