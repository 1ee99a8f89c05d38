import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each refresh token remembers the access token issued with it, so that ending a session
 * (logout, or a stolen refresh token used twice) ends its live access tokens at once.
 */
export class SessionAccessTokens1796432400000 implements MigrationInterface {
  name = 'SessionAccessTokens1796432400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_tokens" ADD "access_jti" uuid`);
    await queryRunner.query(
      `ALTER TABLE "refresh_tokens" ADD "access_expires_at" TIMESTAMP WITH TIME ZONE`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "access_expires_at"`);
    await queryRunner.query(`ALTER TABLE "refresh_tokens" DROP COLUMN "access_jti"`);
  }
}
