-- The hub's three database users (docs/access.md "Database users"). Run as a MySQL/MariaDB
-- administrator after replacing the database name (hotline_hub), the user names, the host ('%')
-- and the passwords. test/infra/db/database-users.int.test.ts runs this very file.

-- 1. Migrations: one process at deploy time, DATABASE_MIGRATIONS=run, DATABASE_URL as this user.
CREATE USER 'hub_migrate'@'%' IDENTIFIED BY 'change-me-migrate';
GRANT ALL PRIVILEGES ON `hotline_hub`.* TO 'hub_migrate'@'%';

-- 2. The hub at work: every process with DATABASE_MIGRATIONS=check, DATABASE_URL as this user.
-- Rows only: it cannot alter a table, nor drop the triggers that keep audit_log append-only.
CREATE USER 'hub_app'@'%' IDENTIFIED BY 'change-me-app';
GRANT SELECT, INSERT, UPDATE, DELETE ON `hotline_hub`.* TO 'hub_app'@'%';

-- 3. The audit trail: AUDIT_DATABASE_URL as this user. It adds and reads audit rows, nothing else.
CREATE USER 'hub_audit'@'%' IDENTIFIED BY 'change-me-audit';
GRANT INSERT, SELECT ON `hotline_hub`.`audit_log` TO 'hub_audit'@'%';
