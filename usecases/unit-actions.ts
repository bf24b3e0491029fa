/**
 * What a unit does with an order it was sent (DOMAIN.md §4): 签收 acknowledge, 反馈 reply (see
 * submit-reply.ts), 退单 return, 延期 ask for more time. Each is checked on the locked order,
 * recorded, and handed to the waiting process in one transaction; a repeat with the same id is
 * answered as the first one was. A unit acts only on the order it holds now.
 */
import type { WorkOrderRow } from '../infra/db/entities.js';
import { canApply, type Transition } from '../domain/order.js';
import { chinaTime, STEP_NOTES } from '../domain/text.js';
import type { OrderStore, OrderTx } from '../infra/db/orders.js';
import { HubError } from '../infra/errors.js';
import { acknowledgeMessage, extensionRequestMessage, onSiteMessage, progressMessage, returnMessage } from './engine-messages.js';

export type UnitRefusal =
  | 'NOT_YOUR_ORDER'
  | 'NOT_AWAITING_REPLY'
  | 'RETURN_ALREADY_USED'
  | 'EXTENSION_ALREADY_REQUESTED'
  | 'EXTENSION_TOO_LATE'
  | 'EXTENSION_NOT_LATER'
  | 'EXTENSION_PENDING'
  | 'NOT_YOUR_STREET'
  | 'CONFLICT_OF_INTEREST'
  | 'SUB_DUE_NOT_WITHIN'
  | 'HELPER_ANSWERED'
  | 'HELPER_TIMED_OUT'
  | 'NOT_URGENT'
  | 'NOT_ON_SITE';

export class UnitActionRefused extends HubError {
  constructor(code: UnitRefusal, message: string) {
    super(code, message, false);
  }
}

export interface UnitActor {
  /** The action's own id (from the Idempotency-Key or the event id): a repeat is applied once. */
  id: string;
  unit: string;
  unitName: string;
  /** How the history names who did it. */
  actor: string;
}


/** A unit's answer to an order it holds, helps on or was sent on to (三级): a lead's reply, a helper's part, a street's answer. */
export interface UnitReply {
  /** The reply's own id (event id, or derived from the Idempotency-Key): a repeat is applied once. */
  id: string;
  unit: string;
  unitName: string;
  result: string;
  handledBy: string;
  repliedAt: string;
}

/**
 * Runs a unit's action on the locked order: a repeat is 'duplicate'; another unit's order, or one
 * not in a status the action is allowed from, is refused with what to do.
 */
export async function asUnit(
  store: OrderStore,
  orderNo: string,
  who: UnitActor,
  step: string,
  transition: Transition,
  fn: (order: WorkOrderRow, tx: OrderTx, dedupKey: string) => Promise<void>,
  inbox?: { messageId: string; source: string },
): Promise<'accepted' | 'duplicate'> {
  const dedupKey = `${step}:${who.id}`;
  return store.withOrder(orderNo, async (order, tx) => {
    if (await tx.seen(dedupKey, inbox?.messageId)) return 'duplicate';
    if (order.unitCode !== who.unit) throw new UnitActionRefused('NOT_YOUR_ORDER', `order ${orderNo} is assigned to ${order.unitCode ?? 'no unit'}, not ${who.unit}`);
    if (order.status === 'extension_requested' && transition !== 'decideExtension') {
      throw new UnitActionRefused('EXTENSION_PENDING', `order ${orderNo}: your extension request waits for the centre's decision; act again once it is decided`);
    }
    if (!canApply(transition, order.status)) throw new UnitActionRefused('NOT_AWAITING_REPLY', `order ${orderNo} is ${order.status}; a unit cannot ${step} it now`);
    await fn(order, tx, dedupKey);
    return 'accepted';
  });
}

/** 签收. Acknowledging an order already acknowledged changes nothing. */
export async function acknowledgeOrder(deps: { store: OrderStore; now: () => Date }, orderNo: string, who: UnitActor, inbox?: { messageId: string; source: string }): Promise<'accepted' | 'duplicate'> {
  const order = await deps.store.find(orderNo);
  if (order && order.unitCode === who.unit && order.status === 'acknowledged') return 'duplicate';
  return asUnit(
    deps.store,
    orderNo,
    who,
    'acknowledge',
    'acknowledge',
    async (o, tx, dedupKey) => {
      await tx.apply(
        orderNo,
        { step: 'acknowledge', actor: who.actor, note: STEP_NOTES.acknowledge(who.unitName), detail: { unit: who.unit, dispatchSeq: o.dispatchSeq }, dedupKey },
        { acknowledgedAt: deps.now() },
        [acknowledgeMessage(o.correlationId, o.dispatchSeq, who.id)],
        { transition: 'acknowledge', inbox },
      );
    },
    inbox,
  );
}

