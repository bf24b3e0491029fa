/**
 * Deadlines of work orders. Time limits count working days in China (domain/calendar.ts: weekends
 * and statutory holidays off, make-up working days on); urgent orders count minutes instead.
 *
 * A working-day limit of N ends at the end (24:00 China time) of the N-th working day after the
 * day the order was dispatched; the dispatch day itself does not count.
 */
import type { BusinessCalendar } from './calendar.js';

export type TimeLimit = { workingDays: number } | { minutes: number };

export const CHINA_OFFSET_MS = 8 * 60 * 60 * 1000; // China Standard Time, UTC+8, no daylight saving

/** The calendar date (YYYY-MM-DD) in China of an instant. */
export const chinaDate = (at: Date): string => new Date(at.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);

/** The instant at which a China calendar date ends (next day 00:00 +08:00). */
function endOfChinaDay(date: string): Date {
  const midnightUtc = Date.parse(`${date}T00:00:00.000Z`);
  return new Date(midnightUtc + 24 * 60 * 60 * 1000 - CHINA_OFFSET_MS);
}

/**
 * The due instant of a limit started at `start`, and the years without calendar data that the
 * count had to guess from weekends alone (empty when every day counted is known).
 */
export function dueAt(start: Date, limit: TimeLimit, calendar: BusinessCalendar): { due: Date; uncoveredYears: number[] } {
  if ('minutes' in limit) {
    if (!(limit.minutes > 0)) throw new RangeError(`time limit in minutes must be positive, got ${limit.minutes}`);
    return { due: new Date(start.getTime() + limit.minutes * 60_000), uncoveredYears: [] };
  }
  if (!Number.isInteger(limit.workingDays) || limit.workingDays < 1) {
    throw new RangeError(`time limit in working days must be a whole number ≥ 1, got ${limit.workingDays}`);
  }
  const { date, uncoveredYears } = calendar.addWorkingDays(chinaDate(start), limit.workingDays);
  return { due: endOfChinaDay(date), uncoveredYears };
}

/** 签收与催办时限: minutes from bpmn/handling-policy.dmn. */
export interface HandlingPolicy {
  acknowledgeMinutes: number;
  remindBeforeMinutes: number;
  escalateAfterMinutes: number;
}

export interface HandlingTimes {
  /** 签收: the unit must acknowledge by then, else it is chased. Never after the deadline. */
  acknowledgeBy: Date;
  /** 提醒: the reminder before the deadline; at half the time limit when the lead is longer than that. */
  remindAt: Date;
  /** 督办: still no answer by then, the chase goes to supervision. */
  escalateAt: Date;
}

/** The instants the handling timers wait for, from the start of handling and the deadline. */
export function handlingTimes(start: Date, due: Date, policy: HandlingPolicy): HandlingTimes {
  const min = 60_000;
  const s = start.getTime();
  const d = Math.max(due.getTime(), s);
  return {
    acknowledgeBy: new Date(Math.min(s + policy.acknowledgeMinutes * min, d)),
    remindAt: new Date(Math.max(d - policy.remindBeforeMinutes * min, s + (d - s) / 2)),
    escalateAt: new Date(d + policy.escalateAfterMinutes * min),
  };
}

/** Zeebe and Camunda 7 timers read ISO 8601 date-times; whole seconds keep every line's parser happy. */
export const timerDate = (d: Date): string => new Date(Math.ceil(d.getTime() / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
