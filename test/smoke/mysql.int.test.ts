import 'reflect-metadata';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config.js';

const config = loadConfig();

class CreateSmokeProbe1700000000000 implements MigrationInterface {
  name = 'CreateSmokeProbe1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      'CREATE TABLE smoke_probe (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, note VARCHAR(64) NOT NULL) ' +
        'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE smoke_probe');
  }
}

const ds = new DataSource({
  type: 'mysql',
  url: config.DATABASE_URL,
  charset: 'utf8mb4',
  migrations: [CreateSmokeProbe1700000000000],
  migrationsTableName: 'smoke_migrations',
  logging: false,
});

beforeAll(async () => {
  await ds.initialize();
});

afterAll(async () => {
  // Undo the migration so that the next run proves it again from scratch.
  if (ds.isInitialized) {
    await ds.undoLastMigration().catch(() => undefined);
    await ds.destroy();
  }
});

describe('MySQL smoke (typeorm + mysql2 on the stack database)', () => {
  it('runs a migration', async () => {
    await ds.query('DROP TABLE IF EXISTS smoke_probe');
    await ds.query('DELETE FROM smoke_migrations').catch(() => undefined);
    const ran = await ds.runMigrations({ transaction: 'each' });
    expect(ran.map((m) => m.name)).toEqual(['CreateSmokeProbe1700000000000']);
    const [row] = await ds.query("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'smoke_probe'");
    expect(Number(row.n)).toBe(1);
  });

  it('keeps what a committed transaction wrote and nothing of a rolled-back one', async () => {
    await ds.transaction(async (em) => {
      await em.query('INSERT INTO smoke_probe (note) VALUES (?)', ['已提交']);
    });
    await expect(
      ds.transaction(async (em) => {
        await em.query('INSERT INTO smoke_probe (note) VALUES (?)', ['应回滚']);
        throw new Error('abort on purpose');
      }),
    ).rejects.toThrow('abort on purpose');

    const rows: { note: string }[] = await ds.query('SELECT note FROM smoke_probe ORDER BY id');
    expect(rows.map((r) => r.note)).toEqual(['已提交']);
  });
});
