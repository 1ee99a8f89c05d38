import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follows and likes. posts.like_count is kept by a trigger on post_likes, in the same
 * transaction as the like itself: the row lock on the post serialises concurrent likes, so
 * the count is exact whatever the concurrency, and no caller can forget to update it.
 */
export class Social1796427000000 implements MigrationInterface {
  name = 'Social1796427000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "follows" (
        "follower_id" uuid NOT NULL,
        "followee_id" uuid NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_follows" PRIMARY KEY ("follower_id", "followee_id"),
        CONSTRAINT "FK_54b5dc2739f2dea57900933db66" FOREIGN KEY ("follower_id")
          REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "FK_1984b177379388946c21afcdaa9" FOREIGN KEY ("followee_id")
          REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_follows_followee" ON "follows" ("followee_id", "created_at", "follower_id")`,
    );
    await queryRunner.query(`
      CREATE TABLE "post_likes" (
        "post_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_post_likes" PRIMARY KEY ("post_id", "user_id"),
        CONSTRAINT "FK_b40d37469c501092203d285af80" FOREIGN KEY ("post_id")
          REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION,
        CONSTRAINT "FK_9b9a7fc5eeff133cf71b8e06a7b" FOREIGN KEY ("user_id")
          REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_post_likes_post" ON "post_likes" ("post_id", "created_at", "user_id")`,
    );
    await queryRunner.query(`ALTER TABLE "posts" ADD "like_count" integer NOT NULL DEFAULT 0`);
    await queryRunner.query(`
      CREATE FUNCTION post_likes_count() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          UPDATE posts SET like_count = like_count + 1 WHERE id = NEW.post_id;
        ELSE
          UPDATE posts SET like_count = like_count - 1 WHERE id = OLD.post_id;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "TR_post_likes_count" AFTER INSERT OR DELETE ON "post_likes"
      FOR EACH ROW EXECUTE FUNCTION post_likes_count()`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "post_likes"`);
    await queryRunner.query(`DROP FUNCTION post_likes_count()`);
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "like_count"`);
    await queryRunner.query(`DROP TABLE "follows"`);
  }
}
