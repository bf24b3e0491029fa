/**
 * The order core's terms, each defined once: the order number, the statuses with their phases and
 * every list derived from them, the transitions between them, the messages that end the models'
 * waits and where the order stands meanwhile (WAITS), correlation keys, the satisfaction a
 * callback records. Pure: no I/O. What a unit may do is decided in unit-actions.ts.
 */
import { chinaDate } from './deadline.js';

/**
 * Who moves an order on from where it stands: every status belongs to one phase, and every list of
 * statuses the hub needs (what a unit still owes, what the stuck detector watches, what the console
 * may cancel) is derived from the phases below, never kept by hand.
 */
export type Phase =
  /** The process moves it on by itself within seconds: a job or a decision follows at once. */
  | 'engine'
  /** A unit holds it and owes the answer; the deadline's timers run (a district whose street works on it still owes). */
  | 'unit'
  /** The unit's answer is with the process's review (review-policy.dmn, then a person or not). */
  | 'review'
  /** A person at the centre decides: a dispatcher, a supervisor, a callback agent. */
  | 'person'
  /** An emergency line (110/119/120/122) has it and its acknowledgement is awaited. */
  | 'partner'
  /** It does not leave this status: no process instance runs for it any more. */
  | 'done';

interface StatusInfo {
  /** The name a centre's staff read (console, reports). */
  zh: string;
  phase: Phase;
  /** Outside the 'unit' phase, units still have it in hand or are about to get it back: a cancellation tells them (撤单通知). */
  unitsInvolved?: true;
}

/** The statuses of a work order, in the order of its life. */
export const STATUSES = {
  accepted: { zh: '受理', phase: 'engine' }, // 受理
  awaiting_assignment: { zh: '待人工派单', phase: 'person' }, // the rules could not pick a unit (回避 without a supervising unit)
  assigned: { zh: '已人工派单', phase: 'engine' }, // a dispatcher chose the unit
  answered: { zh: '当即答复', phase: 'done' },
  referred: { zh: '引导', phase: 'engine' }, // told where to turn; the process closes it
  forwarded: { zh: '转阅', phase: 'engine' }, // sent to a unit for reference, no reply due; the process closes it
  coordinating: { zh: '协调中', phase: 'person' }, // 协调办理: the centre has convened the units; a supervisor records the outcome
  coordinated: { zh: '协调完成', phase: 'engine' },
  dispatched: { zh: '已派单', phase: 'unit' }, // waiting for the unit to acknowledge (签收)
  acknowledged: { zh: '已签收', phase: 'unit' }, // in handling
  extension_requested: { zh: '延期申请', phase: 'unit' }, // a supervisor decides; the unit keeps it and its deadline runs on
  sub_dispatched: { zh: '已下派', phase: 'unit' }, // the district sent it on to one of its streets (level 3)
  sub_replied: { zh: '街道已反馈', phase: 'unit' }, // the street's answer waits for the district's review before it goes up
  returned: { zh: '已退单', phase: 'person' }, // waiting for a dispatcher (改派, or the rules again)
  consulting: { zh: '疑难件会诊', phase: 'person', unitsInvolved: true }, // 疑难件: the units convened; a supervisor records the consultation's decision
  return_disputed: { zh: '退单争议', phase: 'person', unitsInvolved: true }, // a supervisor's review may send it back to the unit
  replied: { zh: '单位已反馈', phase: 'review' },
  awaiting_callback: { zh: '待回访', phase: 'person' },
  callback_done: { zh: '已回访', phase: 'engine' }, // satisfaction recorded, the process decides close or redo
  redoing: { zh: '重办', phase: 'engine', unitsInvolved: true }, // rejected at review, the citizen unsatisfied, or a failed spot check; going back to the unit
  closed: { zh: '办结', phase: 'done' },
  merged: { zh: '重复件', phase: 'done' }, // a repeat call, merged into the open order it repeats
  handed_over: { zh: '紧急移交中', phase: 'partner' }, // handed to an emergency line, waiting for its acknowledgement
  transferred: { zh: '已移交', phase: 'done' }, // the emergency line took it; the hotline's part is done
  cancelled: { zh: '已撤销', phase: 'done' }, // an operator ended it with a reason
} as const satisfies Record<string, StatusInfo>;
export type OrderStatus = keyof typeof STATUSES;
export const ORDER_STATUSES = Object.keys(STATUSES) as OrderStatus[];

