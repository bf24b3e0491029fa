/**
 * An operator's actions on what hangs, each recorded with who did it (the order trail and the
 * audit trail): a job that ended in an incident is run again once its cause is fixed; a dead
 * letter is sent again; an order beyond repair is cancelled with a reason.
 */
import type { Producer } from 'kafkajs';
import { describeError, HubError } from './errors.js';
import { findUnit, type Catalog } from '../domain/catalog.js';
import { envelope, partnerOfEventsTopic, unitOfReplyTopic, unitTopics } from '../domain/events.js';
import { helpersOf } from '../domain/access.js';
import { HELPING_STATUSES, isDone, UNITS_INVOLVED_STATUSES } from '../domain/order.js';
import { cancelMail, STEP_NOTES } from '../domain/text.js';
import { OrderNotFound, type AuditLog, type DeadLetterReplay, type EngineControl, type IncidentReads, type MigrationOutcome, type ModelVersions, type OrderStore, type OrderTx, type OutboxMessage, type StoredMessage, type TrailLog, type WorkOrderRow } from './ports.js';
import { CONFIDENTIAL_CANCEL_REASON, titleForUnit } from '../domain/masking.js';
import { transferConclusion } from './transfer-in.js';

export interface RetryOutcome {
  jobType: string;
  elementId: string;
  ok: boolean;
  error?: string;
}

/** Runs again every job of the order that ended in an incident. */
export async function retryIncidents(
  d: { ops: Pick<IncidentReads, 'incidents'>; engine: Pick<EngineControl, 'retryJob'>; trail: TrailLog; audit: AuditLog },
  orderNo: string,
  by: { actor: string; source: 'cli' | 'api'; actorKey?: string | null; role?: string | null },
): Promise<RetryOutcome[]> {
  const open = await d.ops.incidents(orderNo);
  const out: RetryOutcome[] = [];
  for (const i of open) {
    // Dated when asked: the job it runs again may complete (and be traced) before the engine answers.
    const at = new Date();
    try {
      await d.engine.retryJob(i.ref);
      d.trail.record({ at, orderNo, kind: 'operator', component: i.jobType, elementInstanceKey: i.ref.elementInstanceKey, detail: { action: 'retry', by: by.actor, elementId: i.ref.elementId, processInstanceKey: i.ref.processInstanceKey } });
      out.push({ jobType: i.jobType, elementId: i.ref.elementId, ok: true });
    } catch (err) {
      out.push({ jobType: i.jobType, elementId: i.ref.elementId, ok: false, error: describeError(err) });
    }
  }
  await d.trail.flush();
  // The gateway audits each request itself; the command line is audited here.
  if (by.source === 'cli') await d.audit.record({ actorKey: by.actorKey ?? null, actor: by.actor, role: by.role ?? null, unitCode: null, action: `${by.source} retry`, target: orderNo, outcome: `${out.filter((o) => o.ok).length}/${out.length} retried`, source: by.source, requestId: null });
  return out;
}

/** A field of the refused message, read even from a body cut short (the usual reason to mend one). */
function fieldOf(raw: string | null, parsed: Record<string, unknown> | null, path: 'id' | 'type' | 'orderNo' | 'unit' | 'partner'): string | undefined {
  const from = path === 'unit' || path === 'partner' ? (parsed?.payload as Record<string, unknown> | undefined)?.[path] : parsed?.[path];
  if (typeof from === 'string') return from;
  return raw ? new RegExp(`"${path}"\\s*:\\s*"([^"]*)"`).exec(raw)?.[1] : undefined;
}

/**
 * What an operator's mended copy may not change: it speaks for the unit or line that sent the
 * refused message, so it keeps that message's event id, type, order and sender (as far as the
 * refused body shows them; the sender is also its topic's). Returns what it changed, if anything.
 */
