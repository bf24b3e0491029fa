/**
 * Which process exports the database's figures to Prometheus. Orders by status, the outbox, what is
 * stuck, consumer lag and step times are the same read from any replica: exported by each, a
 * dashboard's `sum` would count them once per replica. The process that holds a MySQL named lock
 * (GET_LOCK, one per database) exports them; the others export none. The lock lives with the
 * holder's connection: when that process stops or loses its connection, another takes it at its
 * next scrape.
 */
import type { DataSource, QueryRunner } from 'typeorm';

/** How long one answer stands: a scrape reads several gauges, each asks. */
const CHECK_MS = 1000;

export class ExporterLock {
  private runner: QueryRunner | undefined;
  private held = false;
  private checkedAt = 0;
  private name: string | undefined;
  private closed = false;

  constructor(private readonly ds: DataSource) {}

  /** Whether this process exports the database's figures now (it takes the lock when it is free). */
  async holds(): Promise<boolean> {
    if (this.closed) return false;
    if (Date.now() - this.checkedAt < CHECK_MS) return this.held;
    this.checkedAt = Date.now();
    try {
      if (!this.runner) {
        this.runner = this.ds.createQueryRunner();
        await this.runner.connect();
      }
      this.name ??= `hotline_hub_metrics:${String(((await this.runner.query('SELECT DATABASE() AS db')) as [{ db: string }])[0].db)}`.slice(0, 64);
      const [mine] = (await this.runner.query('SELECT IS_USED_LOCK(?) = CONNECTION_ID() AS mine', [this.name])) as [{ mine: string | number | null }];
      if (Number(mine.mine) === 1) return (this.held = true);
      const [got] = (await this.runner.query('SELECT GET_LOCK(?, 0) AS got', [this.name])) as [{ got: string | number | null }];
      this.held = Number(got.got) === 1;
    } catch {
      // The connection went (a database restart): the lock went with it; try again at the next scrape.
      this.held = false;
      await this.release();
    }
    return this.held;
  }

  /** Gives the lock up (the process stops): another process takes it at its next scrape. */
  async close(): Promise<void> {
    this.closed = true;
    this.held = false;
    await this.release();
  }

  private async release(): Promise<void> {
    const r = this.runner;
    this.runner = undefined;
    if (r && !r.isReleased) await r.release().catch(() => undefined);
  }
}
