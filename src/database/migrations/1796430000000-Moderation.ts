import { MigrationInterface, QueryRunner } from 'typeorm';

/** Reports and their resolutions; hidden posts and comments. */
export class Moderation1796430000000 implements MigrationInterface {
  name = 'Moderation1796430000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "reports" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "reporter_id" uuid NOT NULL,
        "target_type" character varying(16) NOT NULL,
        "target_id" uuid NOT NULL,
        "reason" character varying(1000) NOT NULL,
        "status" character varying(16) NOT NULL DEFAULT 'open',
        "action" character varying(16),
        "resolved_by" uuid,
        "resolved_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_reports" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_reports_status" ON "reports" ("status", "created_at", "id")`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_reports_open" ON "reports"
      ("reporter_id", "target_type", "target_id") WHERE status = 'open'`);
    await queryRunner.query(`ALTER TABLE "reports" ADD CONSTRAINT "FK_9459b9bf907a3807ef7143d2ead" FOREIGN KEY ("reporter_id")
      REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "reports" ADD CONSTRAINT "FK_f7790853594bca5892d390e1daf" FOREIGN KEY ("resolved_by")
      REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "posts" ADD "hidden" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "comments" ADD "hidden" boolean NOT NULL DEFAULT false`);
    // Everything the following feed filters on, so its page is picked by an index-only scan.
    await queryRunner.query(
      `CREATE INDEX "IDX_posts_feed_cover" ON "posts" ("created_at", "id", "user_id", "hidden")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_posts_feed_cover"`);
    await queryRunner.query(`ALTER TABLE "comments" DROP COLUMN "hidden"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "hidden"`);
    await queryRunner.query(`DROP TABLE "reports"`);
  }
}
