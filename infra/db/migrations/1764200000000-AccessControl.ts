import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who may do what: API keys (only a hash of the secret is kept), the append-only audit trail
 * (triggers refuse UPDATE and DELETE, so not even a bug in the hub can rewrite it), a small
 * table of once-only facts (were demo keys made), and on the order the unit-facing summary of a
 * confidential complaint and the unit it complains about (回避).
 */
export class AccessControl1764200000000 implements MigrationInterface {
  name = 'AccessControl1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE api_key (
      id CHAR(16) NOT NULL PRIMARY KEY,
      secret_hash CHAR(64) NOT NULL,
      name VARCHAR(100) NOT NULL,
      role VARCHAR(24) NOT NULL,
      unit_code VARCHAR(64) NULL,
      adapter VARCHAR(64) NULL,
      created_by VARCHAR(100) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      expires_at DATETIME(3) NULL,
      revoked_at DATETIME(3) NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    await q.query(`CREATE TABLE audit_log (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      at DATETIME(3) NOT NULL,
      actor_key CHAR(16) NULL,
      actor VARCHAR(100) NOT NULL,
      role VARCHAR(24) NULL,
      unit_code VARCHAR(64) NULL,
      action VARCHAR(120) NOT NULL,
      target VARCHAR(64) NULL,
      outcome VARCHAR(32) NOT NULL,
      source VARCHAR(100) NOT NULL,
      request_id VARCHAR(64) NULL,
      KEY idx_audit_target (target, id),
      KEY idx_audit_at (at)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    await q.query("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'");
    await q.query("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'audit_log is append-only'");
    await q.query(`CREATE TABLE hub_meta (
      name VARCHAR(64) NOT NULL PRIMARY KEY,
      value VARCHAR(200) NOT NULL,
      set_at DATETIME(3) NOT NULL
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    await q.query('ALTER TABLE work_order ADD COLUMN unit_summary TEXT NULL, ADD COLUMN complained_unit VARCHAR(64) NULL');
    await q.query('CREATE INDEX idx_order_unit ON work_order (unit_code, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX idx_order_unit ON work_order');
    await q.query('ALTER TABLE work_order DROP COLUMN complained_unit, DROP COLUMN unit_summary');
    await q.query('DROP TABLE hub_meta');
    await q.query('DROP TRIGGER audit_log_no_delete');
    await q.query('DROP TRIGGER audit_log_no_update');
    await q.query('DROP TABLE audit_log');
    await q.query('DROP TABLE api_key');
  }
}
