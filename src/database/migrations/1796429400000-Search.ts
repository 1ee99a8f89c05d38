import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hashtags and search. post_tags is kept by a trigger on posts from the caption (#tag, lower
 * case, letters, digits and _); captions get a full-text index. Usernames and bios get
 * trigram indexes when the server has pg_trgm (the embedded database may not: search then
 * ranks without similarity).
 */
export class Search1796429400000 implements MigrationInterface {
  name = 'Search1796429400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "post_tags" (
        "post_id" uuid NOT NULL,
        "tag" character varying(100) NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "PK_post_tags" PRIMARY KEY ("post_id", "tag")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_post_tags_feed" ON "post_tags" ("tag", "created_at", "post_id")`,
    );
    await queryRunner.query(`ALTER TABLE "post_tags" ADD CONSTRAINT "FK_5df4e8dc2cb3e668b962362265d" FOREIGN KEY ("post_id")
      REFERENCES "posts"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`
      CREATE FUNCTION post_tags_sync() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.caption IS NOT DISTINCT FROM OLD.caption THEN
          RETURN NULL;
        END IF;
        DELETE FROM post_tags WHERE post_id = NEW.id;
        INSERT INTO post_tags (post_id, tag, created_at)
        SELECT DISTINCT NEW.id, lower(m[1]), NEW.created_at
        FROM regexp_matches(NEW.caption, '#([A-Za-z0-9_]{1,100})', 'g') AS m;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER "TR_post_tags_sync" AFTER INSERT OR UPDATE OF caption ON "posts"
      FOR EACH ROW EXECUTE FUNCTION post_tags_sync()`);
    // Existing posts' tags.
    await queryRunner.query(`
      INSERT INTO post_tags (post_id, tag, created_at)
      SELECT DISTINCT p.id, lower(m[1]), p.created_at
      FROM posts p, regexp_matches(p.caption, '#([A-Za-z0-9_]{1,100})', 'g') AS m`);
    await queryRunner.query(
      `CREATE INDEX "IDX_posts_caption_fts" ON "posts" USING gin (to_tsvector('simple', "caption"))`,
    );
    // pg_trgm when the server has it; without it search works, without similarity ranking.
    await queryRunner.query(`
      DO $$ BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
        CREATE INDEX IF NOT EXISTS "IDX_users_username_trgm" ON users USING gin (lower(username) gin_trgm_ops);
      EXCEPTION WHEN OTHERS THEN
        RAISE NOTICE 'pg_trgm is not available: user search ranks without similarity';
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "IDX_users_username_trgm"`);
    await queryRunner.query(`DROP INDEX "IDX_posts_caption_fts"`);
    await queryRunner.query(`DROP TRIGGER "TR_post_tags_sync" ON "posts"`);
    await queryRunner.query(`DROP FUNCTION post_tags_sync()`);
    await queryRunner.query(`DROP TABLE "post_tags"`);
  }
}
