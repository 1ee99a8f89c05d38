import { MigrationInterface, QueryRunner } from 'typeorm';

/** Blocks between users. */
export class Blocks1796428200000 implements MigrationInterface {
  name = 'Blocks1796428200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "blocks" (
        "blocker_id" uuid NOT NULL,
        "blocked_id" uuid NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "PK_blocks" PRIMARY KEY ("blocker_id", "blocked_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "IDX_blocks_blocked" ON "blocks" ("blocked_id", "blocker_id")`,
    );
    await queryRunner.query(`ALTER TABLE "blocks" ADD CONSTRAINT "FK_74f530c6fbffc357047b263818d" FOREIGN KEY ("blocker_id")
      REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "blocks" ADD CONSTRAINT "FK_8aa6c887bed61ad10829450f2f0" FOREIGN KEY ("blocked_id")
      REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "blocks"`);
  }
}