const info = (s: OrderStatus): StatusInfo => STATUSES[s];
/** The statuses of these phases, in the order of the order's life. */
export const statusesIn = (...phases: Phase[]): OrderStatus[] => ORDER_STATUSES.filter((s) => phases.includes(info(s).phase));
export const phaseOf = (s: OrderStatus): Phase => info(s).phase;
export const isDone = (s: string): boolean => (STATUSES as Record<string, StatusInfo>)[s]?.phase === 'done';

/** Statuses an order does not leave: no process instance runs for it any more. */
export const DONE_STATUSES = statusesIn('done');
export const OPEN_STATUSES = ORDER_STATUSES.filter((s) => !isDone(s));
/** A unit still owes an answer (chases and supervision apply; the deadline's timers run). */
export const OWING_STATUSES = statusesIn('unit');
/** Helping units' answers are taken: from the dispatch until the lead's reply has gone on past review. */
export const HELPING_STATUSES = statusesIn('unit', 'review');
/** Units have it in hand, or are about to get it back: a cancellation tells them (撤单通知). */
export const UNITS_INVOLVED_STATUSES = ORDER_STATUSES.filter((s) => info(s).phase === 'unit' || info(s).unitsInvolved === true);
/** The process leaves these by itself, within seconds: unchanged for long, the order is stuck. */
export const ENGINE_STATUSES = statusesIn('engine');
/**
 * The process runs a job at once when the message that brought the order here arrives (classify,
 * dispatch, review, callback, close): a message delivered with no job run since was not taken.
 */
export const ACTING_STATUSES = statusesIn('engine', 'review');

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
  referToConsultation: { from: ['return_disputed'], to: 'return_disputed' }, // a supervisor makes it a hard case (the model convenes)
  consult: { from: ['returned', 'return_disputed'], to: 'consulting' }, // 疑难件: hard-case.dmn said so, or a supervisor did
  decideConsultation: { from: ['consulting'], to: 'assigned' }, // 会诊: the lead unit and the longer deadline decided
  subDispatch: { from: ['dispatched', 'acknowledged'], to: 'sub_dispatched' }, // 下派: a district to one of its streets
  subReply: { from: ['sub_dispatched'], to: 'sub_replied' }, // the street answers its district
  returnToStreet: { from: ['sub_replied'], to: 'sub_dispatched' }, // the district rejects the street's answer
  reportUp: { from: ['sub_replied'], to: 'replied' }, // the district approves it and reports it up as its reply
  reply: { from: ['dispatched', 'acknowledged', 'sub_dispatched'], to: 'replied' }, // a district may answer itself meanwhile
  review: { from: ['replied'], to: 'replied' },
  reviewReply: { from: ['replied'], to: 'replied' }, // a person's review (the process routes on it)
  requestCallback: { from: ['replied'], to: 'awaiting_callback' },
  callback: { from: ['awaiting_callback'], to: 'callback_done' },
  redo: { from: ['callback_done', 'replied', 'redoing'], to: 'redoing' }, // unsatisfied, rejected at review, or reopened (redoing already)
  reopen: { from: ['closed'], to: 'redoing' }, // 抽查不合格: a supervisor's spot check failed the answer; a new instance redoes it
  close: { from: ['answered', 'referred', 'forwarded', 'coordinated', 'callback_done'], to: 'closed' },
  handOver: { from: ['accepted', 'handed_over'], to: 'handed_over' }, // again after an acknowledgement did not come in time
  partnerAcknowledge: { from: ['handed_over'], to: 'handed_over' },
  transfer: { from: ['handed_over'], to: 'transferred' },
  cancel: { from: OPEN_STATUSES, to: 'cancelled' }, // 撤销: an operator, with a reason; its instance is cancelled first
  merge: { from: OPEN_STATUSES, to: 'merged' }, // 合并: the centre finds it the same matter as another open order; its instance is cancelled first
  split: { from: ['merged'], to: 'accepted' }, // 拆分: a merged call is a matter of its own after all; a new instance takes it from the start
} as const satisfies Record<string, { from: readonly OrderStatus[]; to: OrderStatus }>;
export type Transition = keyof typeof TRANSITIONS;

/** The messages that end the models' waits (their names in bpmn/), and the start message. */
export const MESSAGES = {
  start: 'order-accepted',
  /** 抽查不合格: a closed order starts again as a redo (a second message start event of work-order). */
  reopen: 'order-reopened',
  unitResponse: 'unit-response',
  acknowledge: 'unit-acknowledge',
  subDispatched: 'sub-dispatched',
  streetReply: 'street-reply',
  streetReviewed: 'street-reviewed',
  helperReply: 'helper-reply',
  onSite: 'unit-on-site',
  progress: 'progress-report',
  extensionDecided: 'extension-decided',
  redispatch: 'redispatch',
  returnReviewed: 'return-reviewed',
  replyReviewed: 'reply-reviewed',
  coordinationRecorded: 'coordination-recorded',
  consultationDecided: 'consultation-decided',
  callback: 'citizen-callback',
  assign: 'manual-dispatch',
  partnerAcknowledged: 'partner-acknowledged',
} as const;

