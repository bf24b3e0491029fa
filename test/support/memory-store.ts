/**
 * The order store in memory, for unit tests of use cases and workers (usecases/ports.ts). It keeps
 * the promises the MySQL store keeps and its store test proves (test/infra/db/orders.int.test.ts):
 * a step's order fields, history, outbox, inbox and task are written together or not at all; a
 * dedup key or message id seen before is a duplicate; a transition is applied only from the
 * statuses domain/order.ts allows; changes of one order run one after another (here: every
 * transaction runs alone). It is a fake:
 * integration tests never use it.
 */
import { createHash } from 'node:crypto';
import { DONE_STATUSES, formatOrderNo, isDone, TRANSITIONS, canApply } from '../../domain/order.js';
import type { Open311Fields, Open311Query } from '../../domain/open311.js';
import { STEP_NOTES } from '../../domain/text.js';
import {
  ExternalRefTaken,
  IdempotencyConflict,
  InstanceConflict,
  OrderNotFound,
  RepeatTargetGone,
  TransitionRefused,
  type CommitOutcome,
  type InboxEntry,
  type HistoryRow,
  type HumanTaskRow,
  type NewOrder,
  type NewTask,
  type OrderQuery,
  type OrderStore,
  type OrderTx,
  type OrderWrite,
  type OutboxMessage,
  type Patch,
  type StepEntry,
  type StepOptions,
  type TransferIn,
  type TransferRecord,
  type WorkOrderRow,
} from '../../usecases/ports.js';

/** What the store holds; a test reads it to see what a use case wrote. */
export interface MemoryState {
  orders: WorkOrderRow[];
  history: HistoryRow[];
  /** The outbox, with the order each message belongs to. */
  outbox: Array<OutboxMessage & { aggregateKey: string; sent: boolean; createdAt: Date }>;
  inbox: Array<{ messageId: string; source: string }>;
  tasks: HumanTaskRow[];
  transfers: TransferRecord[];
  refs: Array<{ system: string; id: string; orderNo: string }>;
  open311: Array<{ orderNo: string; application: string; fields: Open311Fields; at: Date }>;
  seq: number;
}

/** A unique key was written twice: the MySQL store's ER_DUP_ENTRY. */
class DuplicateKey extends Error {}

const emptyState = (): MemoryState => ({ orders: [], history: [], outbox: [], inbox: [], tasks: [], transfers: [], refs: [], open311: [], seq: 0 });

/** A new order's fields as the MySQL store writes them (for tests that put an order in a status directly). */
export function orderRow(o: Partial<WorkOrderRow> & { orderNo: string }, now = new Date()): WorkOrderRow {
  return {
    id: '0', correlationId: `corr-${o.orderNo}`, idempotencyKey: null, requestHash: '', channel: 'phone', type: 'complaint', category: 'water-supply', district: 'yuexiu',
    title: '停水', description: '小区停水两天', address: '越秀区某路1号', urgent: false, citizenName: '张三', citizenPhone: '13800000000', citizenEmail: null, citizenPhoneConfirmedAt: null, citizenEmailConfirmedAt: null, citizenEmailToken: null,
    emergencyKind: null, threeWayCall: null, partnerCode: null, citizenConfidential: false, unitSummary: null, complainedUnit: null, status: 'accepted',
    handlingMode: null, unitCode: null, subUnitCode: null, helperUnits: null, dueAt: null, dueAtEstimated: false, processInstanceKey: null, redoCount: 0, chaseCount: 0,
    dispatchSeq: 0, acknowledgedAt: null, onSiteAt: null, returnCount: 0, extensionCount: 0, supervisedAt: null, hardCaseAt: null, hardCaseReason: null, majorKind: null, majorAt: null, citizenRating: null, citizenRatingToken: null, citizenRatedAt: null, citizenComment: null, catalogueVersion: null, repliedAt: null,
    closedAt: null, lat: null, lng: null, mergedInto: null, repeatCount: 0, publishedAt: null, publishedBy: null, publicSummary: null, publicAnswer: null, knowledgeEntryId: null,
    satisfaction: null, resolved: null, createdAt: now, updatedAt: now,
    ...o,
  };
}

