/**
 * What a unit does with an order it was sent (DOMAIN.md §4): 签收 acknowledge, 反馈 reply (see
 * submit-reply.ts), 退单 return, 延期 ask for more time. Each is checked on the locked order,
 * recorded, and handed to the waiting process in one transaction; a repeat with the same id is
 * answered as the first one was. A unit acts only on the order it holds now.
 */
import type { HistoryRow, WorkOrderRow } from './ports.js';
import type { Transition } from '../domain/order.js';
import { decideUnitAction, isRefusal, mayAct, UNIT_STEPS, type EngineIntent, type UnitCommand, type UnitRefusal } from '../domain/unit-actions.js';
import type { InboxEntry, OrderStore, OrderTx, OutboxMessage } from './ports.js';
import { STEP_NOTES } from '../domain/text.js';
import { HubError } from './errors.js';
import { acknowledgeMessage, extensionRequestMessage, onSiteMessage, progressMessage, returnMessage } from './engine-messages.js';

export type { UnitRefusal } from '../domain/unit-actions.js';

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
  /** 附件: the unit's files that go with it (their ids), and the unit leader who signed it off. */
  attachments?: string[];
  signedOffBy?: string;
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
  inbox?: InboxEntry,
): Promise<'accepted' | 'duplicate'> {
  const dedupKey = `${step}:${who.id}`;
  return store.withOrder(orderNo, async (order, tx) => {
    if (await tx.seen(dedupKey, inbox?.messageId)) return 'duplicate';
    const denied = mayAct({ ...order, orderNo }, who, transition, step);
    if (denied) throw new UnitActionRefused(denied.refused, denied.reason);
    await fn(order, tx, dedupKey);
    return 'accepted';
  });
}

/** The engine message of a decision's intent, keyed by the action's own id. */
function engineMessage(o: WorkOrderRow, who: UnitActor, m: EngineIntent): OutboxMessage {
  switch (m.send) {
    case 'acknowledge':
      return acknowledgeMessage(o.correlationId, o.dispatchSeq, m.suffix ? `${m.suffix}:${who.id}` : who.id);
    case 'return':
      return returnMessage(o.correlationId, o.dispatchSeq, who.id, m.reason, o.returnCount + 1);
    case 'extension-request':
      return extensionRequestMessage(o.correlationId, o.dispatchSeq, who.id);
    case 'on-site':
      return onSiteMessage(o.correlationId, o.dispatchSeq, who.id);
    case 'progress':
      return progressMessage(o.correlationId, o.dispatchSeq, who.id);
  }
}

const pastStep = (h: HistoryRow) => ({ step: h.step, detail: JSON.parse(h.detail ?? '{}') as { unit?: string; dispatchSeq?: number } });

/**
 * Decides a unit's action on the locked order (domain/unit-actions.ts) and commits the decision:
 * the status change, the history entry, the engine messages, the inbox record and any task, in one
 * transaction. A repeat of the same action id is 'duplicate'; a refusal is thrown with what to do.
 */
async function commitUnitAction(deps: { store: OrderStore; now: () => Date }, orderNo: string, who: UnitActor, cmd: UnitCommand, inbox?: InboxEntry): Promise<'accepted' | 'duplicate'> {
  const dedupKey = `${UNIT_STEPS[cmd.kind]}:${who.id}`;
  return deps.store.commit(
    orderNo,
    dedupKey,
    async (o, read) => {
      const history = cmd.kind === 'return' || cmd.kind === 'requestExtension' ? (await read.steps(UNIT_STEPS[cmd.kind])).map(pastStep) : [];
      const d = decideUnitAction({ ...o, orderNo }, who, cmd, { now: deps.now(), history });
      if (isRefusal(d)) throw new UnitActionRefused(d.refused, d.reason);
      return {
        entry: { step: d.step, actor: who.actor, note: d.note, detail: d.detail },
        patch: { ...d.set, ...(d.increment ? { increment: d.increment } : {}) },
        outbox: d.engine.map((m) => engineMessage(o, who, m)),
        opts: {
          transition: d.transition,
          ...(d.task ? { openTask: { orderNo, kind: d.task.kind, role: d.task.role, detail: d.task.detail, dedupKey: `task:${dedupKey}`, ...(d.task.dueAt !== undefined ? { dueAt: d.task.dueAt } : {}) } } : {}),
        },
      };
    },
    inbox ? { inbox } : {},
  );
}

