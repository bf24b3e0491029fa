/**
 * The order core's rules for what a person at the centre decides on an order (DOMAIN.md §4–5):
 * 人工派单 a dispatcher assigns an order the rules could not place, 回访 a callback agent records
 * the citizen's satisfaction. Pure, as unit-actions.ts is for the units: from the order and the
 * command, a refusal (a code and what to do) or a decision (the transition, the history entry with
 * its zh-CN note, the fields to set, the engine message to send). The use cases commit a decision
 * in one transaction (OrderStore.commit).
 */
import { canApply, MODE_LIMITS, type DispatchMode, type OrderStatus, type Refused, type Satisfaction, type Transition } from './order.js';
import { STEP_NOTES } from './text.js';

export interface CentreOrder {
  orderNo: string;
  status: OrderStatus;
  /** The unit the citizen complains about (回避): it never handles the order. */
  complainedUnit: string | null;
}

interface Decision<Step extends string, Set, Engine> {
  transition: Transition;
  /** The history step (also the start of the action's dedup key). */
  step: Step;
  note: string;
  detail: Record<string, unknown>;
  set: Set;
  /** What the waiting process is handed (usecases/engine-messages.ts builds the message). */
  engine: Engine;
}

export type AssignDecision = Decision<'assign', { handlingMode: DispatchMode; unitCode: string }, { mode: DispatchMode; unit: string; workingDays: number | null; minutes: number | null }>;
export type CallbackDecision = Decision<'callback', { satisfaction: Satisfaction; resolved: boolean | null }, { satisfaction: Satisfaction }>;

/** 人工派单: the dispatcher's unit and handling mode for an order waiting for one. */
export function decideAssign(o: CentreOrder, cmd: { unit: { code: string; name: string }; mode: DispatchMode; reason: string }): AssignDecision | Refused<'NOT_AWAITING_ASSIGNMENT' | 'CONFLICT_OF_INTEREST'> {
  if (!canApply('assign', o.status)) {
    return { refused: 'NOT_AWAITING_ASSIGNMENT', reason: `order ${o.orderNo} is ${o.status}; only an order waiting for a dispatcher is assigned by hand` };
  }
  // 回避 is law: whatever the dispatcher says.
  if (o.complainedUnit === cmd.unit.code) {
    return { refused: 'CONFLICT_OF_INTEREST', reason: `order ${o.orderNo} complains about ${cmd.unit.name}; it may not handle it (回避). Choose another unit` };
  }
  const dispatch = { mode: cmd.mode, unit: cmd.unit.code, ...MODE_LIMITS[cmd.mode] };
  return {
    transition: 'assign',
    step: 'assign',
    note: STEP_NOTES.assign(cmd.unit.name, cmd.mode),
    detail: { ...dispatch, reason: cmd.reason },
    set: { handlingMode: cmd.mode, unitCode: cmd.unit.code },
    engine: dispatch,
  };
}

/**
 * 回访: the citizen's satisfaction, and whether the problem was solved (解决: asked apart, since a
 * citizen may be satisfied with the unit's attitude and still have the problem; null when not
 * asked), for an order waiting for its callback. The process goes on by the satisfaction.
 */
export function decideCallback(o: CentreOrder, cmd: { satisfaction: Satisfaction; note: string; resolved?: boolean | null }): CallbackDecision | Refused<'NOT_AWAITING_CALLBACK'> {
  if (!canApply('callback', o.status)) return { refused: 'NOT_AWAITING_CALLBACK', reason: `order ${o.orderNo} is ${o.status}, not waiting for a callback` };
  return {
    transition: 'callback',
    step: 'callback',
    note: STEP_NOTES.callback(cmd.satisfaction, cmd.resolved ?? null),
    detail: { satisfaction: cmd.satisfaction, resolved: cmd.resolved ?? null, note: cmd.note },
    set: { satisfaction: cmd.satisfaction, resolved: cmd.resolved ?? null },
    engine: { satisfaction: cmd.satisfaction },
  };
}
