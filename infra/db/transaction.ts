/**
 * The order store's transactions, and the outbox rows they write: shared by the stores of each
 * concern (orders.ts, transfers.ts), so that a change and the messages it emits commit together.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { OutboxChannel, OutboxMessage } from '../../domain/outgoing.js';
import { isDeadlock } from '../errors.js';
import { traceparentOf } from '../tracing.js';
import { Outbox } from './entities.js';

export class Transactions {
  /**
   * @param onOutbox called after a transaction that wrote outbox rows has committed, with their
   *   channels: the relay in this process wakes at once instead of waiting for its next poll.
   */
  constructor(
    private readonly ds: DataSource,
    private readonly onOutbox: (channels: ReadonlySet<OutboxChannel>) => void = () => undefined,
  ) {}

  /**
   * One transaction, READ COMMITTED: the hub relies on row locks and unique keys, never on gap
   * locks, which would make inserts of new orders and outbox claims deadlock each other. A
   * deadlock that happens anyway is retried here, twice, before it reaches the caller.
   */
  async run<T>(fn: (em: EntityManager, emitted: Set<OutboxChannel>) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const emitted = new Set<OutboxChannel>();
      try {
        const out = await this.ds.transaction('READ COMMITTED', async (em) => fn(em, emitted));
        if (emitted.size > 0) this.onOutbox(emitted);
        return out;
      } catch (err) {
        if (attempt >= 3 || !isDeadlock(err)) throw err;
      }
    }
  }
}

/** Writes a change's messages to the outbox, in its transaction (`aggregateKey`: the order, or the incident). */
export async function insertOutbox(em: EntityManager, aggregateKey: string, outbox: OutboxMessage[], now: Date): Promise<void> {
  if (outbox.length === 0) return;
  await em.getRepository(Outbox).insert(
    outbox.map((m) => ({
      id: randomUUID(),
      channel: m.channel,
      destination: m.destination,
      messageKey: m.messageKey ?? null,
      aggregateKey,
      payload: JSON.stringify(m.payload),
      dedupKey: m.dedupKey,
      createdAt: now,
      availableAt: now,
      claimedBy: null,
      leaseUntil: null,
      sentAt: null,
      parkedAt: null,
      attempts: 0,
      lastError: null,
      traceParent: traceparentOf() ?? null,
    })),
  );
}
