/**
 * The order core's rules for what a unit does with the order it holds (DOMAIN.md §4): 签收
 * acknowledge, 退单 return, 延期 ask for more time, and for an urgent order (紧急件) 到场 on site and
 * 进展 progress. `decideUnitAction` is pure: from the order, the steps it already took and the
 * command it returns a refusal (a code and what to do) or a decision (the status change, the
 * history entry with its zh-CN note, the fields to set, the engine messages to send, the task to
 * open). usecases/unit-actions.ts commits a decision in one transaction.
 */
import { canApply, isRefused, type OrderStatus, type Refused, type Transition } from './order.js';
import { chinaTime, STEP_NOTES, type StepCode } from './text.js';

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

/** What the rules read of an order. */
export interface UnitOrder {
  orderNo: string;
  status: OrderStatus;
  unitCode: string | null;
  handlingMode: string | null;
  dispatchSeq: number;
  dueAt: Date | null;
  acknowledgedAt: Date | null;
  onSiteAt: Date | null;
}

/** A step the order took before, as its history keeps it. */
export interface PastStep {
  step: string;
  detail: { unit?: string; dispatchSeq?: number };
}

export interface Unit {
  unit: string;
  unitName: string;
}

export type UnitCommand =
  | { kind: 'acknowledge' }
  | { kind: 'return'; reason: string }
  | { kind: 'requestExtension'; dueAt: Date; reason: string }
  | { kind: 'confirmOnSite' }
  | { kind: 'reportProgress'; note: string; expectedAt?: Date | null };

/** A message the decision hands to the waiting process (usecases/engine-messages.ts builds it). */
export type EngineIntent =
  | { send: 'acknowledge'; suffix?: string }
  | { send: 'return'; reason: string }
  | { send: 'extension-request' }
  | { send: 'on-site' }
  | { send: 'progress' };

export interface UnitDecision {
  transition: Transition;
  /** The history step (also the start of the action's dedup key). */
  step: StepCode;
  note: string;
  detail: Record<string, unknown>;
  set: { acknowledgedAt?: Date; onSiteAt?: Date };
  increment?: 'returnCount' | 'extensionCount';
  engine: EngineIntent[];
  task?: { kind: 'redispatch' | 'extension-approval'; role: 'dispatcher' | 'supervisor'; detail: Record<string, unknown>; dueAt?: Date | null };
}

export type Refusal = Refused<UnitRefusal>;

/** The history step of each command: what a repeat is recognised by. */
export const UNIT_STEPS = { acknowledge: 'acknowledge', return: 'return', requestExtension: 'extension-request', confirmOnSite: 'on-site', reportProgress: 'progress' } as const satisfies Record<UnitCommand['kind'], StepCode>;

const refuse = (refused: UnitRefusal, reason: string): Refusal => ({ refused, reason });

/** Whether a unit may act on the order now at all (its own, not waiting on an extension, in a status the step is allowed from). */
export function mayAct(o: UnitOrder, who: Unit, transition: Transition, step: string): Refusal | null {
  if (o.unitCode !== who.unit) return refuse('NOT_YOUR_ORDER', `order ${o.orderNo} is assigned to ${o.unitCode ?? 'no unit'}, not ${who.unit}`);
  if (o.status === 'extension_requested' && transition !== 'decideExtension') {
    return refuse('EXTENSION_PENDING', `order ${o.orderNo}: your extension request waits for the centre's decision; act again once it is decided`);
  }
  if (!canApply(transition, o.status)) return refuse('NOT_AWAITING_REPLY', `order ${o.orderNo} is ${o.status}; a unit cannot ${step} it now`);
  return null;
}

