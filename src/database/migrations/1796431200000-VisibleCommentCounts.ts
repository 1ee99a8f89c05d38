import { MigrationInterface, QueryRunner } from 'typeorm';

const COUNT_ALL = `
  CREATE OR REPLACE FUNCTION comments_count() RETURNS trigger LANGUAGE plpgsql AS $$
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
  END $$`;

/**
 * posts.comment_count and comments.reply_count count what readers can see: a comment hidden
 * by moderation stops counting, and counts again when it is shown. The trigger now also runs
 * on changes of `hidden`, still in the same transaction; the counts are recomputed once.
 */
export class VisibleCommentCounts1796431200000 implements MigrationInterface {
  name = 'VisibleCommentCounts1796431200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION comments_count() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        delta integer;
        c comments;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          c := NEW;
          delta := CASE WHEN NEW.hidden THEN 0 ELSE 1 END;
        ELSIF TG_OP = 'DELETE' THEN
          c := OLD;
          delta := CASE WHEN OLD.hidden THEN 0 ELSE -1 END;
        ELSE
          c := NEW;
          delta := CASE WHEN NEW.hidden = OLD.hidden THEN 0 WHEN NEW.hidden THEN -1 ELSE 1 END;
        END IF;
        IF delta <> 0 THEN
          UPDATE posts SET comment_count = comment_count + delta WHERE id = c.post_id;
          IF c.parent_id IS NOT NULL THEN
            UPDATE comments SET reply_count = reply_count + delta WHERE id = c.parent_id;
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`DROP TRIGGER "TR_comments_count" ON "comments"`);
    await queryRunner.query(`
      CREATE TRIGGER "TR_comments_count" AFTER INSERT OR DELETE OR UPDATE OF "hidden" ON "comments"
      FOR EACH ROW EXECUTE FUNCTION comments_count()`);
    await this.recount(queryRunner, 'AND NOT c.hidden');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(COUNT_ALL);
    await queryRunner.query(`DROP TRIGGER "TR_comments_count" ON "comments"`);
    await queryRunner.query(`
      CREATE TRIGGER "TR_comments_count" AFTER INSERT OR DELETE ON "comments"
      FOR EACH ROW EXECUTE FUNCTION comments_count()`);
    await this.recount(queryRunner, '');
  }

  private async recount(queryRunner: QueryRunner, visible: string): Promise<void> {
    await queryRunner.query(`
      UPDATE posts p SET comment_count = n.count
      FROM (
        SELECT p2.id, (SELECT count(*)::int FROM comments c WHERE c.post_id = p2.id ${visible}) AS count
        FROM posts p2
      ) n
      WHERE n.id = p.id AND p.comment_count <> n.count`);
    await queryRunner.query(`
      UPDATE comments p SET reply_count = n.count
      FROM (
        SELECT p2.id, (SELECT count(*)::int FROM comments c WHERE c.parent_id = p2.id ${visible}) AS count
        FROM comments p2
      ) n
      WHERE n.id = p.id AND p.reply_count <> n.count`);
  }
}
