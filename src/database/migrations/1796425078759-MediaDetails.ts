import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Videos' duration and the poster frame the local driver stores beside a video; the path of
 * a file whose delete is retried, so its CDN cache can be purged too.
 */
export class MediaDetails1796425078759 implements MigrationInterface {
  name = 'MediaDetails1796425078759';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "posts" ADD "duration" double precision`);
    await queryRunner.query(`ALTER TABLE "posts" ADD "thumbnail_path" character varying(1024)`);
    await queryRunner.query(`ALTER TABLE "posts" ADD "thumbnail_file_id" character varying(1024)`);
    await queryRunner.query(`ALTER TABLE "media_deletions" ADD "path" character varying(1024)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "media_deletions" DROP COLUMN "path"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "thumbnail_file_id"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "thumbnail_path"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "duration"`);
  }
}
