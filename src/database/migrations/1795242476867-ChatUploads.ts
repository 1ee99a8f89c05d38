import { MigrationInterface, QueryRunner } from 'typeorm';

export class ChatUploads1795242476867 implements MigrationInterface {
  name = 'ChatUploads1795242476867';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "chat_uploads" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "owner_id" uuid NOT NULL,
                "storage" character varying(16) NOT NULL,
                "file_id" character varying(1024) NOT NULL,
                "url" character varying(2048) NOT NULL,
                "file_name" character varying(255) NOT NULL,
                "mime_type" character varying(150) NOT NULL,
                "category" character varying(16) NOT NULL,
                "size" bigint NOT NULL,
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_b05de1f62f7e6ba2ab5592b4fd4" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_chat_uploads_owner" ON "chat_uploads" ("owner_id")
        `);
    await queryRunner.query(`
            ALTER TABLE "messages"
            ADD "file_id" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "chat_uploads"
            ADD CONSTRAINT "FK_261b11b85f3bcc507f527ad46d3" FOREIGN KEY ("owner_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "messages"
            ADD CONSTRAINT "FK_fcce42c9a20b120df9a5b672569" FOREIGN KEY ("file_id") REFERENCES "chat_uploads"("id") ON DELETE
            SET NULL ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "messages" DROP CONSTRAINT "FK_fcce42c9a20b120df9a5b672569"
        `);
    await queryRunner.query(`
            ALTER TABLE "chat_uploads" DROP CONSTRAINT "FK_261b11b85f3bcc507f527ad46d3"
        `);
    await queryRunner.query(`
            ALTER TABLE "messages" DROP COLUMN "file_id"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_chat_uploads_owner"
        `);
    await queryRunner.query(`
            DROP TABLE "chat_uploads"
        `);
  }
}