/**
 * A step inside the unit's own system (its 派遣, 处置, 核查; the case number it gave), recorded in
 * the order's history as it came: it moves nothing. Only the unit holding the order writes one.
 */
export async function recordUnitNote(deps: { store: OrderStore }, orderNo: string, who: UnitActor, note: string, inbox?: { messageId: string; source: string }): Promise<'accepted' | 'duplicate'> {
  const dedupKey = `unit-note:${who.id}`;
  return deps.store.withOrder(orderNo, async (order, tx) => {
    if (await tx.seen(dedupKey, inbox?.messageId)) return 'duplicate';
    if (order.unitCode !== who.unit) throw new UnitActionRefused('NOT_YOUR_ORDER', `order ${orderNo} is assigned to ${order.unitCode ?? 'no unit'}, not ${who.unit}`);
    await tx.apply(orderNo, { step: 'unit-note', actor: who.actor, note: STEP_NOTES.unitNote(who.unitName, note), detail: { unit: who.unit, note, dispatchSeq: order.dispatchSeq }, dedupKey }, {}, [], { inbox });
    return 'accepted';
  });
}

/**
 * 退单: "not ours", with a reason. The order goes back to a dispatcher (a human task); a unit may
 * return one order once, so that two units cannot hand it back and forth.
 */
export async function returnOrder(deps: { store: OrderStore; now: () => Date }, orderNo: string, who: UnitActor, reason: string, inbox?: { messageId: string; source: string }): Promise<'accepted' | 'duplicate'> {
  return asUnit(
    deps.store,
    orderNo,
    who,
    'return',
    'return',
    async (o, tx, dedupKey) => {
      const before = (await tx.steps(orderNo, 'return')).some((h) => (JSON.parse(h.detail ?? '{}') as { unit?: string }).unit === who.unit);
      if (before) throw new UnitActionRefused('RETURN_ALREADY_USED', `order ${orderNo} was returned by ${who.unitName} once already; a unit returns an order only once. Handle it, or call the centre`);
      await tx.apply(
        orderNo,
        { step: 'return', actor: who.actor, note: STEP_NOTES.returned(who.unitName, reason), detail: { unit: who.unit, reason, dispatchSeq: o.dispatchSeq }, dedupKey },
        { increment: 'returnCount' },
        [returnMessage(o.correlationId, o.dispatchSeq, who.id, reason)],
        { transition: 'return', inbox },
      );
      await tx.openTask({ orderNo, kind: 'redispatch', role: 'dispatcher', detail: { returnedBy: who.unit, returnedByName: who.unitName, reason, dispatchSeq: o.dispatchSeq }, dedupKey: `task:${dedupKey}` });
    },
    inbox,
  );
}

/**
 * 延期: before the deadline, once per dispatch, a later date and a reason. A supervisor decides
 * (a human task); meanwhile the unit's other answers wait.
 */