interface Wait {
  message: (typeof MESSAGES)[keyof typeof MESSAGES];
  /** Where the order stands while the instance waits here. */
  statuses: readonly OrderStatus[];
  /** The steps whose message ends the wait: each is allowed only where the model waits for it. */
  by: readonly Transition[];
}

/**
 * Where the models wait for the world (each receive task of bpmn/, as process/element), the message
 * that ends each wait, the statuses the order is in meanwhile and the steps that send the message.
 * The BPMN stays the only router; this says what the core expects of it, and
 * test/bpmn/waits.unit.test.ts fails when a model and the core disagree.
 */
export const WAITS: Record<string, Wait> = {
  'work-order/wait-manual-dispatch': { message: MESSAGES.assign, statuses: ['awaiting_assignment'], by: ['assign'] },
  'work-order/wait-coordination': { message: MESSAGES.coordinationRecorded, statuses: ['coordinating'], by: ['recordCoordination'] },
  'work-order/wait-redispatch': { message: MESSAGES.redispatch, statuses: ['returned'], by: ['redispatch', 'redispatchByRules', 'disputeReturn'] },
  'work-order/wait-return-review': { message: MESSAGES.returnReviewed, statuses: ['return_disputed'], by: ['reviewReturn', 'referToConsultation'] },
  'work-order/wait-consultation': { message: MESSAGES.consultationDecided, statuses: ['consulting'], by: ['decideConsultation'] },
  'work-order/wait-reply-review': { message: MESSAGES.replyReviewed, statuses: ['replied'], by: ['reviewReply'] },
  'work-order/wait-callback': { message: MESSAGES.callback, statuses: ['awaiting_callback'], by: ['callback'] },
  'handle-order/wait-acknowledge': { message: MESSAGES.acknowledge, statuses: ['dispatched'], by: ['acknowledge'] },
  'handle-order/wait-unit-response': { message: MESSAGES.unitResponse, statuses: ['dispatched', 'acknowledged', 'sub_dispatched', 'sub_replied'], by: ['reply', 'return', 'requestExtension'] },
  'handle-order/wait-extension-decision': { message: MESSAGES.extensionDecided, statuses: ['extension_requested'], by: ['decideExtension'] },
  'handle-order/wait-on-site': { message: MESSAGES.onSite, statuses: ['dispatched', 'acknowledged'], by: ['confirmOnSite'] },
  'handle-order/wait-progress': { message: MESSAGES.progress, statuses: ['acknowledged'], by: ['reportProgress'] },
  'handle-order/wait-sub-dispatch': { message: MESSAGES.subDispatched, statuses: ['dispatched', 'acknowledged'], by: ['subDispatch'] },
  'street-handling/wait-street-reply': { message: MESSAGES.streetReply, statuses: ['sub_dispatched'], by: ['subReply'] },
  'street-handling/wait-street-review': { message: MESSAGES.streetReviewed, statuses: ['sub_replied'], by: ['returnToStreet', 'reportUp'] },
  // A helper's answer changes no status: it is taken while the dispatch is at its units.
  'co-handling/wait-helper': { message: MESSAGES.helperReply, statuses: HELPING_STATUSES, by: [] },
  'emergency-handover/wait-partner-ack': { message: MESSAGES.partnerAcknowledged, statuses: ['handed_over'], by: ['partnerAcknowledge'] },
};

export const canApply = (t: Transition, status: OrderStatus): boolean => (TRANSITIONS[t].from as readonly OrderStatus[]).includes(status);

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
  /** A closed order reopened after a failed spot check: one start per check. */
  reopen: (correlationId: string, checkId: string): string => `${correlationId}:reopen:${checkId}`,
  /** A merged call split off to be an order of its own: one start per split. */
  split: (correlationId: string, splitId: string): string => `${correlationId}:split:${splitId}`,
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
  /** 疑难件会诊: the decision on the dispatch the units returned. */
  consultation: (correlationId: string, dispatchSeq: number): string => `${correlationId}:consultation:${dispatchSeq}`,
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

/** A rule's no: its code (the API's error code) and what to do, in words a caller can act on. */
export interface Refused<Code extends string> {
  refused: Code;
  reason: string;
}

export const isRefused = <D extends object, C extends string>(d: D | Refused<C>): d is Refused<C> => 'refused' in d;
