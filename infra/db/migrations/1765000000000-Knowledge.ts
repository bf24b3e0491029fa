import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 知识库: the entries call-takers answer from, searchable in Chinese through a full-text index on
 * their bigram tokens (domain/knowledge.ts); and the entry an order was answered from.
 */
export class Knowledge1765000000000 implements MigrationInterface {
  name = 'Knowledge1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE knowledge_entry (
      id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      title VARCHAR(200) NOT NULL,
      body TEXT NOT NULL,
      category VARCHAR(64) NULL,
      source VARCHAR(300) NULL,
      search_text MEDIUMTEXT NOT NULL,
      created_by VARCHAR(100) NOT NULL,
      created_at DATETIME(3) NOT NULL,
      retired_at DATETIME(3) NULL,
      FULLTEXT KEY ft_knowledge (search_text)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    await q.query('ALTER TABLE work_order ADD COLUMN knowledge_entry_id BIGINT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE work_order DROP COLUMN knowledge_entry_id');
    await q.query('DROP TABLE knowledge_entry');
  }
}
