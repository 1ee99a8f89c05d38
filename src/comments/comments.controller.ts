import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { RateLimit } from '../auth/rate-limit';
import { Auth } from '../auth/decorators/auth.decorator';
import { CurrentUser } from '../auth/decorators/current-user.decorator';
import { ErrorResponse } from '../common/dto/error.response';
import { PageQuery } from '../common/pagination/page.query';
import { uuidPipe } from '../common/pipes/uuid.pipe';
import type { User } from '../users/entities/user.entity';
import { CommentsService } from './comments.service';
import { CommentPage, CommentResponse, CreateCommentDto, EditCommentDto } from './dto/comment.dto';

@ApiTags('social')
@Controller()
export class CommentsController {
  constructor(private readonly comments: CommentsService) {}

  @Post('posts/:id/comments')
  @Auth()
  @RateLimit('comment')
  @ApiOperation({ summary: 'Comment on a post, or reply to a comment (parent_id)' })
  @ApiCreatedResponse({ type: CommentResponse })
  @ApiNotFoundResponse({ description: 'POST_NOT_FOUND, COMMENT_NOT_FOUND', type: ErrorResponse })
  create(
    @CurrentUser() user: User,
    @Param('id', uuidPipe) id: string,
    @Body() dto: CreateCommentDto,
  ): Promise<CommentResponse> {
    return this.comments.create(user, id, dto);
  }

  @Get('posts/:id/comments')
  @Auth()
  @ApiOperation({ summary: "A post's comments (top level), oldest first" })
  @ApiOkResponse({ type: CommentPage })
  @ApiNotFoundResponse({ description: 'POST_NOT_FOUND', type: ErrorResponse })
  async list(
    @CurrentUser() user: User,
    @Param('id', uuidPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<CommentPage> {
    return this.comments.ofPost(user, id, query);
  }

  @Get('comments/:id/replies')
  @Auth()
  @ApiOperation({ summary: "A comment's replies, oldest first" })
  @ApiOkResponse({ type: CommentPage })
  @ApiNotFoundResponse({ description: 'COMMENT_NOT_FOUND', type: ErrorResponse })
  replies(
    @CurrentUser() user: User,
    @Param('id', uuidPipe) id: string,
    @Query() query: PageQuery,
  ): Promise<CommentPage> {
    return this.comments.replies(user, id, query);
  }

  @Patch('comments/:id')
  @Auth()
  @ApiOperation({ summary: 'Edit a comment (author)' })
  @ApiOkResponse({ type: CommentResponse })
  @ApiForbiddenResponse({ description: 'NOT_COMMENT_AUTHOR', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMENT_NOT_FOUND', type: ErrorResponse })
  edit(
    @CurrentUser() user: User,
    @Param('id', uuidPipe) id: string,
    @Body() dto: EditCommentDto,
  ): Promise<CommentResponse> {
    return this.comments.edit(user, id, dto.content);
  }

  @Delete('comments/:id')
  @Auth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Delete a comment (its author, the post's author, or a superuser)" })
  @ApiNoContentResponse()
  @ApiForbiddenResponse({ description: 'NOT_COMMENT_AUTHOR', type: ErrorResponse })
  @ApiNotFoundResponse({ description: 'COMMENT_NOT_FOUND', type: ErrorResponse })
  delete(@CurrentUser() user: User, @Param('id', uuidPipe) id: string): Promise<void> {
    return this.comments.delete(user, id);
  }
}