export function decideUnitAction(o: UnitOrder, who: Unit, cmd: UnitCommand, ctx: { now: Date; history: readonly PastStep[] }): UnitDecision | Refusal {
  const step = UNIT_STEPS[cmd.kind];
  const denied = mayAct(o, who, cmd.kind, step);
  if (denied) return denied;
  const { now } = ctx;
  const acknowledging = o.acknowledgedAt ? {} : { acknowledgedAt: now };
  switch (cmd.kind) {
    case 'acknowledge':
      return { transition: 'acknowledge', step, note: STEP_NOTES.acknowledge(who.unitName), detail: { unit: who.unit, dispatchSeq: o.dispatchSeq }, set: { acknowledgedAt: now }, engine: [{ send: 'acknowledge' }] };
    case 'return': {
      // A unit returns an order once, so that two units cannot hand it back and forth.
      if (ctx.history.some((h) => h.step === 'return' && h.detail.unit === who.unit)) {
        return refuse('RETURN_ALREADY_USED', `order ${o.orderNo} was returned by ${who.unitName} once already; a unit returns an order only once. Handle it, or call the centre`);
      }
      return {
        transition: 'return',
        step,
        note: STEP_NOTES.returned(who.unitName, cmd.reason),
        detail: { unit: who.unit, reason: cmd.reason, dispatchSeq: o.dispatchSeq },
        set: {},
        increment: 'returnCount',
        // The dispatcher's task is the model's to open (open-redispatch), once hard-case.dmn has said the order is not a hard case.
        engine: [{ send: 'return', reason: cmd.reason }],
      };
    }
    case 'requestExtension': {
      if (!o.dueAt || now.getTime() >= o.dueAt.getTime()) return refuse('EXTENSION_TOO_LATE', `order ${o.orderNo} was due ${o.dueAt ? chinaTime(o.dueAt) : '(no deadline)'}; an extension is asked for before the deadline`);
      if (cmd.dueAt.getTime() <= o.dueAt.getTime()) return refuse('EXTENSION_NOT_LATER', `order ${o.orderNo} is due ${chinaTime(o.dueAt)} already; ask for a later date`);
      if (ctx.history.some((h) => h.step === 'extension-request' && h.detail.dispatchSeq === o.dispatchSeq)) {
        return refuse('EXTENSION_ALREADY_REQUESTED', `order ${o.orderNo}: an extension was asked for once on this dispatch already`);
      }
      const detail = { unit: who.unit, unitName: who.unitName, reason: cmd.reason, dueAt: cmd.dueAt.toISOString(), currentDueAt: o.dueAt.toISOString(), dispatchSeq: o.dispatchSeq };
      return {
        transition: 'requestExtension',
        step,
        note: STEP_NOTES.extensionRequested(who.unitName, chinaTime(cmd.dueAt), cmd.reason),
        detail,
        set: acknowledging,
        increment: 'extensionCount',
        engine: [{ send: 'extension-request' }],
        // The supervisor should decide before the current deadline runs out.
        task: { kind: 'extension-approval', role: 'supervisor', detail, dueAt: o.dueAt },
      };
    }
    case 'confirmOnSite':
      if (o.handlingMode !== 'urgent') return refuse('NOT_URGENT', `order ${o.orderNo} is not urgent (紧急件); only an urgent order is confirmed on site`);
      return {
        transition: 'confirmOnSite',
        step,
        note: STEP_NOTES.onSite(who.unitName),
        detail: { unit: who.unit, dispatchSeq: o.dispatchSeq, dueAt: o.dueAt?.toISOString() ?? null, late: !!o.dueAt && now > o.dueAt },
        set: { onSiteAt: now, ...acknowledging },
        // Being on site is also an acknowledgement.
        engine: [{ send: 'on-site' }, ...(o.status === 'dispatched' ? [{ send: 'acknowledge', suffix: 'on-site' } as const] : [])],
      };
    case 'reportProgress': {
      if (o.handlingMode !== 'urgent') return refuse('NOT_URGENT', `order ${o.orderNo} is not urgent (紧急件); progress reports follow urgent orders`);
      if (!o.onSiteAt) return refuse('NOT_ON_SITE', `order ${o.orderNo}: confirm you are on site first (POST /api/v1/orders/${o.orderNo}/on-site)`);
      const expected = cmd.expectedAt ?? null;
      return {
        transition: 'reportProgress',
        step,
        note: STEP_NOTES.progress(who.unitName, cmd.note, expected ? chinaTime(expected) : null),
        detail: { unit: who.unit, note: cmd.note, expectedAt: expected?.toISOString() ?? null, dispatchSeq: o.dispatchSeq },
        set: {},
        engine: [{ send: 'progress' }],
      };
    }
  }
}

export const isRefusal = (d: UnitDecision | Refusal): d is Refusal => isRefused(d);
