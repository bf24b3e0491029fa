/**
 * How centres are judged (DOMAIN.md §6), defined once. Pure: counts in, rates out.
 *
 * - volume 受理量: orders accepted in the period (a repeat call merged into an open order is not
 *   an order; it is counted as a repeat call);
 * - closure rate 办结率: closed / volume;
 * - on-time closure rate 按时办结率: closed orders answered at once (or referred, or forwarded for
 *   reference), or whose unit's last answer
 *   came by its deadline (an approved extension moves the deadline), / closed;
 * - satisfaction rate 满意率: satisfied and basically satisfied / callbacks recorded;
 * - resolution rate 解决率: callbacks where the citizen said the problem was solved / callbacks
 *   that asked it (a citizen may be satisfied with the unit and still have the problem);
 * - return rate 退单率: returns / dispatches (per unit: the returns it made over the dispatches it
 *   got);
 * - response rate 响应率: dispatches the unit acknowledged (签收) or answered by the time the
 *   handling policy gave it to acknowledge, / dispatches due: whose time has passed, or that were
 *   acknowledged or answered at all (a dispatch still within its time is not judged yet; per unit:
 *   its own);
 * - repeat-call rate 重复来电率: repeat calls / (volume + repeat calls);
 * - redo rate 重办率: redos / replies (a redo counts against the unit whose reply was rejected:
 *   the last reply before it);
 * - chase rate 催办率: dispatches chased at least once (催签收, 催办, 督办, … — every alarm that counts
 *   against the unit, not the reminder 提醒) / dispatches; the number of chases is given too;
 * - supervision rate 督办率: dispatches that reached 督办 / dispatches;
 * - good-evaluation rate 好评率: the citizens' own evaluations (一事一评) of 满意 or 非常满意 / evaluations;
 * - hard cases 疑难件: orders that became one, counted apart (a count, not a rate).
 * A rate with nothing to divide by is null, never 0 or 100%.
 */
import { chinaDate } from './deadline.js';
import { csvTable } from './csv.js';

export const STAT_DIMENSIONS = ['unit', 'district', 'category', 'day', 'month'] as const;
export type StatDimension = (typeof STAT_DIMENSIONS)[number];

export interface StatCounts {
  volume: number;
  closed: number;
  closedOnTime: number;
  rated: number;
  satisfied: number;
  /** Callbacks that asked whether the problem was solved, and those where it was. */
  askedResolved: number;
  resolved: number;
  dispatches: number;
  returns: number;
  /** Dispatches with a time to acknowledge by, and those acknowledged or answered by it. */
  responseDue: number;
  respondedInTime: number;
  repeatCalls: number;
  /** Units' replies (反馈), and the redos (重办) that rejected one. */
  replies: number;
  redos: number;
  /** Alarms that count against the unit, the dispatches they chased, and those that reached 督办. */
  chases: number;
  chasedDispatches: number;
  supervisedDispatches: number;
  /** 疑难件: orders made hard cases (hard-case.dmn or a supervisor), counted apart. */
  hardCases: number;
  /** 一事一评: orders the citizen evaluated themselves, and those rated 满意 or 非常满意 (4–5 of 5). */
  evaluated: number;
  evaluatedGood: number;
  /** 抽查: closed orders' answers a supervisor checked, and those that failed (reopened as redos). */
  spotChecks: number;
  spotChecksFailed: number;
}

export interface StatRates {
  closureRate: number | null;
  onTimeRate: number | null;
  satisfactionRate: number | null;
  resolutionRate: number | null;
  returnRate: number | null;
  responseRate: number | null;
  repeatCallRate: number | null;
  redoRate: number | null;
  chaseRate: number | null;
  supervisionRate: number | null;
  goodRate: number | null;
  spotCheckFailRate: number | null;
}

export const EMPTY_COUNTS: StatCounts = { volume: 0, closed: 0, closedOnTime: 0, rated: 0, satisfied: 0, askedResolved: 0, resolved: 0, dispatches: 0, returns: 0, responseDue: 0, respondedInTime: 0, repeatCalls: 0, replies: 0, redos: 0, chases: 0, chasedDispatches: 0, supervisedDispatches: 0, hardCases: 0, evaluated: 0, evaluatedGood: 0, spotChecks: 0, spotChecksFailed: 0 };

export const COUNT_KEYS = Object.keys(EMPTY_COUNTS) as ReadonlyArray<keyof StatCounts>;

/** A share rounded to four places (0.9125 = 91.25%), or null when there is nothing to divide by. */
export const rate = (part: number, whole: number): number | null => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