export function forgedFields(original: StoredMessage, corrected: string): string[] {
  let mended: Record<string, unknown>;
  try {
    mended = JSON.parse(corrected) as Record<string, unknown>;
  } catch (err) {
    return [`the corrected message is not JSON: ${(err as Error).message}`];
  }
  if (typeof mended !== 'object' || mended === null || Array.isArray(mended)) return ['the corrected message is not a JSON object (an event envelope)'];
  let parsed: Record<string, unknown> | null = null;
  try {
    parsed = JSON.parse(original.value ?? '') as Record<string, unknown>;
    if (typeof parsed !== 'object' || Array.isArray(parsed)) parsed = null;
  } catch {
    parsed = null;
  }
  const expected: Record<string, string | undefined> = {
    id: fieldOf(original.value, parsed, 'id'),
    type: fieldOf(original.value, parsed, 'type'),
    // A unit's message is keyed by its order number (a line's transfer by its incident).
    orderNo: fieldOf(original.value, parsed, 'orderNo') ?? (/^GD\d{14}$/.test(original.key ?? '') ? original.key! : undefined),
    unit: unitOfReplyTopic(original.sourceTopic) ?? fieldOf(original.value, parsed, 'unit'),
    partner: partnerOfEventsTopic(original.sourceTopic) ?? fieldOf(original.value, parsed, 'partner'),
  };
  const problems: string[] = [];
  for (const [field, want] of Object.entries(expected)) {
    if (want === undefined) continue;
    const got = field === 'unit' || field === 'partner' ? (mended.payload as Record<string, unknown> | undefined)?.[field] : mended[field];
    if (got !== want) problems.push(`${field === 'unit' || field === 'partner' ? `payload.${field}` : field} must stay ${JSON.stringify(want)}, not ${JSON.stringify(got)}`);
  }
  return problems;
}

/**
 * Sends dead-lettered Kafka messages back to their topic, as they were: every consumer of it sees
 * them again, and each applies a message once (by its event id). A message that came from a legacy
 * system (not Kafka) is sent again by that system, not here. With `corrected` (one id only), an
 * operator's mended copy goes instead of the refused message (a truncated body, a wrong field):
 * it must be JSON, keep what forgedFields guards, and it is marked so (headers dlq-corrected and
 * dlq-corrected-by, the operator) for whoever reads the topic.
 */
export async function replayDeadLetters(d: { deadLetters: DeadLetterReplay; producer: () => Promise<Producer> }, ids?: string[], corrected?: string, by = 'operator'): Promise<Array<{ id: string; topic: string }>> {
  if (corrected !== undefined) {
    if (ids?.length !== 1) throw new DeadLetterRefused('a corrected message replaces exactly one dead letter: name one');
    try {
      JSON.parse(corrected);
    } catch (err) {
      throw new DeadLetterRefused(`the corrected message is not JSON: ${(err as Error).message}`);
    }
  }
  const rows = await d.deadLetters.forReplay(ids);
  if (rows.length === 0) return [];
  if (corrected !== undefined) {
    const forged = forgedFields(rows[0]!, corrected);
    if (forged.length > 0) throw new DeadLetterRefused(`a corrected message speaks for the sender of the one it replaces: ${forged.join('; ')}`);
  }
  const producer = await d.producer();
  const out: Array<{ id: string; topic: string }> = [];
  for (const r of rows) {
    await producer.send({ topic: r.sourceTopic, messages: [{ key: r.key, value: corrected ?? r.value, headers: { ...r.headers, 'dlq-replay-of': r.id, ...(corrected !== undefined ? { 'dlq-corrected': 'true', 'dlq-corrected-by': by } : {}) } }] });
    await d.deadLetters.markReplayed([r.id]);
    out.push({ id: r.id, topic: r.sourceTopic });
  }
  return out;
}

export class DeadLetterRefused extends HubError {
  constructor(message: string) {
    super('DEAD_LETTER_INVALID', message, false);
  }
}

export class OrderDone extends HubError {
  constructor(orderNo: string, status: string) {
    super('ORDER_DONE', `order ${orderNo} is ${status}: it has ended, there is nothing to cancel`, false);
  }
}

