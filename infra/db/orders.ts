/**
 * Persistence of work orders: every change to an order, its history entry, the outbox messages it
 * emits and the inbox record of the message that caused it commit in one transaction. A retried
 * step (same dedup key) changes nothing the second time. Status changes are conditional updates
 * checked against domain/order.ts's transition table. The store's other concerns have files of
 * their own (tasks.ts, transfers.ts, external-refs.ts; transaction.ts holds what they share);
 * SqlOrderStore hands their calls on, so that callers hold one store.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { DONE_STATUSES, formatOrderNo, TRANSITIONS } from '../../domain/order.js';
import { STEP_NOTES } from '../../domain/text.js';
import { isDuplicateKey } from '../errors.js';
import type { OutboxChannel, OutboxMessage } from '../../domain/outgoing.js';
import {
  ExternalRefTaken,
  IdempotencyConflict,
  InstanceConflict,
  OrderNotFound,
  RepeatTargetGone,
  TransitionRefused,
  type CommitOutcome,
  type InboxEntry,
  type NewOrder,
  type NewTask,
  type OrderQuery,
  type OrderReads,
  type OrderStore as OrderStorePort,
  type OrderTx as OrderTxPort,
  type OrderWrite,
  type Patch,
  type StepEntry,
  type StepOptions,
  type ExternalRefs,
  type Open311Requests,
  type Tasks,
  type Transfers,
} from '../../usecases/ports.js';
import { HumanTask, Inbox, OrderHistory, WorkOrder, type HistoryRow, type WorkOrderRow } from './entities.js';
import { SqlExternalRefs } from './external-refs.js';
import { SqlOpen311Requests } from './open311-requests.js';
import { SqlTasks } from './tasks.js';
import { insertOutbox, Transactions } from './transaction.js';
import { insertTransfer, SqlTransfers } from './transfers.js';

export * from '../../usecases/ports.js';

/** What a request's Idempotency-Key stands for: the request as sent (not what intake adds to it, such as its contact's confirmation). */
export const requestHash = ({ contact: _contact, repeatBy: _by, ...sent }: NewOrder): string => createHash('sha256').update(JSON.stringify(sent)).digest('hex');

const TABLE_COLUMN = { redoCount: 'redo_count', chaseCount: 'chase_count', dispatchSeq: 'dispatch_seq', returnCount: 'return_count', extensionCount: 'extension_count', repeatCount: 'repeat_count' } as const;

/** One transaction on one locked order, on MySQL. */
export class SqlOrderTx implements OrderTxPort {
  constructor(
    private readonly em: EntityManager,
    private readonly emitted: Set<OutboxChannel>,
    /** The hub's clock: history and order times (the outbox keeps real time, which its relay runs on). */
    private readonly clock: () => Date = () => new Date(),
    /** How long a person has for a task that names no deadline of its own. */
    private readonly taskDueMs: number = 4 * 3600_000,
  ) {}

  /** Was a step with this dedup key, or a message with this id, applied before? */
  async seen(dedupKey: string, messageId?: string): Promise<boolean> {
    if (await this.em.getRepository(OrderHistory).existsBy({ dedupKey })) return true;
    return messageId !== undefined && (await this.em.getRepository(Inbox).existsBy({ messageId }));
  }

  /** The order's history entries of one step, oldest first. */
  async steps(orderNo: string, step: string): Promise<HistoryRow[]> {
    return this.em.getRepository(OrderHistory).find({ where: { orderNo, step }, order: { id: 'ASC' } });
  }

  /** Opens a human task in this transaction (its dedup key makes a repeat open nothing). */
  async openTask(t: NewTask): Promise<void> {
    await this.em.getRepository(HumanTask).insert({
      orderNo: t.orderNo,
      kind: t.kind,
      role: t.role,
      unitCode: t.unitCode ?? null,
      status: 'open',
      detail: JSON.stringify(t.detail),
      dedupKey: t.dedupKey,
      createdAt: this.clock(),
      dueAt: t.dueAt ?? new Date(this.clock().getTime() + this.taskDueMs),
      completedAt: null,
      completedBy: null,
      outcome: null,
      chasedAt: null,
    });
  }

