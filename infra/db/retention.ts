/**
 * What the hub deletes, and when (RETENTION_* settings; README "Security" says what each keeps):
 * - outbox rows sent more than `outboxDays` ago, of orders that are done (or of no order): their
 *   payloads hold names, phones and e-mail addresses; unsent and parked rows stay, whatever age;
 * - inbox and adapter-delivery records (ids of messages already taken) older than `inboxDays`:
 *   they only need to outlive the broker's redelivery (Kafka's retention);
 * - dead letters older than `deadLetterDays`, replayed or not (the refused message, as sent);
 * - the order trail (jobs' outcomes, messages read) older than `trailDays`;
 * - one-time codes (市民自助查询) a day after they expired.
 * Orders, their history and the audit log are records of the centre and are never deleted here.
 * Deletes go in batches, so that no sweep holds a long lock on a table the spine writes.
 */
import type { DataSource } from 'typeorm';
import { DONE_STATUSES } from '../../domain/order.js';

export interface RetentionPolicy {
  outboxDays: number;
  inboxDays: number;
  deadLetterDays: number;
  trailDays: number;
}

export type Swept = Record<'outbox' | 'inbox' | 'adapterDelivery' | 'deadLetter' | 'trail' | 'citizenCode', number>;

const DAY_MS = 86_400_000;

export class Retention {
  constructor(
    private readonly ds: DataSource,
    private readonly batch = 1000,
  ) {}

  /** Deletes what the policy no longer keeps, as of `now`; how many rows of each. */
  async sweep(p: RetentionPolicy, now: Date): Promise<Swept> {
    const before = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const done = DONE_STATUSES.map(() => '?').join(', ');
    return {
      outbox: await this.inBatches(
        `SELECT o.id FROM outbox o LEFT JOIN work_order w ON w.order_no = o.aggregate_key
          WHERE o.sent_at < ? AND (w.order_no IS NULL OR w.status IN (${done})) LIMIT ?`,
        [before(p.outboxDays), ...DONE_STATUSES],
        'DELETE FROM outbox WHERE id IN (?)',
      ),
      inbox: await this.untilFewer('DELETE FROM inbox WHERE processed_at < ? LIMIT ?', [before(p.inboxDays)]),
      adapterDelivery: await this.untilFewer('DELETE FROM adapter_delivery WHERE delivered_at < ? LIMIT ?', [before(p.inboxDays)]),
      deadLetter: await this.untilFewer('DELETE FROM dead_letter WHERE created_at < ? LIMIT ?', [before(p.deadLetterDays)]),
      trail: await this.untilFewer('DELETE FROM order_trail WHERE at < ? LIMIT ?', [before(p.trailDays)]),
      citizenCode: await this.untilFewer('DELETE FROM citizen_code WHERE expires_at < ? LIMIT ?', [before(1)]),
    };
  }

  /** A single-table delete, a batch at a time. */
  private async untilFewer(sql: string, params: unknown[]): Promise<number> {
    let total = 0;
    for (;;) {
      const r = (await this.ds.query(sql, [...params, this.batch])) as { affectedRows: number };
      total += r.affectedRows;
      if (r.affectedRows < this.batch) return total;
    }
  }

  /** Ids chosen by a join (MySQL's multi-table DELETE takes no LIMIT), deleted a batch at a time. */
  private async inBatches(select: string, params: unknown[], del: string): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = ((await this.ds.query(select, [...params, this.batch])) as Array<{ id: string }>).map((r) => r.id);
      if (ids.length > 0) total += ((await this.ds.query(del, [ids])) as { affectedRows: number }).affectedRows;
      if (ids.length < this.batch) return total;
    }
  }
}

/** The policy the RETENTION_* settings give. */
export const retentionPolicy = (c: { RETENTION_OUTBOX_DAYS: number; RETENTION_INBOX_DAYS: number; RETENTION_DEAD_LETTER_DAYS: number; RETENTION_TRAIL_DAYS: number }): RetentionPolicy => ({
  outboxDays: c.RETENTION_OUTBOX_DAYS,
  inboxDays: c.RETENTION_INBOX_DAYS,
  deadLetterDays: c.RETENTION_DEAD_LETTER_DAYS,
  trailDays: c.RETENTION_TRAIL_DAYS,
});

/**
 * Sweeps every `everyMs` (the first a minute after start, not during it); what it deleted is
 * logged, a sweep that fails is logged and the next one tries again. Several processes may sweep
 * at once: a row is deleted once, whoever gets it.
 */
export function startRetention(r: Retention, policy: RetentionPolicy, now: () => Date, everyMs: number, log: { info(o: object, m: string): void; warn(o: object, m: string): void }): { close: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = r
      .sweep(policy, now())
      .then((swept) => {
        if (Object.values(swept).some((n) => n > 0)) log.info({ swept }, 'retention: deleted what is no longer kept');
      })
      .catch((err: unknown) => log.warn({ err }, 'the retention sweep failed; the next one tries again'));
  };
  const first = setTimeout(sweep, Math.min(everyMs, 60_000));
  const timer = setInterval(sweep, everyMs);
  first.unref();
  timer.unref();
  return {
    close: async () => {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
