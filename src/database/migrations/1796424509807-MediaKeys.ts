import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The storage path of an ImageKit file from a link built to it: the query (a transformation)
 * goes, then the origin, and on ik.imagekit.io the account id segment that starts every
 * endpoint there (`https://ik.imagekit.io/<id>/media-chat/posts/a.jpg` → `/media-chat/posts/a.jpg`).
 * Custom ImageKit domains serve the paths at their root.
 */
const IMAGEKIT_PATH = (column: string) => `regexp_replace(
  regexp_replace(split_part(${column}, '?', 1), '^https?://ik\\.imagekit\\.io/[^/]+', ''),
  '^https?://[^/]+', '')`;

/**
 * Rows keep where a file is stored, not links to it: links are built for each response from
 * PUBLIC_URL or the request's origin, so moving the app to another host or port (or the
 * ImageKit endpoint to another domain) needs no data change.
 *
 * - posts: `file_path` was already kept; `url` and `thumbnail_url` go.
 * - users: `avatar_path` replaces `avatar_url` (the local driver's path is its file id).
 * - chat_uploads: `path` replaces `url`.
 */
export class MediaKeys1796424509807 implements MigrationInterface {
  name = 'MediaKeys1796424509807';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" ADD "avatar_path" character varying(1024)`);
    await queryRunner.query(`
      UPDATE "users" SET "avatar_path" = CASE
        WHEN "avatar_storage" = 'imagekit' THEN ${IMAGEKIT_PATH('"avatar_url"')}
        ELSE "avatar_file_id" END
      WHERE "avatar_url" IS NOT NULL AND "avatar_file_id" IS NOT NULL`);
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "avatar_url"`);

    await queryRunner.query(`ALTER TABLE "chat_uploads" ADD "path" character varying(1024)`);
    await queryRunner.query(`
      UPDATE "chat_uploads" SET "path" = CASE
        WHEN "storage" = 'imagekit' THEN ${IMAGEKIT_PATH('"url"')}
        ELSE "file_id" END`);
    await queryRunner.query(`ALTER TABLE "chat_uploads" ALTER COLUMN "path" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "chat_uploads" DROP COLUMN "url"`);

    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "url"`);
    await queryRunner.query(`ALTER TABLE "posts" DROP COLUMN "thumbnail_url"`);
  }

  /**
   * Back to stored links. Local files get root-relative links (`/media/<path>`): the origin
   * they were once served from is not known here; ImageKit rows get their path.
   */
  public async down(queryRunner: QueryRunner): Promise<void> {
    const link = (storage: string, path: string) =>
      `CASE WHEN ${storage} = 'imagekit' THEN ${path} ELSE '/media/' || ${path} END`;
    await queryRunner.query(`ALTER TABLE "posts" ADD "thumbnail_url" character varying(2048)`);
    await queryRunner.query(`ALTER TABLE "posts" ADD "url" character varying(2048)`);
    await queryRunner.query(`UPDATE "posts" SET "url" = ${link('"storage"', '"file_path"')}`);
    await queryRunner.query(`ALTER TABLE "posts" ALTER COLUMN "url" SET NOT NULL`);

    await queryRunner.query(`ALTER TABLE "chat_uploads" ADD "url" character varying(2048)`);
    await queryRunner.query(`UPDATE "chat_uploads" SET "url" = ${link('"storage"', '"path"')}`);
    await queryRunner.query(`ALTER TABLE "chat_uploads" ALTER COLUMN "url" SET NOT NULL`);
    await queryRunner.query(`ALTER TABLE "chat_uploads" DROP COLUMN "path"`);

    await queryRunner.query(`ALTER TABLE "users" ADD "avatar_url" character varying(2048)`);
    await queryRunner.query(
      `UPDATE "users" SET "avatar_url" = ${link('"avatar_storage"', '"avatar_path"')}
       WHERE "avatar_path" IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "avatar_path"`);
  }
}