export async function requestExtension(
  deps: { store: OrderStore; now: () => Date },
  orderNo: string,
  who: UnitActor,
  ask: { dueAt: Date; reason: string },
  inbox?: { messageId: string; source: string },
): Promise<'accepted' | 'duplicate'> {
  return asUnit(
    deps.store,
    orderNo,
    who,
    'extension-request',
    'requestExtension',
    async (o, tx, dedupKey) => {
      const now = deps.now();
      if (!o.dueAt || now.getTime() >= o.dueAt.getTime()) throw new UnitActionRefused('EXTENSION_TOO_LATE', `order ${orderNo} was due ${o.dueAt ? chinaTime(o.dueAt) : '(no deadline)'}; an extension is asked for before the deadline`);
      if (ask.dueAt.getTime() <= o.dueAt.getTime()) throw new UnitActionRefused('EXTENSION_NOT_LATER', `order ${orderNo} is due ${chinaTime(o.dueAt)} already; ask for a later date`);
      const asked = (await tx.steps(orderNo, 'extension-request')).some((h) => (JSON.parse(h.detail ?? '{}') as { dispatchSeq?: number }).dispatchSeq === o.dispatchSeq);
      if (asked) throw new UnitActionRefused('EXTENSION_ALREADY_REQUESTED', `order ${orderNo}: an extension was asked for once on this dispatch already`);
      const detail = { unit: who.unit, unitName: who.unitName, reason: ask.reason, dueAt: ask.dueAt.toISOString(), currentDueAt: o.dueAt.toISOString(), dispatchSeq: o.dispatchSeq };
      await tx.apply(
        orderNo,
        { step: 'extension-request', actor: who.actor, note: STEP_NOTES.extensionRequested(who.unitName, chinaTime(ask.dueAt), ask.reason), detail, dedupKey },
        { increment: 'extensionCount', ...(o.acknowledgedAt ? {} : { acknowledgedAt: now }) },
        [extensionRequestMessage(o.correlationId, o.dispatchSeq, who.id)],
        { transition: 'requestExtension', inbox },
      );
      // The supervisor should decide before the current deadline runs out.
      await tx.openTask({ orderNo, kind: 'extension-approval', role: 'supervisor', detail, dedupKey: `task:${dedupKey}`, dueAt: o.dueAt });
    },
    inbox,
  );
}

/**
 * 紧急件 到场: the unit confirms it is on site (within the order's 30 minutes, else it has been
 * supervised already; a late confirmation is still recorded). It is also an acknowledgement.
 * Confirming again changes nothing.
 */
export async function confirmOnSite(deps: { store: OrderStore; now: () => Date }, orderNo: string, who: UnitActor): Promise<'accepted' | 'duplicate'> {
  const order = await deps.store.find(orderNo);
  if (order && order.unitCode === who.unit && order.onSiteAt) return 'duplicate';
  return asUnit(deps.store, orderNo, who, 'on-site', 'confirmOnSite', async (o, tx, dedupKey) => {
    if (o.handlingMode !== 'urgent') throw new UnitActionRefused('NOT_URGENT', `order ${orderNo} is not urgent (紧急件); only an urgent order is confirmed on site`);
    const now = deps.now();
    await tx.apply(
      orderNo,
      { step: 'on-site', actor: who.actor, note: STEP_NOTES.onSite(who.unitName), detail: { unit: who.unit, dispatchSeq: o.dispatchSeq, dueAt: o.dueAt?.toISOString() ?? null, late: !!o.dueAt && now > o.dueAt }, dedupKey },
      { onSiteAt: now, ...(o.acknowledgedAt ? {} : { acknowledgedAt: now }) },
      [onSiteMessage(o.correlationId, o.dispatchSeq, who.id), ...(o.status === 'dispatched' ? [acknowledgeMessage(o.correlationId, o.dispatchSeq, `on-site:${who.id}`)] : [])],
      { transition: 'confirmOnSite' },
    );
  });
}

/**
 * 紧急件 进展: once on site, a unit that cannot finish at once reports how it goes and, when it
 * knows, the time it needs; the order is followed with such reports until the unit answers.
 */
export async function reportProgress(deps: { store: OrderStore; now: () => Date }, orderNo: string, who: UnitActor, report: { note: string; expectedAt?: Date }): Promise<'accepted' | 'duplicate'> {
  return asUnit(deps.store, orderNo, who, 'progress', 'reportProgress', async (o, tx, dedupKey) => {
    if (o.handlingMode !== 'urgent') throw new UnitActionRefused('NOT_URGENT', `order ${orderNo} is not urgent (紧急件); progress reports follow urgent orders`);
    if (!o.onSiteAt) throw new UnitActionRefused('NOT_ON_SITE', `order ${orderNo}: confirm you are on site first (POST /api/v1/orders/${orderNo}/on-site)`);
    const expected = report.expectedAt ?? null;
    await tx.apply(
      orderNo,
      { step: 'progress', actor: who.actor, note: STEP_NOTES.progress(who.unitName, report.note, expected ? chinaTime(expected) : null), detail: { unit: who.unit, note: report.note, expectedAt: expected?.toISOString() ?? null, dispatchSeq: o.dispatchSeq }, dedupKey },
      {},
      [progressMessage(o.correlationId, o.dispatchSeq, who.id)],
      { transition: 'reportProgress' },
    );
  });
}
