/**
 * Persistence of work orders: every change to an order and its history entry commit in one
 * transaction, together with any outbox message the change emits. A retried step (same dedup
 * key) changes nothing the second time.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { chinaDate } from '../../domain/deadline.js';
import { Inbox, OrderHistory, Outbox, WorkOrder, type HistoryRow, type OutboxRow, type WorkOrderRow } from './entities.js';

export interface NewOrder {
  channel: string;
  type: string;
  category: string;
  district: string;
  title: string;
  description: string;
  address: string;
  urgent: boolean;
  citizen: { name: string; phone: string; confidential: boolean };
}

export interface StepEntry {
  step: string;
  actor: string;
  note: string;
  detail?: unknown;
  dedupKey?: string;
  occurredAt?: Date;
}

export interface OutboxMessage {
  channel: OutboxRow['channel'];
  destination: string;
  messageKey?: string;
  payload: unknown;
  dedupKey: string;
}

export type Patch = Partial<Pick<WorkOrderRow, 'status' | 'handlingMode' | 'unitCode' | 'dueAt' | 'processInstanceKey' | 'satisfaction'>> & {
  increment?: 'redoCount' | 'chaseCount';
};

export class IdempotencyConflict extends Error {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
}

const isDuplicate = (err: unknown): boolean => (err as { code?: string }).code === 'ER_DUP_ENTRY';

export const requestHash = (o: NewOrder): string => createHash('sha256').update(JSON.stringify(o)).digest('hex');

export class OrderStore {
  constructor(readonly ds: DataSource) {}

  /**
   * Registers a request as a work order, or returns the order an earlier request with the same
   * Idempotency-Key created. A key reused for a different request is refused.
   */
  async register(input: NewOrder, idempotencyKey: string | undefined, actor: string): Promise<{ order: WorkOrderRow; created: boolean }> {
    const hash = requestHash(input);
    const existing = async (): Promise<WorkOrderRow | null> =>
      idempotencyKey ? this.ds.getRepository(WorkOrder).findOneBy({ idempotencyKey }) : null;
    const before = await existing();
    if (before) return this.replay(before, hash);
    try {
      const order = await this.ds.transaction(async (em) => {
        const repo = em.getRepository(WorkOrder);
        const row = await repo.save({
          orderNo: null,
          idempotencyKey: idempotencyKey ?? null,
          requestHash: hash,
          channel: input.channel,
          type: input.type,
          category: input.category,
          district: input.district,
          title: input.title,
          description: input.description,
          address: input.address,
          urgent: input.urgent,
          citizenName: input.citizen.name,
          citizenPhone: input.citizen.phone,
          citizenConfidential: input.citizen.confidential,
          status: 'accepted',
          redoCount: 0,
          chaseCount: 0,
        });
        // GD + China date + the row id: unique, sortable, and readable on the phone.
        const orderNo = `GD${chinaDate(row.createdAt).replace(/-/g, '')}${String(row.id).padStart(6, '0').slice(-6)}`;
        await repo.update({ id: row.id }, { orderNo });
        await this.insertHistory(em, orderNo, { step: 'accept', actor, note: '受理', detail: { channel: input.channel } });
        return { ...row, orderNo };
      });
      return { order, created: true };
    } catch (err) {
      // Two requests with one key at once: the loser answers with the winner's order.
      const winner = isDuplicate(err) ? await existing() : null;
      if (winner) return this.replay(winner, hash);
      throw err;
    }
  }

  private replay(order: WorkOrderRow, hash: string): { order: WorkOrderRow; created: boolean } {
    if (order.requestHash !== hash) {
      throw new IdempotencyConflict(`Idempotency-Key was already used for another request (order ${order.orderNo})`);
    }
    return { order, created: false };
  }

  /**
   * Applies one step: the order's fields, its history entry and its outbox messages, in one
   * transaction. Returns 'duplicate' (and changes nothing) when the step's dedup key was seen.
   */
  async applyStep(orderNo: string, entry: StepEntry, patch: Patch = {}, outbox: OutboxMessage[] = []): Promise<'applied' | 'duplicate'> {
    try {
      await this.ds.transaction(async (em) => {
        await this.insertHistory(em, orderNo, entry);
        const { increment, ...fields } = patch;
        const qb = em.createQueryBuilder().update(WorkOrder).where('order_no = :orderNo', { orderNo });
        const set: Record<string, unknown> = { ...fields };
        if (increment) set[increment] = () => `${increment === 'redoCount' ? 'redo_count' : 'chase_count'} + 1`;
        if (Object.keys(set).length > 0) {
          const r = await qb.set(set).execute();
          if (r.affected === 0) throw new Error(`order ${orderNo} does not exist`);
        }
        for (const m of outbox) {
          await em.getRepository(Outbox).insert({
            id: randomUUID(),
            channel: m.channel,
            destination: m.destination,
            messageKey: m.messageKey ?? null,
            payload: JSON.stringify(m.payload),
            dedupKey: m.dedupKey,
            createdAt: new Date(),
            sentAt: null,
            attempts: 0,
            lastError: null,
          });
        }
      });
      return 'applied';
    } catch (err) {
      if (isDuplicate(err)) return 'duplicate';
      throw err;
    }
  }

  private async insertHistory(em: EntityManager, orderNo: string, e: StepEntry): Promise<void> {
    await em.getRepository(OrderHistory).insert({
      orderNo,
      step: e.step,
      actor: e.actor,
      note: e.note,
      detail: e.detail === undefined ? null : JSON.stringify(e.detail),
      dedupKey: e.dedupKey ?? null,
      occurredAt: e.occurredAt ?? new Date(),
    });
  }

  find(orderNo: string): Promise<WorkOrderRow | null> {
    return this.ds.getRepository(WorkOrder).findOneBy({ orderNo });
  }

  history(orderNo: string): Promise<HistoryRow[]> {
    return this.ds.getRepository(OrderHistory).find({ where: { orderNo }, order: { id: 'ASC' } });
  }

  /** Runs `fn` for a message id once; a redelivered message is skipped. */
  async once(messageId: string, source: string, fn: () => Promise<void>): Promise<'applied' | 'duplicate'> {
    if (await this.ds.getRepository(Inbox).existsBy({ messageId })) return 'duplicate';
    await fn();
    try {
      await this.ds.getRepository(Inbox).insert({ messageId, source, processedAt: new Date() });
    } catch (err) {
      if (!isDuplicate(err)) throw err;
    }
    return 'applied';
  }

  unsent(limit: number): Promise<OutboxRow[]> {
    return this.ds
      .getRepository(Outbox)
      .createQueryBuilder('o')
      .where('o.sent_at IS NULL')
      // Fresh rows first, so that one undeliverable row does not hold up all the others.
      .orderBy('o.attempts', 'ASC')
      .addOrderBy('o.created_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  async markSent(id: string): Promise<void> {
    await this.ds.getRepository(Outbox).update({ id }, { sentAt: new Date() });
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.ds
      .createQueryBuilder()
      .update(Outbox)
      .set({ attempts: () => 'attempts + 1', lastError: error.slice(0, 1000) })
      .where('id = :id', { id })
      .execute();
  }
}
