import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { rawQuery } from '../database/raw-query';
import { DirectUploadClaim } from './entities/direct-upload-claim.entity';

/**
 * Claims on files uploaded straight to ImageKit: a file becomes one post, or is swept, once.
 * The claim row is what makes the two exclusive across instances.
 */
@Injectable()
export class DirectUploadClaimsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private get claims() {
    return this.dataSource.getRepository(DirectUploadClaim);
  }

  /** Claims `fileId` for `userId`; false when someone (a post, the sweep) claimed it first. */
  async claim(fileId: string, userId: string): Promise<boolean> {
    const claimed = await this.claims
      .createQueryBuilder()
      .insert()
      .values({ fileId, userId })
      .orIgnore()
      .returning('file_id')
      .execute();
    return (claimed.raw as unknown[]).length > 0;
  }

  async release(fileIds: string[]): Promise<void> {
    if (fileIds.length > 0) await this.claims.delete({ fileId: In(fileIds) });
  }

  /**
   * Claims the files (with the user each was uploaded by, or null) for the sweep; returns
   * those claimed. A file whose user no longer exists cannot be taken by anyone: it is the
   * sweep's without a claim.
   */
  async claimForSweep(
    files: Array<{ fileId: string; userId: string | null }>,
  ): Promise<Set<string>> {
    const rows = await rawQuery<{ file_id: string; claimed: boolean }>(
      this.dataSource,
      `WITH f AS (
         SELECT * FROM unnest($1::text[], $2::uuid[]) AS f(file_id, user_id)
       ),
       ins AS (
         INSERT INTO direct_upload_claims (file_id, user_id)
         SELECT f.file_id, f.user_id FROM f JOIN users u ON u.id = f.user_id
         ON CONFLICT DO NOTHING
         RETURNING file_id
       )
       SELECT f.file_id,
              f.file_id IN (SELECT file_id FROM ins)
              OR NOT EXISTS (SELECT 1 FROM users u WHERE u.id = f.user_id) AS claimed
       FROM f`,
      [files.map((f) => f.fileId), files.map((f) => f.userId)],
    );
    return new Set(rows.filter((r) => r.claimed).map((r) => r.file_id));
  }
}
