import { Module } from '@nestjs/common';
import { FollowsRepository } from './follows.repository';

/**
 * The follows table's reads, for the modules that show figures about follows without depending
 * on the follows feature (profiles count followers; the following feed filters by them).
 */
@Module({
  providers: [FollowsRepository],
  exports: [FollowsRepository],
})
export class FollowsDataModule {}