  /** Marks an open task chased, in this transaction; false when it was chased or completed meanwhile. */
  async chaseTask(id: string): Promise<boolean> {
    const r = await this.em.getRepository(HumanTask).createQueryBuilder().update().set({ chasedAt: this.clock() }).where("id = :id AND status = 'open' AND chased_at IS NULL", { id }).execute();
    return (r.affected ?? 0) > 0;
  }

  /** Ends the order's open tasks (the order was cancelled): they leave every list. */
  async cancelTasks(orderNo: string, by: string): Promise<number> {
    const r = await this.em.getRepository(HumanTask).update({ orderNo, status: 'open' }, { status: 'cancelled', completedAt: this.clock(), completedBy: by });
    return r.affected ?? 0;
  }

  /** Drops the order's engine messages not sent yet (its instance is gone): their names. */
  async dropEngineMessages(orderNo: string): Promise<string[]> {
    const rows = (await this.em.query("SELECT id, destination FROM outbox WHERE aggregate_key = ? AND channel = 'engine' AND sent_at IS NULL", [orderNo])) as Array<{ id: string; destination: string }>;
    if (rows.length > 0) await this.em.query('DELETE FROM outbox WHERE id IN (?)', [rows.map((r) => r.id)]);
    return rows.map((r) => r.destination);
  }

  /** Closes an open task with its decision; false when it was not open (someone else decided first). */
  async completeTask(id: string, by: string, outcome: unknown): Promise<boolean> {
    const r = await this.em.getRepository(HumanTask).update({ id, status: 'open' }, { status: 'done', completedAt: this.clock(), completedBy: by, outcome: JSON.stringify(outcome) });
    return (r.affected ?? 0) > 0;
  }

  async apply(orderNo: string, entry: StepEntry, patch: Patch = {}, outbox: OutboxMessage[] = [], opts: StepOptions = {}): Promise<void> {
    const now = this.clock();
    if (opts.inbox) {
      const { link, ...inbox } = opts.inbox;
      await this.em.getRepository(Inbox).insert({ ...inbox, processedAt: new Date() });
      if (link) {
        await this.em.query('INSERT IGNORE INTO order_external_ref (`system`, external_id, order_no, created_at) VALUES (?, ?, ?, ?)', [link.system, link.id, orderNo, new Date()]);
        const [owner] = (await this.em.query('SELECT order_no FROM order_external_ref WHERE `system` = ? AND external_id = ?', [link.system, link.id])) as Array<{ order_no: string }>;
        if (owner?.order_no !== orderNo) throw new ExternalRefTaken(link, owner?.order_no ?? '?', orderNo);
      }
    }
    await insertHistory(this.em, orderNo, entry, now);
    const { increment, ...fields } = patch;
    const set: Record<string, unknown> = { ...fields, updatedAt: now };
    for (const c of increment === undefined ? [] : [increment].flat()) set[c] = () => `${TABLE_COLUMN[c]} + 1`;
    if (opts.claimInstance) set.processInstanceKey = opts.claimInstance;
    if (opts.transition && fields.status === undefined) set.status = TRANSITIONS[opts.transition].to;
    const qb = this.em.createQueryBuilder().update(WorkOrder).set(set).where('order_no = :orderNo', { orderNo });
    if (opts.transition) qb.andWhere('status IN (:...from)', { from: TRANSITIONS[opts.transition].from });
    if (opts.claimInstance) qb.andWhere('(process_instance_key IS NULL OR process_instance_key = :pik)', { pik: opts.claimInstance });
    const r = await qb.execute();
    if (r.affected === 0) {
      const order = await this.em.getRepository(WorkOrder).findOneBy({ orderNo });
      if (!order) throw new OrderNotFound(orderNo);
      if (opts.claimInstance && order.processInstanceKey && order.processInstanceKey !== opts.claimInstance) {
        throw new InstanceConflict(orderNo, order.processInstanceKey, opts.claimInstance);
      }
      throw new TransitionRefused(orderNo, opts.transition!, order.status);
    }
    await insertOutbox(this.em, orderNo, outbox, new Date());
    for (const m of outbox) this.emitted.add(m.channel);
    if (opts.openTask) await this.openTask(opts.openTask);
  }
}

