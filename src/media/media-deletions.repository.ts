import { Injectable } from '@nestjs/common';
import { DataSource, LessThanOrEqual } from 'typeorm';
import { MediaDeletion } from './entities/media-deletion.entity';

/** Deletes of stored files that failed and wait for their next attempt. */
@Injectable()
export class MediaDeletionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get deletions() {
    return this.dataSource.getRepository(MediaDeletion);
  }

  insert(
    values: Pick<
      MediaDeletion,
      'storage' | 'fileId' | 'path' | 'attempts' | 'nextAttemptAt' | 'lastError'
    >,
  ): Promise<MediaDeletion> {
    return this.deletions.save(this.deletions.create(values));
  }

  /** The deletes due at `now`, the longest waiting first. */
  due(now: Date, limit: number): Promise<MediaDeletion[]> {
    return this.deletions.find({
      where: { nextAttemptAt: LessThanOrEqual(now) },
      order: { nextAttemptAt: 'ASC' },
      take: limit,
    });
  }

  /** Records another failed attempt (attempts, last error, next attempt). */
  save(deletion: MediaDeletion): Promise<MediaDeletion> {
    return this.deletions.save(deletion);
  }

  async delete(id: string): Promise<void> {
    await this.deletions.delete({ id });
  }
}