export const ratesOf = (c: StatCounts): StatRates => ({
  closureRate: rate(c.closed, c.volume),
  onTimeRate: rate(c.closedOnTime, c.closed),
  satisfactionRate: rate(c.satisfied, c.rated),
  resolutionRate: rate(c.resolved, c.askedResolved),
  returnRate: rate(c.returns, c.dispatches),
  responseRate: rate(c.respondedInTime, c.responseDue),
  repeatCallRate: rate(c.repeatCalls, c.volume + c.repeatCalls),
  redoRate: rate(c.redos, c.replies),
  chaseRate: rate(c.chasedDispatches, c.dispatches),
  supervisionRate: rate(c.supervisedDispatches, c.dispatches),
  goodRate: rate(c.evaluatedGood, c.evaluated),
  spotCheckFailRate: rate(c.spotChecksFailed, c.spotChecks),
});

export const addCounts = (a: StatCounts, b: StatCounts): StatCounts => Object.fromEntries(COUNT_KEYS.map((k) => [k, a[k] + b[k]])) as unknown as StatCounts;

/** The CSV columns: code, then the zh-CN heading a centre's spreadsheet shows. */
export const CSV_COLUMNS: ReadonlyArray<[keyof StatCounts | keyof StatRates | 'key' | 'name', string]> = [
  ['key', '编码'],
  ['name', '名称'],
  ['volume', '受理量'],
  ['closed', '办结量'],
  ['closureRate', '办结率'],
  ['closedOnTime', '按时办结量'],
  ['onTimeRate', '按时办结率'],
  ['rated', '回访量'],
  ['satisfied', '满意量'],
  ['satisfactionRate', '满意率'],
  ['askedResolved', '问询解决量'],
  ['resolved', '已解决量'],
  ['resolutionRate', '解决率'],
  ['dispatches', '派单次数'],
  ['returns', '退单次数'],
  ['returnRate', '退单率'],
  ['responseDue', '应签收派单'],
  ['respondedInTime', '按时响应'],
  ['responseRate', '响应率'],
  ['repeatCalls', '重复来电'],
  ['repeatCallRate', '重复来电率'],
  ['replies', '答复次数'],
  ['redos', '重办次数'],
  ['redoRate', '重办率'],
  ['chases', '催办次数'],
  ['chasedDispatches', '被催办派单'],
  ['chaseRate', '催办率'],
  ['supervisedDispatches', '被督办派单'],
  ['supervisionRate', '督办率'],
  ['hardCases', '疑难件'],
  ['evaluated', '市民评价'],
  ['evaluatedGood', '好评'],
  ['goodRate', '好评率'],
  ['spotChecks', '质检量'],
  ['spotChecksFailed', '质检不合格'],
  ['spotCheckFailRate', '质检不合格率'],
];

/** CSV with a UTF-8 byte-order mark, so that spreadsheet programs read the Chinese headings. */
export function statisticsCsv(rows: ReadonlyArray<Record<string, unknown>>): string {
  return csvTable(CSV_COLUMNS.map(([k, heading]) => [heading, (r: Record<string, unknown>) => r[k]] as const), rows);
}

/** The longest period one statistics query covers: a year, leap day included (a year's report is the longest a centre writes). */
export const MAX_STAT_DAYS = 366;

/**
 * The period a statistics query asks for: `from` and `to` as dates (China's, each counted whole)
 * or instants; without `from`, the month so far; without `to`, now. A refusal says why: `from`
 * not before `to`, or more than MAX_STAT_DAYS (each query scans the orders it covers).
 */
export function statisticsPeriod(from: string | undefined, to: string | undefined, now: Date): { from: Date; to: Date } | { refused: string } {
  const day = (s: string, next = false) => new Date(Date.parse(`${s}T00:00:00+08:00`) + (next ? 86_400_000 : 0));
  const start = from ? (from.length === 10 ? day(from) : new Date(from)) : day(`${chinaDate(now).slice(0, 7)}-01`);
  const end = to ? (to.length === 10 ? day(to, true) : new Date(to)) : now;
  if (!(start < end)) return { refused: `"from" (${start.toISOString()}) must come before "to" (${end.toISOString()})` };
  if (end.getTime() - start.getTime() > MAX_STAT_DAYS * 86_400_000) return { refused: `one query covers at most ${MAX_STAT_DAYS} days; ask for each year apart (asked ${start.toISOString()} to ${end.toISOString()})` };
  return { from: start, to: end };
}