export class MemoryOrderStore implements OrderStore {
  state: MemoryState = emptyState();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly clock: () => Date = () => new Date(),
    private readonly taskDueMs = 4 * 3600_000,
  ) {}

  /** Puts an order in the store as it stands (a test's starting point); returns its number. */
  put(o: Partial<WorkOrderRow> & { orderNo: string }): string {
    this.state.orders.push(orderRow({ id: String(++this.state.seq), ...o }, this.clock()));
    return o.orderNo;
  }

  /** The order now (a copy), or a thrown error when there is none. */
  order(orderNo: string): WorkOrderRow {
    const o = this.state.orders.find((x) => x.orderNo === orderNo);
    if (!o) throw new OrderNotFound(orderNo);
    return { ...o };
  }

  /** The steps the order's history holds, oldest first. */
  steps(orderNo: string): string[] {
    return this.state.history.filter((h) => h.orderNo === orderNo).map((h) => h.step);
  }

  /** The outbox messages of one order (or all), oldest first. */
  messages(orderNo?: string): OutboxMessage[] {
    return this.state.outbox.filter((m) => orderNo === undefined || m.aggregateKey === orderNo).map(({ aggregateKey: _a, sent: _s, createdAt: _c, ...m }) => m);
  }

  /**
   * One transaction: whatever `fn` wrote is undone when it throws. Transactions run one at a time
   * (a rollback restores the whole state, so none may interleave): the MySQL store's row lock,
   * made coarser.
   */
  private tx<T>(fn: () => Promise<T>): Promise<T> {
    const run = async () => {
      const before = structuredClone(this.state);
      try {
        return await fn();
      } catch (err) {
        this.state = before;
        throw err;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private txOn(): OrderTx {
    const s = () => this.state;
    const now = () => this.clock();
    const tx: OrderTx = {
      seen: async (dedupKey, messageId) => {
        return s().history.some((h) => h.dedupKey === dedupKey) || (messageId !== undefined && s().inbox.some((i) => i.messageId === messageId));
      },
      steps: async (orderNo, step) => {
        return s().history.filter((h) => h.orderNo === orderNo && h.step === step).map((h) => ({ ...h }));
      },
      openTask: async (t: NewTask) => {
        if (s().tasks.some((x) => x.dedupKey === t.dedupKey)) throw new DuplicateKey(`task ${t.dedupKey}`);
        s().tasks.push({
          id: String(++s().seq), orderNo: t.orderNo, kind: t.kind, role: t.role, unitCode: t.unitCode ?? null, status: 'open', detail: JSON.stringify(t.detail), dedupKey: t.dedupKey,
          createdAt: now(), dueAt: t.dueAt ?? new Date(now().getTime() + this.taskDueMs), completedAt: null, completedBy: null, outcome: null, chasedAt: null,
        });
      },
      chaseTask: async (id) => {
        const t = s().tasks.find((x) => x.id === id && x.status === 'open' && x.chasedAt === null);
        if (t) t.chasedAt = now();
        return !!t;
      },
      cancelTasks: async (orderNo, by) => {
        const open = s().tasks.filter((x) => x.orderNo === orderNo && x.status === 'open');
        for (const t of open) Object.assign(t, { status: 'cancelled', completedAt: now(), completedBy: by });
        return open.length;
      },
      dropEngineMessages: async (orderNo) => {
        const drop = s().outbox.filter((m) => m.aggregateKey === orderNo && m.channel === 'engine' && !m.sent);
        s().outbox = s().outbox.filter((m) => !drop.includes(m));
        return drop.map((m) => m.destination);
      },
      completeTask: async (id, by, outcome) => {
        const t = s().tasks.find((x) => x.id === id && x.status === 'open');
        if (t) Object.assign(t, { status: 'done', completedAt: now(), completedBy: by, outcome: JSON.stringify(outcome) });
        return !!t;
      },
      apply: async (orderNo: string, entry: StepEntry, patch: Patch = {}, outbox: OutboxMessage[] = [], opts: StepOptions = {}) => {
        if (opts.inbox) {
          const { link, ...inbox } = opts.inbox;
          if (s().inbox.some((i) => i.messageId === inbox.messageId)) throw new DuplicateKey(`inbox ${inbox.messageId}`);
          s().inbox.push(inbox);
          if (link) {
            const owner = s().refs.find((r) => r.system === link.system && r.id === link.id)?.orderNo;
            if (owner !== undefined && owner !== orderNo) throw new ExternalRefTaken(link, owner, orderNo);
            if (owner === undefined) s().refs.push({ ...link, orderNo });
          }
        }
        this.insertHistory(orderNo, entry);
        const o = s().orders.find((x) => x.orderNo === orderNo);
        if (!o) throw new OrderNotFound(orderNo);
        if (opts.claimInstance && o.processInstanceKey && o.processInstanceKey !== opts.claimInstance) throw new InstanceConflict(orderNo, o.processInstanceKey, opts.claimInstance);
        if (opts.transition && !canApply(opts.transition, o.status)) throw new TransitionRefused(orderNo, opts.transition, o.status);
        const { increment, ...fields } = patch;
        Object.assign(o, fields, { updatedAt: now() });
        for (const c of increment === undefined ? [] : [increment].flat()) o[c] += 1;
        if (opts.claimInstance) o.processInstanceKey = opts.claimInstance;
        if (opts.transition && fields.status === undefined) o.status = TRANSITIONS[opts.transition].to;
        this.insertOutbox(orderNo, outbox);
        if (opts.openTask) await tx.openTask(opts.openTask);
      },
    };
    return tx;
  }

  private insertHistory(orderNo: string, e: StepEntry): void {
    if (e.dedupKey && this.state.history.some((h) => h.dedupKey === e.dedupKey)) throw new DuplicateKey(`history ${e.dedupKey}`);
    this.state.history.push({ id: String(++this.state.seq), orderNo, step: e.step, actor: e.actor, note: e.note, detail: e.detail === undefined ? null : JSON.stringify(e.detail), dedupKey: e.dedupKey ?? null, occurredAt: e.occurredAt ?? this.clock() });
  }

  private insertOutbox(aggregateKey: string, outbox: OutboxMessage[]): void {
    for (const m of outbox) {
      if (this.state.outbox.some((x) => x.dedupKey === m.dedupKey)) throw new DuplicateKey(`outbox ${m.dedupKey}`);
      this.state.outbox.push({ ...m, aggregateKey, sent: false, createdAt: this.clock() });
    }
  }

  async register(input: NewOrder, idempotencyKey: string | undefined, actor: string, emit: (order: WorkOrderRow) => OutboxMessage[], mergeInto?: string): Promise<{ order: WorkOrderRow; created: boolean }> {
    const { contact: _contact, repeatBy: _by, ...sent } = input;
    const hash = createHash('sha256').update(JSON.stringify(sent)).digest('hex');
    return this.tx(async () => {
      // The key is unique: of requests with one key at once, the first makes the order, the others answer with it.
      const before = idempotencyKey ? this.state.orders.find((o) => o.idempotencyKey === idempotencyKey) : undefined;
      if (before) {
        if (before.requestHash !== hash) throw new IdempotencyConflict(`Idempotency-Key was already used for another request (order ${before.orderNo})`);
        return { order: { ...before }, created: false };
      }
      const now = this.clock();
      const id = String(++this.state.seq);
      const orderNo = formatOrderNo(now, id);
      const t = input.transfer;
      const row = orderRow({
        id, orderNo, correlationId: `corr-${id}`, idempotencyKey: idempotencyKey ?? null, requestHash: hash, channel: input.channel, type: input.type, category: input.category,
        district: input.district, title: input.title, description: input.description, address: input.address, urgent: input.urgent, citizenName: input.citizen.name,
        citizenPhone: input.citizen.phone, citizenEmail: input.citizen.email ?? null,
        citizenPhoneConfirmedAt: input.contact?.phoneConfirmedAt ?? null, citizenEmailConfirmedAt: input.contact?.emailConfirmedAt ?? null, citizenEmailToken: input.contact?.emailToken ?? null, emergencyKind: input.emergency?.kind ?? null, threeWayCall: input.emergency?.threeWayCall ?? null,
        citizenConfidential: input.citizen.confidential, unitSummary: input.unitSummary ?? null, complainedUnit: input.complainedUnit ?? null,
        status: mergeInto ? 'merged' : 'accepted', mergedInto: mergeInto ?? null, knowledgeEntryId: input.knowledgeEntryId ?? null, lat: input.location?.lat ?? null, lng: input.location?.lng ?? null,
      }, now);
      this.state.orders.push(row);
      this.insertHistory(orderNo, { step: 'accept', actor, note: t ? STEP_NOTES.acceptTransfer(t.partnerName, t.incidentId, t.reason ?? t.item) : STEP_NOTES.accept, detail: { channel: input.channel, ...(t ? { transfer: t } : {}) } });
      if (t) this.state.transfers.push({ partner: t.partner, incidentId: t.incidentId, item: t.item, threeWayCall: t.threeWayCall, reason: t.reason, accepted: true, orderNo, receivedAt: now });
      if (mergeInto) {
        const into = this.state.orders.find((o) => o.orderNo === mergeInto && !DONE_STATUSES.includes(o.status));
        if (!into) throw new RepeatTargetGone(mergeInto);
        into.repeatCount += 1;
        this.insertHistory(orderNo, { step: 'merged', actor: 'hub', note: STEP_NOTES.merged(mergeInto), detail: { into: mergeInto } });
        this.insertHistory(mergeInto, { step: 'repeat-call', actor, note: input.repeatBy === 'other-caller' ? STEP_NOTES.repeatOtherCaller(orderNo) : STEP_NOTES.repeatCall(orderNo), detail: { orderNo, channel: input.channel, by: input.repeatBy ?? 'same-caller' } });
      }
      this.insertOutbox(orderNo, emit({ ...row }));
      return { order: { ...row }, created: true };
    });
  }

  async applyStep(orderNo: string, entry: StepEntry, patch: Patch = {}, outbox: OutboxMessage[] = [], opts: StepOptions = {}): Promise<'applied' | 'duplicate'> {
    try {
      await this.tx(() => this.txOn().apply(orderNo, entry, patch, outbox, opts));
      return 'applied';
    } catch (err) {
      if (err instanceof DuplicateKey) return 'duplicate';
      throw err;
    }
  }

  async commit<W extends OrderWrite | null>(orderNo: string, dedupKey: string, decide: (order: WorkOrderRow, read: { steps(step: string): Promise<HistoryRow[]> }) => W | Promise<W>, opts: { inbox?: InboxEntry } = {}): Promise<CommitOutcome<W>> {
    return this.withOrder(orderNo, async (order, tx) => {
      if (await tx.seen(dedupKey, opts.inbox?.messageId)) return 'duplicate';
      const w = await decide(order, { steps: (step) => tx.steps(orderNo, step) });
      if (w === null) return 'unchanged' as CommitOutcome<W>;
      await tx.apply(orderNo, { ...w.entry, dedupKey }, w.patch ?? {}, w.outbox ?? [], { ...w.opts, ...(opts.inbox ? { inbox: opts.inbox } : {}) });
      return 'accepted';
    });
  }

  withOrder<T>(orderNo: string, fn: (order: WorkOrderRow, tx: OrderTx) => Promise<T>): Promise<T> {
    return this.tx(async () => {
      const o = this.state.orders.find((x) => x.orderNo === orderNo);
      if (!o) throw new OrderNotFound(orderNo);
      return fn({ ...o }, this.txOn());
    });
  }

  async find(orderNo: string): Promise<WorkOrderRow | null> {
    const o = this.state.orders.find((x) => x.orderNo === orderNo);
    return o ? { ...o } : null;
  }

  async list(q: OrderQuery): Promise<WorkOrderRow[]> {
    const digits = q.phone?.replace(/\D/g, '');
    const t = (d: Date) => d.getTime();
    return this.newestFirst(
      this.state.orders.filter(
        (o) =>
          o.orderNo !== null &&
          (!q.unit || ((o.unitCode === q.unit || o.subUnitCode === q.unit || (o.helperUnits ?? '').split(',').includes(q.unit)) && o.complainedUnit !== q.unit)) &&
          (!q.status || o.status === q.status) &&
          (!q.handledBy || o.unitCode === q.handledBy || o.subUnitCode === q.handledBy) &&
          (!q.categories || q.categories.includes(o.category)) &&
          (!q.district || o.district === q.district) &&
          (!q.phone || o.citizenPhone === q.phone || o.citizenPhone === digits) &&
          (!q.address || o.address.includes(q.address)) &&
          (!q.from || t(o.createdAt) >= t(q.from)) &&
          (!q.to || t(o.createdAt) < t(q.to)),
      ),
      q,
    );
  }

  private newestFirst(rows: WorkOrderRow[], q: { limit: number; beforeId?: string }): WorkOrderRow[] {
    return rows.filter((o) => !q.beforeId || Number(o.id) < Number(q.beforeId)).sort((a, b) => Number(b.id) - Number(a.id)).slice(0, q.limit).map((o) => ({ ...o }));
  }

  async history(orderNo: string): Promise<HistoryRow[]> {
    return this.state.history.filter((h) => h.orderNo === orderNo).map((h) => ({ ...h }));
  }

  async historyEntry(dedupKey: string): Promise<HistoryRow | null> {
    const h = this.state.history.find((x) => x.dedupKey === dedupKey);
    return h ? { ...h } : null;
  }

  async runningInstances(orderNos?: string[]): Promise<Map<string, string>> {
    const open = this.state.orders.filter((o) => o.processInstanceKey && !DONE_STATUSES.includes(o.status) && (!orderNos?.length || orderNos.includes(o.orderNo!)));
    return new Map(open.map((o) => [o.processInstanceKey!, o.orderNo!]));
  }

  async countByStatus(): Promise<Array<{ status: string; count: number }>> {
    const n = new Map<string, number>();
    for (const o of this.state.orders) n.set(o.status, (n.get(o.status) ?? 0) + 1);
    return [...n].map(([status, count]) => ({ status, count }));
  }

  async ping(): Promise<void> {}

  async tasks(q: { role?: string; unit?: string; orderNo?: string; kind?: string; status?: 'open' | 'done'; limit: number; afterId?: string }): Promise<HumanTaskRow[]> {
    return this.state.tasks
      .filter((t) => (!q.role || t.role === q.role) && (!q.unit || t.unitCode === q.unit) && (!q.orderNo || t.orderNo === q.orderNo) && (!q.kind || t.kind === q.kind) && (!q.status || t.status === q.status) && (!q.afterId || Number(t.id) > Number(q.afterId)))
      .slice(0, q.limit)
      .map((t) => ({ ...t }));
  }

  async overdueTasks(now: Date, limit: number): Promise<HumanTaskRow[]> {
    return this.state.tasks
      .filter((t) => t.status === 'open' && t.dueAt !== null && t.dueAt < now && t.chasedAt === null)
      .sort((a, b) => a.dueAt!.getTime() - b.dueAt!.getTime())
      .slice(0, limit)
      .map((t) => ({ ...t }));
  }

  async task(id: string): Promise<HumanTaskRow | null> {
    const t = this.state.tasks.find((x) => x.id === id);
    return t ? { ...t } : null;
  }

  async transferOf(partner: string, incidentId: string): Promise<TransferRecord | null> {
    const t = this.state.transfers.find((x) => x.partner === partner && x.incidentId === incidentId);
    return t ? { ...t } : null;
  }

  declineTransfer(t: TransferIn, answer: OutboxMessage): Promise<'declined' | 'duplicate'> {
    return this.tx(async () => {
      if (this.state.transfers.some((x) => x.partner === t.partner && x.incidentId === t.incidentId)) return 'duplicate';
      this.state.transfers.push({ partner: t.partner, incidentId: t.incidentId, item: t.item, threeWayCall: t.threeWayCall, reason: t.reason, accepted: false, orderNo: null, receivedAt: this.clock() });
      this.insertOutbox(`${t.partner}:${t.incidentId}`, [answer]);
      return 'declined';
    });
  }

  async linkExternal(orderNo: string, ref: { system: string; id: string }): Promise<boolean> {
    if (!this.state.refs.some((r) => r.system === ref.system && r.id === ref.id)) this.state.refs.push({ ...ref, orderNo });
    return (await this.findByExternal(ref.system, ref.id)) === orderNo;
  }

  async findByExternal(system: string, id: string): Promise<string | null> {
    return this.state.refs.find((r) => r.system === system && r.id === id)?.orderNo ?? null;
  }

  async externalRefs(orderNo: string): Promise<Array<{ system: string; id: string }>> {
    return this.state.refs.filter((r) => r.orderNo === orderNo).map(({ system, id }) => ({ system, id }));
  }

  async recordOpen311(orderNo: string, application: string, fields: Open311Fields, at: Date): Promise<void> {
    if (!this.state.open311.some((r) => r.orderNo === orderNo)) this.state.open311.push({ orderNo, application, fields, at });
  }

  async open311Requests(q: Open311Query): Promise<Array<{ order: WorkOrderRow; fields: Open311Fields | null }>> {
    return this.state.open311
      .map((r) => ({ r, order: this.state.orders.find((o) => o.orderNo === r.orderNo)! }))
      .filter(({ r, order }) => !order.citizenConfidential && (q.ids ? q.ids.includes(r.orderNo) : r.at >= q.since && r.at <= q.until))
      .filter(({ order }) => !q.states || q.states.length !== 1 || (q.states[0] === 'closed') === isDone(order.status))
      .filter(({ order }) => !q.categories || q.categories.includes(order.category))
      .sort((a, b) => b.r.at.getTime() - a.r.at.getTime() || Number(b.order.id) - Number(a.order.id))
      .slice(0, q.limit)
      .map(({ r, order }) => ({ order, fields: r.fields }));
  }

  async published(q: { limit: number; beforeId?: string }): Promise<WorkOrderRow[]> {
    return this.newestFirst(this.state.orders.filter((o) => o.publishedAt !== null), q);
  }

  async noticesSince(destinations: string[], since: Date): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const m of this.state.outbox) {
      if (destinations.includes(m.destination) && m.createdAt >= since && (m.channel === 'sms' || m.channel === 'email') && m.dedupKey.startsWith('notice:')) out.set(m.destination, (out.get(m.destination) ?? 0) + 1);
    }
    return out;
  }

  async orderByContactToken(tokenHash: string): Promise<string | null> {
    return this.state.orders.find((o) => o.citizenEmailToken === tokenHash && o.orderNo !== null)?.orderNo ?? null;
  }

  async orderByRatingToken(tokenHash: string): Promise<string | null> {
    return this.state.orders.find((o) => o.citizenRatingToken === tokenHash && o.orderNo !== null)?.orderNo ?? null;
  }

  async repeatCandidates(q: { category: string; district: string; since: Date }): Promise<WorkOrderRow[]> {
    const open = this.state.orders.filter((o) => o.category === q.category && o.district === q.district && o.createdAt >= q.since && !DONE_STATUSES.includes(o.status));
    return this.newestFirst(open, { limit: 200 });
  }
}
