import { MigrationInterface, QueryRunner } from 'typeorm';

/** Notifications: follows, likes, comments, replies and mentions, per recipient. */
export class Notifications1796428800000 implements MigrationInterface {
  name = 'Notifications1796428800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "notifications" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "user_id" uuid NOT NULL,
        "type" character varying(16) NOT NULL,
        "actor_id" uuid NOT NULL,
        "post_id" uuid,
        "comment_id" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "read_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_notifications" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_user" ON "notifications" ("user_id", "created_at", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_notifications_once" ON "notifications" ("user_id", "actor_id", "type")`,
    );
    for (const [name, column, table] of [
      ['FK_9a8a82462cab47c73d25f49261f', 'user_id', 'users'],
      ['FK_20f8b51fd9655c0b69feed5efc6', 'actor_id', 'users'],
      ['FK_ec240232d5de44495354f66e053', 'post_id', 'posts'],
      ['FK_e20313cbf1dacbb2abc5bd66d26', 'comment_id', 'comments'],
    ]) {
      await queryRunner.query(`ALTER TABLE "notifications" ADD CONSTRAINT "${name}" FOREIGN KEY ("${column}")
        REFERENCES "${table}"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "notifications"`);
  }
}
