import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Videos' duration and the poster frame the local driver stores beside a video; the path of
 * a file whose delete is retried, so its CDN cache can be purged too; direct uploads taken
 * into posts (each once).
 */
export class MediaDetails1796425078759 implements MigrationInterface {
  name = 'MediaDetails1796425078759';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "posts" ADD "duration" double precision`);
    await queryRunner.query(`ALTER TABLE "posts" ADD "thumbnail_path" character varying(1024)`);
    await queryRunner.query(`ALTER TABLE "posts" ADD "thumbnail_file_id" character varying(1024)`);
    await queryRunner.query(`ALTER TABLE "media_deletions" ADD "path" character varying(1024)`);
    await queryRunner.query(`
      CREATE TABLE "direct_upload_claims" (
        "file_id" character varying(64) NOT NULL,
        "user_id" uuid NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_bdbb72f543733f37da3a698b309" PRIMARY KEY ("file_id"),
        CONSTRAINT "FK_67b9621a3e6075d21999788587a" FOREIGN KEY ("user_id")
          REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "direct_upload_claims"`);
    await queryRunner.query(`ALTER TABLE "media_deletions" DROP COLUMN "path"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "thumbnail_file_id"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "thumbnail_path"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "duration"`);
  }
}