export interface CancelOutcome {
  orderNo: string;
  /** What became of its process instance: cancelled now, already gone from the engine, or it had none recorded. */
  instance: 'cancelled' | 'gone' | 'none';
  /** Open tasks taken off people's lists. */
  tasks: number;
  /** Engine messages not sent yet, dropped with the instance they were for. */
  dropped: string[];
  /** The units that were working on it, told to stop (撤单通知). */
  unitsTold: string[];
}


/**
 * Who is still working on the order: while a unit holds it, the lead, the street it was sent on
 * to and the helping units; once the lead has replied, the helpers that have neither answered
 * their part of this dispatch nor run out of time (they work on while the reply is reviewed).
 */
export async function unitsAtWork(orderNo: string, o: WorkOrderRow, tx: OrderTx): Promise<string[]> {
  if (UNITS_INVOLVED_STATUSES.includes(o.status)) return [o.unitCode, o.subUnitCode, ...helpersOf(o)].filter((c): c is string => !!c);
  if (!HELPING_STATUSES.includes(o.status) || helpersOf(o).length === 0) return [];
  const done = [...(await tx.steps(orderNo, 'helper-reply')), ...(await tx.steps(orderNo, 'helper-timeout'))]
    .map((h) => JSON.parse(h.detail ?? '{}') as { unit?: string; dispatchSeq?: number })
    .filter((d) => d.dispatchSeq === o.dispatchSeq)
    .map((d) => d.unit);
  return helpersOf(o).filter((u) => !done.includes(u));
}

/**
 * 撤单通知 to every unit still working on the order (unitsAtWork): the order.cancelled event on
 * its topic, for its system, and an e-mail.
 */
export function cancelNotices(orderNo: string, o: WorkOrderRow, atWork: string[], reason: string, at: Date, catalog: Catalog): { units: string[]; messages: OutboxMessage[] } {
  const codes = new Set(atWork.map((c) => c.trim()).filter((c) => c !== ''));
  const units = [...codes].map((code) => findUnit(catalog, code)).filter((u) => u !== undefined);
  const messages = units.flatMap((unit): OutboxMessage[] => {
    // A confidential order's cancel reason, free text of the centre's, stays at the centre too.
    const told = o.citizenConfidential ? CONFIDENTIAL_CANCEL_REASON : reason;
    const event = envelope('order.cancelled', orderNo, { unit: unit.code, reason: told, cancelledAt: at.toISOString() }, 'hub', { correlationId: o.correlationId, occurredAt: at });
    return [
      { channel: 'kafka', destination: unitTopics(unit.code).dispatched, messageKey: orderNo, payload: event, dedupKey: `cancel:${orderNo}:${unit.code}:kafka` },
      { channel: 'email', destination: unit.email, payload: { ...cancelMail({ orderNo, unitName: unit.name, title: titleForUnit(o, catalog.categories), reason: told }), orderNo }, dedupKey: `cancel:${orderNo}:${unit.code}:email` },
    ];
  });
  return { units: units.map((u) => u.code), messages };
}

/**
 * 撤销: ends an order where it stands, with the reason: its process instance is cancelled in the
 * engine first (a failure there changes nothing here), then, in one transaction, the order becomes
 * "cancelled", its open tasks leave the lists, the engine messages still waiting for the gone
 * instance are dropped, and the units working on it are told (撤单通知). Messages already on their
 * way to units and citizens are left to go.
 */
