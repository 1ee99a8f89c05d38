import { MigrationInterface, QueryRunner } from 'typeorm';

export class PostsAndMedia1795239799837 implements MigrationInterface {
  name = 'PostsAndMedia1795239799837';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "media_deletions" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "storage" character varying(16) NOT NULL,
                "file_id" character varying(1024) NOT NULL,
                "attempts" integer NOT NULL DEFAULT '0',
                "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                "last_error" character varying(500),
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_49bce52439386824d3d185bac2c" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_media_deletions_next_attempt_at" ON "media_deletions" ("next_attempt_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "posts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "user_id" uuid NOT NULL,
                "caption" character varying(2200) NOT NULL DEFAULT '',
                "storage" character varying(16) NOT NULL,
                "file_id" character varying(1024) NOT NULL,
                "file_path" character varying(1024) NOT NULL,
                "url" character varying(2048) NOT NULL,
                "thumbnail_url" character varying(2048),
                "file_type" character varying(8) NOT NULL,
                "mime_type" character varying(100) NOT NULL,
                "file_name" character varying(255) NOT NULL,
                "size" bigint NOT NULL,
                "width" integer,
                "height" integer,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_2829ac61eff60fcec60d7274b9e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_posts_user_feed" ON "posts" ("user_id", "created_at", "id")
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_posts_feed" ON "posts" ("created_at", "id")
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD "avatar_storage" character varying(16)
        `);
    await queryRunner.query(`
            ALTER TABLE "users"
            ADD "avatar_file_id" character varying(1024)
        `);
    await queryRunner.query(`
            ALTER TABLE "posts"
            ADD CONSTRAINT "FK_c4f9a7bd77b489e711277ee5986" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "posts" DROP CONSTRAINT "FK_c4f9a7bd77b489e711277ee5986"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "avatar_file_id"
        `);
    await queryRunner.query(`
            ALTER TABLE "users" DROP COLUMN "avatar_storage"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_posts_feed"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_posts_user_feed"
        `);
    await queryRunner.query(`
            DROP TABLE "posts"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_media_deletions_next_attempt_at"
        `);
    await queryRunner.query(`
            DROP TABLE "media_deletions"
        `);
  }
}
