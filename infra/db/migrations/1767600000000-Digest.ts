import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 群众来电摘报: each morning's digest of the day before (one row a day, the first process to make it
 * wins), and each day's term counts, kept so that a digest compares a day with the four weeks before
 * without segmenting four weeks of requests again.
 */
export class Digest1767600000000 implements MigrationInterface {
  name = 'Digest1767600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE digest (
      day DATE NOT NULL,
      content MEDIUMTEXT NOT NULL,
      created_at DATETIME(3) NOT NULL,
      PRIMARY KEY (day)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE digest_day_term (
      day DATE NOT NULL,
      term VARCHAR(32) NOT NULL,
      orders INT NOT NULL,
      PRIMARY KEY (day, term)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await q.query(`CREATE TABLE digest_day_done (
      day DATE NOT NULL,
      PRIMARY KEY (day)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE digest_day_done');
    await q.query('DROP TABLE digest_day_term');
    await q.query('DROP TABLE digest');
  }
}
