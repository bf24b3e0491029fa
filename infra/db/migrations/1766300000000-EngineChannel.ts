import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox channel that carries messages to the process engine was named after Zeebe although
 * Camunda 7 reads it too: it is "engine" now, its rows (queued and sent: the stuck detector and
 * republish read the sent ones) and their dedup keys with it.
 */
export class EngineChannel1766300000000 implements MigrationInterface {
  name = 'EngineChannel1766300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query("UPDATE outbox SET channel = 'engine', dedup_key = IF(dedup_key LIKE 'zeebe:%', CONCAT('engine:', SUBSTRING(dedup_key, 7)), dedup_key) WHERE channel = 'zeebe'");
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query("UPDATE outbox SET channel = 'zeebe', dedup_key = IF(dedup_key LIKE 'engine:%', CONCAT('zeebe:', SUBSTRING(dedup_key, 8)), dedup_key) WHERE channel = 'engine'");
  }
}
