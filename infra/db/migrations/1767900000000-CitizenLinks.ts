import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The citizen's SMS: the closing notice's evaluation link (its token's SHA-256 on the order) and
 * the one-time codes a phone asks for to see its own orders (each code's SHA-256, its expiry and
 * the wrong tries against it).
 */
export class CitizenLinks1767900000000 implements MigrationInterface {
  name = 'CitizenLinks1767900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order ADD COLUMN citizen_rating_token CHAR(64) NULL AFTER citizen_comment, ADD KEY idx_work_order_rating_token (citizen_rating_token)');
    await q.query(`CREATE TABLE citizen_code (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      phone VARCHAR(20) NOT NULL,
      code_hash CHAR(64) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      expires_at DATETIME(3) NOT NULL,
      tries INT NOT NULL DEFAULT 0,
      used_at DATETIME(3) NULL,
      KEY idx_citizen_code_phone (phone, created_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE citizen_code');
    await q.query('ALTER TABLE work_order DROP KEY idx_work_order_rating_token, DROP COLUMN citizen_rating_token');
  }
}
