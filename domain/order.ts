/**
 * A work order's terms, each defined once: its number, its statuses and the transitions between
 * them, the satisfaction a callback records. Pure: no I/O.
 */
import { chinaDate } from './deadline.js';

export const ORDER_STATUSES = [
  'accepted', // 受理
  'awaiting_assignment', // 待人工派单: the rules could not pick a unit (回避 without a supervising unit)
  'assigned', // 已人工派单: a dispatcher chose the unit
  'answered', // 当即答复
  'referred', // 引导: told where to turn
  'forwarded', // 转阅: sent to a unit for reference, no reply due
  'coordinating', // 协调办理: the centre has convened the units; a supervisor records the outcome
  'coordinated', // 协调完成
  'dispatched', // 已派单, waiting for the unit to acknowledge (签收)
  'acknowledged', // 已签收, in handling
  'extension_requested', // 延期申请, waiting for a supervisor's decision
  'sub_dispatched', // 已下派: the district sent it on to one of its streets (level 3), which handles it
  'sub_replied', // 街道已反馈: the street's answer waits for the district's review before it goes up
  'returned', // 已退单, waiting for a dispatcher (改派, or the rules again)
  'return_disputed', // 退单有争议, waiting for a supervisor's review
  'replied', // 单位已反馈
  'awaiting_callback', // 待回访
  'callback_done', // 已回访: satisfaction recorded, the process decides close or redo
  'redoing', // 重办: the answer was rejected at review or the citizen unsatisfied; about to go back to the unit
  'closed', // 办结
  'merged', // 重复件: a repeat call, merged into the open order it repeats
  'handed_over', // 紧急移交: handed to an emergency line (110/119/120/122), waiting for its acknowledgement
  'transferred', // 已移交: the emergency line took it; the hotline's part is done
  'cancelled', // 已撤销: an operator ended it with a reason (a test call, a duplicate nobody merged, an instance beyond repair)
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses an order does not leave: no process instance runs for it any more. */
export const DONE_STATUSES = ['closed', 'answered', 'merged', 'transferred', 'cancelled'] as const satisfies readonly OrderStatus[];
const OPEN_STATUSES = ORDER_STATUSES.filter((s) => !(DONE_STATUSES as readonly string[]).includes(s));

/**
 * Who may move an order from which status to which: the one table every status change is checked
 * against. The store applies it as a conditional update (`... WHERE status IN (from)`), so two
 * racing messages cannot both win.
 */
export const TRANSITIONS = {
  classify: { from: ['accepted', 'returned'], to: 'accepted' }, // returned: a dispatcher let the rules pick again
  awaitAssignment: { from: ['accepted', 'returned'], to: 'awaiting_assignment' },
  assign: { from: ['awaiting_assignment'], to: 'assigned' },
  answer: { from: ['accepted'], to: 'answered' },
  refer: { from: ['accepted'], to: 'referred' },
  forward: { from: ['accepted'], to: 'forwarded' },
  convene: { from: ['accepted'], to: 'coordinating' },
  recordCoordination: { from: ['coordinating'], to: 'coordinated' },
  dispatch: { from: ['accepted', 'assigned', 'redoing'], to: 'dispatched' },
  acknowledge: { from: ['dispatched'], to: 'acknowledged' },
  confirmOnSite: { from: ['dispatched', 'acknowledged'], to: 'acknowledged' }, // 紧急件: on site (and so acknowledged)
  reportProgress: { from: ['acknowledged'], to: 'acknowledged' }, // 紧急件: a progress report until it is answered
  requestExtension: { from: ['dispatched', 'acknowledged'], to: 'extension_requested' },
  decideExtension: { from: ['extension_requested'], to: 'acknowledged' },
  return: { from: ['dispatched', 'acknowledged'], to: 'returned' },
  redispatch: { from: ['returned'], to: 'assigned' }, // 改派: a dispatcher names the unit
  redispatchByRules: { from: ['returned'], to: 'returned' }, // the rules pick again (classify moves it on)
  disputeReturn: { from: ['returned'], to: 'return_disputed' },
  reviewReturn: { from: ['return_disputed'], to: 'assigned' },
  subDispatch: { from: ['dispatched', 'acknowledged'], to: 'sub_dispatched' }, // 下派: a district to one of its streets
  subReply: { from: ['sub_dispatched'], to: 'sub_replied' }, // the street answers its district
  returnToStreet: { from: ['sub_replied'], to: 'sub_dispatched' }, // the district rejects the street's answer
  reportUp: { from: ['sub_replied'], to: 'replied' }, // the district approves it and reports it up as its reply
  reply: { from: ['dispatched', 'acknowledged', 'sub_dispatched'], to: 'replied' }, // a district may answer itself meanwhile
  review: { from: ['replied'], to: 'replied' },
  reviewReply: { from: ['replied'], to: 'replied' }, // a person's review (the process routes on it)
  requestCallback: { from: ['replied'], to: 'awaiting_callback' },
  callback: { from: ['awaiting_callback'], to: 'callback_done' },
  redo: { from: ['callback_done', 'replied'], to: 'redoing' }, // unsatisfied, or rejected at review
  close: { from: ['answered', 'referred', 'forwarded', 'coordinated', 'callback_done'], to: 'closed' },
  handOver: { from: ['accepted', 'handed_over'], to: 'handed_over' }, // again after an acknowledgement did not come in time
  partnerAcknowledge: { from: ['handed_over'], to: 'handed_over' },
  transfer: { from: ['handed_over'], to: 'transferred' },
  cancel: { from: OPEN_STATUSES, to: 'cancelled' }, // 撤销: an operator, with a reason; its instance is cancelled first
} as const satisfies Record<string, { from: readonly OrderStatus[]; to: OrderStatus }>;
export type Transition = keyof typeof TRANSITIONS;

export const canApply = (t: Transition, status: OrderStatus): boolean => (TRANSITIONS[t].from as readonly string[]).includes(status);

export const SATISFACTIONS = ['satisfied', 'basically-satisfied', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

export const ORDER_NO = /^GD\d{14}$/;

/** GD + the China date of acceptance + the row id: unique, sortable, readable on the phone. */
export const formatOrderNo = (acceptedAt: Date, rowId: string | number): string =>
  `GD${chinaDate(acceptedAt).replace(/-/g, '')}${String(rowId).padStart(6, '0').slice(-6)}`;

/** The round of dispatch an order is in: 1 for the first dispatch, 2 after one redo. */
export const roundOf = (redoCount: number): number => redoCount + 1;

/**
 * Message correlation keys. Zeebe matches on name and key across everything one broker serves
 * (several databases, staging and production), so keys carry the order's random correlation id,
 * never its number; and the round, so that a late or repeated reply can never complete the next.
 */
export const correlationKeys = {
  start: (correlationId: string): string => correlationId,
  /** A unit's reply, return or extension request: keyed to one dispatch. */
  unit: (correlationId: string, dispatchSeq: number): string => `${correlationId}:unit:${dispatchSeq}`,
  acknowledge: (correlationId: string, dispatchSeq: number): string => `${correlationId}:ack:${dispatchSeq}`,
  /** 紧急移交: the emergency line's acknowledgement of the hand-over, whichever attempt it answers. */
  handover: (correlationId: string): string => `${correlationId}:handover`,
  onSite: (correlationId: string, dispatchSeq: number): string => `${correlationId}:on-site:${dispatchSeq}`,
  progress: (correlationId: string, dispatchSeq: number): string => `${correlationId}:progress:${dispatchSeq}`,
  /** 三级: the district's sub-dispatch, its street's answers and the district's reviews, within one dispatch. */
  subDispatch: (correlationId: string, dispatchSeq: number): string => `${correlationId}:sub:${dispatchSeq}`,
  streetReply: (correlationId: string, dispatchSeq: number): string => `${correlationId}:street:${dispatchSeq}`,
  streetReview: (correlationId: string, dispatchSeq: number): string => `${correlationId}:street-review:${dispatchSeq}`,
  /** 协办: one helper unit's answer on one dispatch. */
  helper: (correlationId: string, unit: string, dispatchSeq: number): string => `${correlationId}:helper:${unit}:${dispatchSeq}`,
  extension: (correlationId: string, dispatchSeq: number): string => `${correlationId}:extension:${dispatchSeq}`,
  redispatch: (correlationId: string, dispatchSeq: number): string => `${correlationId}:redispatch:${dispatchSeq}`,
  returnReview: (correlationId: string, dispatchSeq: number): string => `${correlationId}:return-review:${dispatchSeq}`,
  coordination: (correlationId: string): string => `${correlationId}:coordination`,
  review: (correlationId: string, dispatchSeq: number): string => `${correlationId}:review:${dispatchSeq}`,
  callback: (correlationId: string, redoCount: number): string => `${correlationId}:callback:${redoCount}`,
  assign: (correlationId: string): string => `${correlationId}:assign`,
};

/** The time limit of each handling mode a dispatcher can choose (DOMAIN.md §3); the DMN sets its own per rule. */
export const MODE_LIMITS = {
  'phone-dispatch': { workingDays: 3, minutes: null },
  'written-dispatch': { workingDays: 7, minutes: null },
  urgent: { workingDays: null, minutes: 30 },
} as const;
export type DispatchMode = keyof typeof MODE_LIMITS;