export async function insertHistory(em: EntityManager, orderNo: string, e: StepEntry, now: Date): Promise<void> {
  await em.getRepository(OrderHistory).insert({
    orderNo,
    step: e.step,
    actor: e.actor,
    note: e.note,
    detail: e.detail === undefined ? null : JSON.stringify(e.detail),
    dedupKey: e.dedupKey ?? null,
    occurredAt: e.occurredAt ?? now,
  });
}

/** The order store on MySQL (see usecases/ports.ts for what each method promises). */
export class SqlOrderStore implements OrderStorePort {
  /**
   * @param onOutbox called after a transaction that wrote outbox rows has committed, with their
   *   channels: the relay in this process wakes at once instead of waiting for its next poll.
   */
  private readonly txs: Transactions;
  private readonly taskLists: SqlTasks;
  private readonly transfers: SqlTransfers;
  private readonly refs: SqlExternalRefs;
  private readonly open311: SqlOpen311Requests;

  constructor(
    readonly ds: DataSource,
    onOutbox: (channels: ReadonlySet<OutboxChannel>) => void = () => undefined,
    /** The hub's clock (tests move it): order and history times. */
    private readonly clock: () => Date = () => new Date(),
    /** How long a person has for a task that names no deadline of its own (TASK_DUE_MINUTES). */
    private readonly taskDueMs: number = 4 * 3600_000,
  ) {
    this.txs = new Transactions(ds, onOutbox);
    this.taskLists = new SqlTasks(ds);
    this.transfers = new SqlTransfers(ds, this.txs, clock);
    this.refs = new SqlExternalRefs(ds);
    this.open311 = new SqlOpen311Requests(ds);
  }

  private tx<T>(fn: (em: EntityManager, emitted: Set<OutboxChannel>) => Promise<T>): Promise<T> {
    return this.txs.run(fn);
  }

  // The other concerns, each in its own file: tasks.ts, transfers.ts, external-refs.ts.
  tasks: Tasks['tasks'] = (q) => this.taskLists.tasks(q);
  overdueTasks: Tasks['overdueTasks'] = (now, limit) => this.taskLists.overdueTasks(now, limit);
  task: Tasks['task'] = (id) => this.taskLists.task(id);
  transferOf: Transfers['transferOf'] = (partner, incidentId) => this.transfers.transferOf(partner, incidentId);
  declineTransfer: Transfers['declineTransfer'] = (t, answer) => this.transfers.declineTransfer(t, answer);
  linkExternal: ExternalRefs['linkExternal'] = (orderNo, ref) => this.refs.linkExternal(orderNo, ref);
  findByExternal: ExternalRefs['findByExternal'] = (system, id) => this.refs.findByExternal(system, id);
  externalRefs: ExternalRefs['externalRefs'] = (orderNo) => this.refs.externalRefs(orderNo);
  recordOpen311: Open311Requests['recordOpen311'] = (orderNo, application, fields, at) => this.open311.recordOpen311(orderNo, application, fields, at);
  open311Requests: Open311Requests['open311Requests'] = (q) => this.open311.open311Requests(q);

