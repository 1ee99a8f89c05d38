import { Module } from '@nestjs/common';
import { PostsRepository } from './posts.repository';

/**
 * The posts table's reads, for the modules that show figures about posts without depending
 * on the posts feature (users' profiles count a user's posts; PostsModule itself depends on
 * UsersModule for authors).
 */
@Module({
  providers: [PostsRepository],
  exports: [PostsRepository],
})
export class PostsDataModule {}
