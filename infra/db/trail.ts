/**
 * The order trail (order_trail): what the workers and the inbound reader did with each order,
 * recorded as they do it. Entries are buffered and written in one INSERT every quarter second, so
 * that the spine pays one round trip for many jobs; the trail is for operators, and a crash loses
 * at most the last quarter second of it, never an order's state. While the database is down the
 * entries wait (up to a bound, then the oldest go, with a warning).
 */
import type { DataSource } from 'typeorm';
import { describeError, isRetriable } from '../errors.js';
import type { Logger } from '../log.js';
import type { TrailEntry, TrailKind } from '../../usecases/ports.js';

export type { TrailEntry, TrailKind };

export interface TrailRecorder {
  record(e: TrailEntry): void;
}

/** For callers that keep no trail. */
export const noTrail: TrailRecorder = { record: () => undefined };

const MAX_WAITING = 20_000;

export class Trail implements TrailRecorder {
  private waiting: Array<TrailEntry & { at: Date }> = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private dropped = 0;
  private closed = false;

  constructor(
    private readonly ds: DataSource,
    private readonly log: Logger,
    private readonly opts: { flushMs: number; batch: number } = { flushMs: 250, batch: 500 },
  ) {}

  record(e: TrailEntry): void {
    this.waiting.push({ ...e, at: e.at ?? new Date() });
    if (this.waiting.length > MAX_WAITING) {
      this.dropped += this.waiting.length - MAX_WAITING;
      this.waiting.splice(0, this.waiting.length - MAX_WAITING);
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.opts.flushMs);
  }

  /** Writes what waits; resolves once written (or once the attempt failed: the entries wait on). */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.waiting.length === 0) return;
    const batch = this.waiting.splice(0, this.opts.batch);
    this.flushing = this.write(batch)
      .catch((err) => {
        if (!isRetriable(err)) {
          // Not the database away but entries it refuses (a bug): dropped, said loudly, never blocking the rest.
          this.log.error({ err: describeError(err), entries: batch.length }, 'order trail entries refused by the database and dropped');
          return;
        }
        this.waiting.unshift(...batch);
        this.log.warn({ err: describeError(err), waiting: this.waiting.length }, 'the order trail could not be written; it waits and is tried again');
        if (!this.closed) {
          this.timer ??= setTimeout(() => {
            this.timer = undefined;
            void this.flush();
          }, 2000);
        }
      })
      .finally(() => {
        this.flushing = undefined;
      });
    await this.flushing;
    if (this.dropped > 0) {
      this.log.warn({ dropped: this.dropped }, 'order trail entries dropped: the database was unreachable for too long');
      this.dropped = 0;
    }
    if (this.waiting.length >= this.opts.batch && !this.closed) await this.flush();
  }

  private async write(batch: Array<TrailEntry & { at: Date }>): Promise<void> {
    await this.ds.query(
      `INSERT INTO order_trail (order_no, kind, component, element_instance_key, detail, at) VALUES ${batch.map(() => '(?, ?, ?, ?, ?, ?)').join(', ')}`,
      batch.flatMap((e) => [e.orderNo, e.kind, e.component.slice(0, 64), e.elementInstanceKey?.slice(0, 100) ?? null, e.detail ? JSON.stringify(e.detail).slice(0, 60_000) : null, e.at]),
    );
  }

  /** Writes what waits and stops the timer. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