  /**
   * Registers a request as a work order, or returns the order an earlier request with the same
   * Idempotency-Key created. A key reused for a different request is refused. The messages that
   * `emit` returns for the new order (its process start) commit in the same transaction.
   */
  async register(
    input: NewOrder,
    idempotencyKey: string | undefined,
    actor: string,
    emit: (order: WorkOrderRow) => OutboxMessage[],
    /** 重复件: record the request as a repeat call of this open order (no process, nothing emitted). */
    mergeInto?: string,
  ): Promise<{ order: WorkOrderRow; created: boolean }> {
    const hash = requestHash(input);
    const existing = async (): Promise<WorkOrderRow | null> =>
      idempotencyKey ? this.ds.getRepository(WorkOrder).findOneBy({ idempotencyKey }) : null;
    const before = await existing();
    if (before) return this.replay(before, hash);
    try {
      const order = await this.tx(async (em, emitted) => {
        const repo = em.getRepository(WorkOrder);
        const now = this.clock();
        const row = await repo.save({
          orderNo: null,
          correlationId: randomUUID(),
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
          citizenEmail: input.citizen.email ?? null,
          citizenPhoneConfirmedAt: input.contact?.phoneConfirmedAt ?? null,
          citizenEmailConfirmedAt: input.contact?.emailConfirmedAt ?? null,
          citizenEmailToken: input.contact?.emailToken ?? null,
          emergencyKind: input.emergency?.kind ?? null,
          threeWayCall: input.emergency?.threeWayCall ?? null,
          citizenConfidential: input.citizen.confidential,
          unitSummary: input.unitSummary ?? null,
          complainedUnit: input.complainedUnit ?? null,
          status: mergeInto ? ('merged' as const) : ('accepted' as const),
          handlingMode: null,
          unitCode: null,
          subUnitCode: null,
          helperUnits: null,
          dueAt: null,
          dueAtEstimated: false,
          processInstanceKey: null,
          satisfaction: null,
          redoCount: 0,
          chaseCount: 0,
          dispatchSeq: 0,
          acknowledgedAt: null,
          onSiteAt: null,
          returnCount: 0,
          extensionCount: 0,
          supervisedAt: null,
          hardCaseAt: null,
          hardCaseReason: null,
          majorKind: null,
          majorAt: null,
          citizenRating: null,
          citizenRatingToken: null,
          citizenRatedAt: null,
          citizenComment: null,
          catalogueVersion: null,
          repliedAt: null,
          closedAt: null,
          mergedInto: mergeInto ?? null,
          repeatCount: 0,
          publishedAt: null,
          publishedBy: null,
          publicSummary: null,
          publicAnswer: null,
          knowledgeEntryId: input.knowledgeEntryId ?? null,
          lat: input.location?.lat ?? null,
          lng: input.location?.lng ?? null,
          createdAt: now,
          updatedAt: now,
        });
        const orderNo = formatOrderNo(now, row.id);
        await repo.update({ id: row.id }, { orderNo });
        const t = input.transfer;
        await insertHistory(em, orderNo, { step: 'accept', actor, note: t ? STEP_NOTES.acceptTransfer(t.partnerName, t.incidentId, t.reason ?? t.item) : STEP_NOTES.accept, detail: { channel: input.channel, ...(t ? { transfer: t } : {}) } }, now);
        if (t) await insertTransfer(em, { partner: t.partner, incidentId: t.incidentId, item: t.item, threeWayCall: t.threeWayCall, reason: t.reason, accepted: true, orderNo, receivedAt: now });
        const created = { ...row, orderNo };
        if (mergeInto) {
          const r = await em
            .createQueryBuilder()
            .update(WorkOrder)
            .set({ repeatCount: () => 'repeat_count + 1', updatedAt: now })
            .where('order_no = :into AND status NOT IN (:...done)', { into: mergeInto, done: DONE_STATUSES })
            .execute();
          if (!r.affected) throw new RepeatTargetGone(mergeInto);
          await insertHistory(em, orderNo, { step: 'merged', actor: 'hub', note: STEP_NOTES.merged(mergeInto), detail: { into: mergeInto } }, now);
          await insertHistory(em, mergeInto, { step: 'repeat-call', actor, note: input.repeatBy === 'other-caller' ? STEP_NOTES.repeatOtherCaller(orderNo) : STEP_NOTES.repeatCall(orderNo), detail: { orderNo, channel: input.channel, by: input.repeatBy ?? 'same-caller' } }, now);
        }
        const messages = emit(created);
        await insertOutbox(em, orderNo, messages, new Date());
        for (const m of messages) emitted.add(m.channel);
        return created;
      });
      return { order, created: true };
    } catch (err) {
      // Two requests with one key at once: the loser answers with the winner's order.
      const winner = isDuplicateKey(err) ? await existing() : null;
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
   * Applies one step: the order's fields, its history entry, its outbox messages and its inbox
   * record, in one transaction. Returns 'duplicate' (and changes nothing) when the step's dedup
   * key was seen.
   */
  async applyStep(orderNo: string, entry: StepEntry, patch: Patch = {}, outbox: OutboxMessage[] = [], opts: StepOptions = {}): Promise<'applied' | 'duplicate'> {
    try {
      await this.tx((em, emitted) => new SqlOrderTx(em, emitted, this.clock, this.taskDueMs).apply(orderNo, entry, patch, outbox, opts));
      return 'applied';
    } catch (err) {
      if (isDuplicateKey(err)) return 'duplicate';
      throw err;
    }
  }

  /**
   * The way to change an order: locks it; a step applied before (its dedup key, or the id of the
   * message that carries it, in the inbox) is 'duplicate'; otherwise `decide` reads what its rules
   * need and returns the write, or throws its refusal, and the order, its history, the outbox, the
   * inbox and any task are written in one transaction. A `decide` that may find nothing to do
   * (an alarm the unit has overtaken) returns null: nothing is written, and the answer is 'unchanged'.
   */
  async commit<W extends OrderWrite | null>(
    orderNo: string,
    dedupKey: string,
    decide: (order: WorkOrderRow, read: OrderReads) => W | Promise<W>,
    opts: { inbox?: InboxEntry } = {},
  ): Promise<CommitOutcome<W>> {
    return this.withOrder(orderNo, async (order, tx) => {
      if (await tx.seen(dedupKey, opts.inbox?.messageId)) return 'duplicate';
      const w = await decide(order, { steps: (step) => tx.steps(orderNo, step) });
      if (w === null) return 'unchanged' as null extends W ? 'unchanged' : never;
      await tx.apply(orderNo, { ...w.entry, dedupKey }, w.patch ?? {}, w.outbox ?? [], { ...w.opts, ...(opts.inbox ? { inbox: opts.inbox } : {}) });
      return 'accepted';
    });
  }

  /**
   * Runs `fn` in one transaction with the order's row locked (SELECT ... FOR UPDATE): checks
   * and changes of one order are serialized, whichever process they come from.
   */
  async withOrder<T>(orderNo: string, fn: (order: WorkOrderRow, tx: OrderTxPort) => Promise<T>): Promise<T> {
    return this.tx(async (em, emitted) => {
      const order = await em.getRepository(WorkOrder).createQueryBuilder('o').setLock('pessimistic_write').where('o.order_no = :orderNo', { orderNo }).getOne();
      if (!order) throw new OrderNotFound(orderNo);
      return fn(order, new SqlOrderTx(em, emitted, this.clock, this.taskDueMs));
    });
  }

  /** Published orders, newest first (政务公开), a page at a time. */
  published(q: { limit: number; beforeId?: string }): Promise<WorkOrderRow[]> {
    const qb = this.ds.getRepository(WorkOrder).createQueryBuilder('o').where('o.published_at IS NOT NULL').orderBy('o.id', 'DESC').limit(q.limit);
    if (q.beforeId) qb.andWhere('o.id < :before', { before: q.beforeId });
    return qb.getMany();
  }

  /** Open orders of one category and district accepted since then, whoever called: what a new request may repeat (idx_work_order_matter). */
  async repeatCandidates(q: { category: string; district: string; since: Date }): Promise<WorkOrderRow[]> {
    const rows = await this.ds
      .getRepository(WorkOrder)
      .createQueryBuilder('o')
      .where('o.category = :category AND o.district = :district AND o.created_at >= :since', q)
      .andWhere('o.order_no IS NOT NULL AND o.status NOT IN (:...done)', { done: DONE_STATUSES })
      .orderBy('o.id', 'DESC')
      .limit(200)
      .getMany();
    // DECIMAL comes back as a string.
    return rows.map((r) => ({ ...r, lat: r.lat === null ? null : Number(r.lat), lng: r.lng === null ? null : Number(r.lng) }));
  }

  /** The process instances of open orders (of these orders only, when given): instance key → order number. */
  async runningInstances(orderNos?: string[]): Promise<Map<string, string>> {
    const qb = this.ds.getRepository(WorkOrder).createQueryBuilder('o').select(['o.orderNo', 'o.processInstanceKey']).where('o.process_instance_key IS NOT NULL AND o.status NOT IN (:...done)', { done: DONE_STATUSES });
    if (orderNos?.length) qb.andWhere('o.order_no IN (:...orderNos)', { orderNos });
    return new Map((await qb.getMany()).map((r) => [String(r.processInstanceKey), r.orderNo!]));
  }

  /** Citizens' notices (outbox rows keyed notice:…) each destination got since then. */
  async noticesSince(destinations: string[], since: Date): Promise<Map<string, number>> {
    if (destinations.length === 0) return new Map();
    const rows = (await this.ds.query("SELECT destination, COUNT(*) AS n FROM outbox WHERE destination IN (?) AND created_at >= ? AND channel IN ('sms', 'email') AND dedup_key LIKE 'notice:%' GROUP BY destination", [destinations, since])) as Array<{ destination: string; n: string | number }>;
    return new Map(rows.map((r) => [r.destination, Number(r.n)]));
  }

  async orderByContactToken(tokenHash: string): Promise<string | null> {
    const rows = (await this.ds.query('SELECT order_no FROM work_order WHERE citizen_email_token = ? AND order_no IS NOT NULL LIMIT 1', [tokenHash])) as Array<{ order_no: string }>;
    return rows[0]?.order_no ?? null;
  }

  async orderByRatingToken(tokenHash: string): Promise<string | null> {
    const rows = (await this.ds.query('SELECT order_no FROM work_order WHERE citizen_rating_token = ? AND order_no IS NOT NULL LIMIT 1', [tokenHash])) as Array<{ order_no: string }>;
    return rows[0]?.order_no ?? null;
  }

  /** How many orders are in each status now. */
  async countByStatus(): Promise<Array<{ status: string; count: number }>> {
    const rows = await this.ds.getRepository(WorkOrder).createQueryBuilder('o').select('o.status', 'status').addSelect('COUNT(*)', 'n').groupBy('o.status').getRawMany<{ status: string; n: string }>();
    return rows.map((r) => ({ status: r.status, count: Number(r.n) }));
  }

  /** Resolves when the database answers. */
  async ping(): Promise<void> {
    await this.ds.query('SELECT 1');
  }

  find(orderNo: string): Promise<WorkOrderRow | null> {
    return this.ds.getRepository(WorkOrder).findOneBy({ orderNo });
  }

  /**
   * Orders newest first, a page at a time (`beforeId` is the last page's smallest id). `unit`
   * narrows to one unit's orders, leaving out any that complain about it.
   */
  list(q: OrderQuery): Promise<WorkOrderRow[]> {
    const qb = this.ds.getRepository(WorkOrder).createQueryBuilder('o').where('o.order_no IS NOT NULL').orderBy('o.id', 'DESC').limit(q.limit);
    if (q.unit) qb.andWhere('(o.unit_code = :unit OR o.sub_unit_code = :unit OR FIND_IN_SET(:unit, o.helper_units) > 0) AND (o.complained_unit IS NULL OR o.complained_unit <> :unit)', { unit: q.unit });
    if (q.status) qb.andWhere('o.status = :status', { status: q.status });
    if (q.handledBy) qb.andWhere('(o.unit_code = :handledBy OR o.sub_unit_code = :handledBy)', { handledBy: q.handledBy });
    if (q.categories) qb.andWhere(q.categories.length ? 'o.category IN (:...categories)' : '1 = 0', { categories: q.categories });
    if (q.district) qb.andWhere('o.district = :district', { district: q.district });
    // The phone as written or as its digits: the index on citizen_phone still serves.
    if (q.phone) qb.andWhere('o.citizen_phone IN (:...phones)', { phones: [...new Set([q.phone, q.phone.replace(/\D/g, '')])] });
    if (q.address) qb.andWhere("o.address LIKE :address ESCAPE '!'", { address: `%${q.address.replace(/[!%_]/g, (c) => `!${c}`)}%` });
    if (q.from) qb.andWhere('o.created_at >= :from', { from: q.from });
    if (q.to) qb.andWhere('o.created_at < :to', { to: q.to });
    if (q.beforeId) qb.andWhere('o.id < :before', { before: q.beforeId });
    return qb.getMany();
  }

  /** The history entry a step wrote (by its dedup key): what a retried step reads back. */
  historyEntry(dedupKey: string): Promise<HistoryRow | null> {
    return this.ds.getRepository(OrderHistory).findOneBy({ dedupKey });
  }

  history(orderNo: string): Promise<HistoryRow[]> {
    return this.ds.getRepository(OrderHistory).find({ where: { orderNo }, order: { id: 'ASC' } });
  }

}