/** 签收. Acknowledging an order already acknowledged changes nothing. */
export async function acknowledgeOrder(deps: { store: OrderStore; now: () => Date }, orderNo: string, who: UnitActor, inbox?: InboxEntry): Promise<'accepted' | 'duplicate'> {
  const order = await deps.store.find(orderNo);
  if (order && order.unitCode === who.unit && order.status === 'acknowledged') return 'duplicate';
  return commitUnitAction(deps, orderNo, who, { kind: 'acknowledge' }, inbox);
}

/**
 * A step inside the unit's own system (its 派遣, 处置, 核查; the case number it gave), recorded in
 * the order's history as it came: it moves nothing. Only the unit holding the order writes one.
 */
export async function recordUnitNote(deps: { store: OrderStore }, orderNo: string, who: UnitActor, note: string, inbox?: InboxEntry): Promise<'accepted' | 'duplicate'> {
  return deps.store.commit(
    orderNo,
    `unit-note:${who.id}`,
    (order) => {
      if (order.unitCode !== who.unit) throw new UnitActionRefused('NOT_YOUR_ORDER', `order ${orderNo} is assigned to ${order.unitCode ?? 'no unit'}, not ${who.unit}`);
      return { entry: { step: 'unit-note', actor: who.actor, note: STEP_NOTES.unitNote(who.unitName, note), detail: { unit: who.unit, note, dispatchSeq: order.dispatchSeq } } };
    },
    inbox ? { inbox } : {},
  );
}

/**
 * 退单: "not ours", with a reason. The order goes back to a dispatcher (a human task); a unit may
 * return one order once, so that two units cannot hand it back and forth.
 */
export function returnOrder(deps: { store: OrderStore; now: () => Date }, orderNo: string, who: UnitActor, reason: string, inbox?: InboxEntry): Promise<'accepted' | 'duplicate'> {
  return commitUnitAction(deps, orderNo, who, { kind: 'return', reason }, inbox);
}

/**
 * 延期: before the deadline, once per dispatch, a later date and a reason. A supervisor decides
 * (a human task); meanwhile the unit's other answers wait.
 */
export function requestExtension(
  deps: { store: OrderStore; now: () => Date },
  orderNo: string,
  who: UnitActor,
  ask: { dueAt: Date; reason: string },
  inbox?: InboxEntry,
): Promise<'accepted' | 'duplicate'> {
  return commitUnitAction(deps, orderNo, who, { kind: 'requestExtension', ...ask }, inbox);
}

/**
 * 紧急件 到场: the unit confirms it is on site (within the order's 30 minutes, else it has been
 * supervised already; a late confirmation is still recorded). It is also an acknowledgement.
 * Confirming again changes nothing.
 */
export async function confirmOnSite(deps: { store: OrderStore; now: () => Date }, orderNo: string, who: UnitActor): Promise<'accepted' | 'duplicate'> {
  const order = await deps.store.find(orderNo);
  if (order && order.unitCode === who.unit && order.onSiteAt) return 'duplicate';
  return commitUnitAction(deps, orderNo, who, { kind: 'confirmOnSite' });
}

/**
 * 紧急件 进展: once on site, a unit that cannot finish at once reports how it goes and, when it
 * knows, the time it needs; the order is followed with such reports until the unit answers.
 */
export function reportProgress(deps: { store: OrderStore; now: () => Date }, orderNo: string, who: UnitActor, report: { note: string; expectedAt?: Date }): Promise<'accepted' | 'duplicate'> {
  return commitUnitAction(deps, orderNo, who, { kind: 'reportProgress', ...report });
}
