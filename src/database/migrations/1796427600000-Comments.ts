import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Comments with one level of replies. posts.comment_count and comments.reply_count are kept
 * by a trigger in the commenting transaction (exact under concurrency; cascaded deletes of a
 * post's or a comment's rows count down too).
 */
export class Comments1796427600000 implements MigrationInterface {
  name = 'Comments1796427600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "comments" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "post_id" uuid NOT NULL,
        "author_id" uuid NOT NULL,
        "parent_id" uuid,
        "content" character varying(2200) NOT NULL,
        "reply_count" integer NOT NULL DEFAULT 0,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "edited_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "PK_comments" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_comments_post" ON "comments" ("post_id", "created_at", "id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_comments_parent" ON "comments" ("parent_id", "created_at", "id")`,
    );
    await queryRunner.query(`ALTER TABLE "comments" ADD CONSTRAINT "FK_259bf9825d9d198608d1b46b0b5" FOREIGN KEY ("post_id")
      REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "comments" ADD CONSTRAINT "FK_e6d38899c31997c45d128a8973b" FOREIGN KEY ("author_id")
      REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "comments" ADD CONSTRAINT "FK_d6f93329801a93536da4241e386" FOREIGN KEY ("parent_id")
      REFERENCES "comments"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "posts" ADD "comment_count" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      CREATE FUNCTION comments_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE posts SET comment_count = comment_count + 1 WHERE id = NEW.post_id;
          IF NEW.parent_id IS NOT NULL THEN
            UPDATE comments SET reply_count = reply_count + 1 WHERE id = NEW.parent_id;
          END IF;
        ELSE
          UPDATE posts SET comment_count = comment_count - 1 WHERE id = OLD.post_id;
          IF OLD.parent_id IS NOT NULL THEN
            UPDATE comments SET reply_count = reply_count - 1 WHERE id = OLD.parent_id;
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "TR_comments_count" AFTER INSERT OR DELETE ON "comments"
      FOR EACH ROW EXECUTE FUNCTION comments_count()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "comments"`);
    await queryRunner.query(`DROP FUNCTION comments_count()`);
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "comment_count"`);
  }
}
