import type { MigrationInterface, QueryRunner } from 'typeorm';

/** 值班: the duty leaders by shift; every escalation goes to the one on duty (domain/duty.ts). */
export class DutyRota1767200000000 implements MigrationInterface {
  name = 'DutyRota1767200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE duty_shift (
      id BIGINT NOT NULL AUTO_INCREMENT,
      starts_at DATETIME(3) NOT NULL,
      ends_at DATETIME(3) NOT NULL,
      leader_name VARCHAR(50) NOT NULL,
      leader_email VARCHAR(200) NOT NULL,
      leader_phone VARCHAR(30) NULL,
      created_by VARCHAR(100) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (id),
      KEY idx_duty_shift_time (starts_at, ends_at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE duty_shift');
  }
}
