/**
 * The order core's rules for the hub's alarms about a unit (DOMAIN.md §4): 催签收 not acknowledged
 * in time, 提醒 the deadline is near, 催办 it has come, 督办 it has passed (the duty leader too),
 * for an urgent order 未到场督办 and 催报进展. Pure: from the order as it is now (locked) and the
 * timer that fired, nothing to do (the unit has overtaken the alarm: it answered, acknowledged,
 * arrived, or the order went to another dispatch) or the history entry with its zh-CN note, who is
 * mailed, and whether it counts against the unit. usecases/chase-unit.ts commits it.
 */
import { OWING_STATUSES, type OrderStatus } from './order.js';
import { chinaTime, STEP_NOTES, type ALARM_NAMES } from './text.js';

/** The alarms the models' timers raise; 重复来电督办 is raised by repeat calls (usecases/repeats.ts), not a timer. */
export type AlarmKind = Exclude<keyof typeof ALARM_NAMES, 'repeat-supervision'>;
type CountedStep = keyof typeof ALARM_NAMES;

/** 督办: the alarms that flag the order supervised and mail the duty leader. */
export const SUPERVISION_ALARMS: readonly CountedStep[] = ['supervise', 'on-site-overdue', 'repeat-supervision'];
/** The alarms that count against the unit (chase_count, 催办率): all but the reminder; 重复来电督办 (usecases/repeats.ts) too. */
export const CHASE_ALARMS: readonly CountedStep[] = ['chase-acknowledge', 'chase', 'supervise', 'on-site-overdue', 'chase-progress', 'repeat-supervision'];

export interface AlarmOrder {
  orderNo: string;
  status: OrderStatus;
  dispatchSeq: number;
  unitCode: string | null;
  dueAt: Date | null;
  acknowledgedAt: Date | null;
  onSiteAt: Date | null;
}

/** The timer that fired: which alarm, for which dispatch, set for when. */
export interface Alarm {
  kind: AlarmKind;
  dispatchSeq: number;
  at: Date;
}

export interface AlarmDecision {
  step: AlarmKind;
  note: string;
  detail: { unit: string; dispatchSeq: number; at: string; dueAt: string | null; counted: boolean };
  /** Counts against the unit (chase_count): every alarm but the reminder. */
  counted: boolean;
  /** 督办: the order is flagged supervised, and the duty leader mailed with the unit. */
  supervision: boolean;
  mailTo: Array<'unit' | 'leader'>;
}

/** Whether the unit has already done what the alarm would ask of it. */
export function overtaken(o: AlarmOrder, a: Alarm): boolean {
  if (o.dispatchSeq !== a.dispatchSeq || !OWING_STATUSES.includes(o.status)) return true;
  if (a.kind === 'chase-acknowledge' && o.acknowledgedAt) return true;
  if (a.kind === 'on-site-overdue' && o.onSiteAt) return true;
  return false;
}

export function decideAlarm(o: AlarmOrder, unit: { code: string; name: string }, a: Alarm): AlarmDecision | null {
  if (overtaken(o, a)) return null;
  const due = o.dueAt ? chinaTime(o.dueAt) : '';
  const note = {
    'chase-acknowledge': STEP_NOTES.chaseAcknowledge(unit.name, chinaTime(a.at)),
    remind: STEP_NOTES.remind(unit.name, due),
    chase: STEP_NOTES.chase(unit.name),
    supervise: STEP_NOTES.supervise(unit.name),
    'on-site-overdue': STEP_NOTES.onSiteOverdue(unit.name, due),
    'chase-progress': STEP_NOTES.chaseProgress(unit.name),
  }[a.kind];
  const supervision = SUPERVISION_ALARMS.includes(a.kind);
  const counted = CHASE_ALARMS.includes(a.kind);
  return {
    step: a.kind,
    note,
    detail: { unit: unit.code, dispatchSeq: a.dispatchSeq, at: a.at.toISOString(), dueAt: o.dueAt?.toISOString() ?? null, counted },
    counted,
    supervision,
    mailTo: supervision ? ['unit', 'leader'] : ['unit'],
  };
}
