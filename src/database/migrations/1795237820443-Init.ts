import { MigrationInterface, QueryRunner } from 'typeorm';

export class Init1795237820443 implements MigrationInterface {
  name = 'Init1795237820443';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "users" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "email" character varying(320) NOT NULL,
                "username" character varying(32) NOT NULL,
                "hashed_password" character varying(255) NOT NULL,
                "bio" character varying(500),
                "avatar_url" character varying(2048),
                "is_active" boolean NOT NULL DEFAULT true,
                "is_verified" boolean NOT NULL DEFAULT false,
                "is_superuser" boolean NOT NULL DEFAULT false,
                "token_version" integer NOT NULL DEFAULT '0',
                "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_users_email" ON "users" ("email")
        `);
    // Usernames are unique regardless of case (not expressible in the entity).
    await queryRunner.query(`
            CREATE UNIQUE INDEX "UQ_users_username_lower" ON "users" (lower("username"))
        `);
    await queryRunner.query(`
            CREATE TABLE "revoked_tokens" (
                "jti" uuid NOT NULL,
                "user_id" uuid NOT NULL,
                "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_b18aa48269f87cafba8c6310624" PRIMARY KEY ("jti")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_revoked_tokens_expires_at" ON "revoked_tokens" ("expires_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "revoked_tokens"
            ADD CONSTRAINT "FK_483872b2fdc8f1ec750c9c7567c" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "revoked_tokens" DROP CONSTRAINT "FK_483872b2fdc8f1ec750c9c7567c"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_revoked_tokens_expires_at"
        `);
    await queryRunner.query(`
            DROP TABLE "revoked_tokens"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_users_username_lower"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."UQ_users_email"
        `);
    await queryRunner.query(`
            DROP TABLE "users"
        `);
  }
}
