import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ChatModule } from '../chat/chat.module';
import { CommentsModule } from '../comments/comments.module';
import { PostsModule } from '../posts/posts.module';
import { UsersModule } from '../users/users.module';
import { Report } from './entities/report.entity';
import { ModerationController } from './moderation.controller';
import { ModerationService } from './moderation.service';
import { ReportsRepository } from './reports.repository';

@Module({
  imports: [
    TypeOrmModule.forFeature([Report]),
    PostsModule,
    CommentsModule,
    ChatModule,
    UsersModule,
  ],
  controllers: [ModerationController],
  providers: [ModerationService, ReportsRepository],
})
export class ModerationModule {}