export async function cancelOrder(
  d: { store: OrderStore; ops: Pick<IncidentReads, 'rootInstance'>; engine: Pick<EngineControl, 'cancelInstance'>; trail: TrailLog; audit: AuditLog; catalog: Catalog; now: () => Date },
  orderNo: string,
  reason: string,
  by: { actor: string; source: 'cli' | 'api'; actorKey?: string | null; role?: string | null },
): Promise<CancelOutcome> {
  const order = await d.store.find(orderNo);
  if (!order) throw new OrderNotFound(orderNo);
  if (isDone(order.status)) throw new OrderDone(orderNo, order.status);
  const key = order.processInstanceKey ?? (await d.ops.rootInstance(orderNo));
  const instance: CancelOutcome['instance'] = key ? await d.engine.cancelInstance(key, reason) : 'none';
  const out = await d.store.withOrder(orderNo, async (o, tx) => {
    if (isDone(o.status)) throw new OrderDone(orderNo, o.status);
    const dropped = await tx.dropEngineMessages(orderNo);
    const tasks = await tx.cancelTasks(orderNo, by.actor);
    const notices = cancelNotices(orderNo, o, await unitsAtWork(orderNo, o, tx), reason, d.now(), d.catalog);
    // 110转12345: the line that transferred it is told it was cancelled, and why.
    const conclusion = await transferConclusion(d, o, { outcome: 'cancelled', result: reason, unitName: null, satisfaction: null, at: d.now() });
    await tx.apply(orderNo, { step: 'cancel', actor: by.actor, note: STEP_NOTES.cancelled(reason), detail: { reason, instance, from: o.status, droppedMessages: dropped, unitsTold: notices.units } }, {}, conclusion ? [...notices.messages, conclusion] : notices.messages, { transition: 'cancel' });
    return { orderNo, instance, tasks, dropped, unitsTold: notices.units };
  });
  d.trail.record({ orderNo, kind: 'operator', component: 'work-order', detail: { action: 'cancel', by: by.actor, reason, instance } });
  await d.trail.flush();
  if (by.source === 'cli') await d.audit.record({ actorKey: by.actorKey ?? null, actor: by.actor, role: by.role ?? null, unitCode: null, action: 'cli cancel', target: orderNo, outcome: `cancelled (instance ${instance})`, source: by.source, requestId: null });
  return out;
}

/**
 * Moves the running instances of a process to the version the engine runs now (what the model
 * store says runs), where the engine allows it; each outcome, the migrated orders' trails and the
 * audit trail say who did it.
 */
export async function migrateInstances(
  d: { store: Pick<OrderStore, 'runningInstances'>; models: Pick<ModelVersions, 'current'>; engine: Pick<EngineControl, 'migrateInstances' | 'name'>; trail: TrailLog; audit: AuditLog },
  processId: string,
  by: { actor: string; source: 'cli' | 'api'; actorKey?: string | null; role?: string | null },
  orderNos?: string[],
): Promise<Array<MigrationOutcome & { orderNo: string | null }>> {
  const model = (await d.models.current()).get(`${processId}.bpmn`);
  if (!model) throw new HubError('MODEL_NOT_FOUND', `no model ${processId}.bpmn runs here (hub models)`, false);
  // The hub knows its orders' root instances; Camunda 7 finds every instance itself.
  const orderOf = await d.store.runningInstances(orderNos);
  const known = processId === 'work-order' ? [...orderOf.keys()] : [];
  const outcomes = await d.engine.migrateInstances(processId, model.content, orderNos?.length || d.engine.name === 'zeebe' ? known : undefined);
  const out = outcomes.map((o) => ({ ...o, orderNo: orderOf.get(o.instance) ?? null }));
  for (const o of out.filter((x) => x.orderNo)) d.trail.record({ orderNo: o.orderNo, kind: 'operator', component: processId, detail: { action: 'migrate', by: by.actor, to: `model version ${model.id}`, ok: o.ok, ...(o.error ? { reason: o.error } : {}) } });
  await d.trail.flush();
  await d.audit.record({ actorKey: by.actorKey ?? null, actor: by.actor, role: by.role ?? null, unitCode: null, action: `${by.source} migrate`, target: processId, outcome: `${out.filter((o) => o.ok).length}/${out.length} to v${model.id}`.slice(0, 32), source: by.source, requestId: null });
  return out;
}
