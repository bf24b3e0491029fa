import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The models the hub runs, each version kept: its XML, where it came from (the repository's
 * bpmn/ at a start, a process owner's deploy, a rollback), who deployed it and when, and the
 * versions the engine gave it. The newest row of a file is what runs; a start deploys it, unless a
 * developer changed the repository's file since (repo_sha256), which then wins and is recorded.
 */
export class ModelVersions1766000000000 implements MigrationInterface {
  name = 'ModelVersions1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE model_version (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(100) NOT NULL,
      sha256 CHAR(64) NOT NULL,
      content MEDIUMTEXT NOT NULL,
      source VARCHAR(16) NOT NULL,
      repo_sha256 CHAR(64) NOT NULL,
      engine VARCHAR(16) NOT NULL,
      versions TEXT NULL,
      deployed_by VARCHAR(100) NOT NULL,
      deployed_at DATETIME(3) NOT NULL,
      note VARCHAR(500) NULL,
      KEY idx_model_version_name (name, id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE model_version');
  }
}
