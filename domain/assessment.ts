/**
 * 考核: how the centre scores and ranks its units and districts over a period (DOMAIN.md §6), from
 * the statistics' counts and a method a process owner edits (config/assessment.json,
 * ASSESSMENT_FILE). Pure: counts and method in, scores, ranks and the period's bounds out.
 *
 * score = 100 × Σ weightₖ × rateₖ / Σ weightₖ, over the weighted rates that have something to divide
 *         by (a unit never called back is scored on the rest, not given 0 or 100%),
 *         − Σ deductionₖ × rateₖ (a deduction is the points lost at a rate of 100%),
 *         kept within 0–100, rounded to two places.
 * A group with fewer dispatches than the method's minimum, or without any weighted rate, is listed
 * unranked (样本不足). Equal scores share a rank (1, 1, 3).
 */
import { z } from 'zod';
import { parseWith, readJsonFile } from './json-file.js';
import { CHINA_OFFSET_MS, chinaDate } from './deadline.js';
import { csvTable } from './csv.js';
import { CSV_COLUMNS, type StatCounts, type StatRates } from './statistics.js';

/** The rates a method may weigh (the higher, the better) and those it may deduct for (the higher, the worse). */
export const SCORED_RATES = ['responseRate', 'onTimeRate', 'satisfactionRate', 'resolutionRate', 'closureRate', 'goodRate'] as const;
export const DEDUCTED_RATES = ['returnRate', 'redoRate', 'chaseRate', 'supervisionRate', 'repeatCallRate', 'spotCheckFailRate'] as const;

export const RATE_NAMES: Record<(typeof SCORED_RATES)[number] | (typeof DEDUCTED_RATES)[number], string> = {
  responseRate: '响应率',
  onTimeRate: '按时办结率',
  satisfactionRate: '满意率',
  resolutionRate: '解决率',
  closureRate: '办结率',
  goodRate: '好评率',
  returnRate: '退单率',
  redoRate: '重办率',
  spotCheckFailRate: '质检不合格率',
  chaseRate: '催办率',
  supervisionRate: '督办率',
  repeatCallRate: '重复来电率',
};

const points = z.number().min(0).max(100);
export const assessmentMethodSchema = z.strictObject({
  $comment: z.string().optional(),
  /** The method's name as the centre's documents give it (e.g. 12345热线承办单位考核办法（2026年版）). */
  name: z.string().min(1),
  weights: z.partialRecord(z.enum(SCORED_RATES), points).refine((w) => Object.values(w).some((v) => (v ?? 0) > 0), 'at least one rate must carry a weight above 0'),
  deductions: z.partialRecord(z.enum(DEDUCTED_RATES), points).default({}),
  /** Fewer dispatches than this in the period: listed, not ranked. */
  minimumDispatches: z.number().int().min(0).default(0),
  /** 通报 (domain/circulars.ts): who a circular names, and what it asks of them. */
  circular: z
    .strictObject({
      /** An order the unit still owes, chased (every alarm but the reminder) at least this often. */
      chasedAtLeast: z.number().int().min(1).max(20).default(2),
      /** The last this many of the last whole month's ranking (0: none). */
      lastRanked: z.number().int().min(0).max(20).default(1),
      /** Working days a named unit has to explain itself in writing. */
      explainWithinWorkingDays: z.number().int().min(1).max(30).default(3),
    })
    .default({ chasedAtLeast: 2, lastRanked: 1, explainWithinWorkingDays: 3 }),
});
export type AssessmentMethod = z.output<typeof assessmentMethodSchema>;

export const parseAssessmentMethod = (raw: unknown, source: string): AssessmentMethod => parseWith(raw, source, assessmentMethodSchema);

export const loadAssessmentMethod = (file: string): AssessmentMethod => readJsonFile(file, 'ASSESSMENT_FILE', assessmentMethodSchema);

/** A group's score under a method, or null when none of the weighted rates can be computed. */
export function scoreOf(rates: StatRates, m: AssessmentMethod): number | null {
  let weighted = 0;
  let weights = 0;
  for (const [k, w] of Object.entries(m.weights) as Array<[keyof StatRates, number]>) {
    const r = rates[k];
    if (r === null || w === 0) continue;
    weighted += w * r;
    weights += w;
  }
  if (weights === 0) return null;
  let score = (100 * weighted) / weights;
  for (const [k, d] of Object.entries(m.deductions) as Array<[keyof StatRates, number]>) score -= d * (rates[k] ?? 0);
  return Math.round(Math.min(100, Math.max(0, score)) * 100) / 100;
}

export type Assessed<R> = R & { score: number | null; rank: number | null; ranked: boolean };

/**
 * Scores and ranks the groups: ranked ones first by score (then by key, for a stable order), equal
 * scores sharing a rank; then the unranked, by key.
 */
export function assess<R extends StatCounts & StatRates & { key: string }>(rows: readonly R[], m: AssessmentMethod): Array<Assessed<R>> {
  const scored = rows.map((r) => {
    const score = scoreOf(r, m);
    return { ...r, score, ranked: score !== null && r.dispatches >= m.minimumDispatches, rank: null as number | null };
  });
  const ranked = scored.filter((r) => r.ranked).sort((a, b) => b.score! - a.score! || a.key.localeCompare(b.key));
  for (const r of ranked) r.rank = 1 + ranked.filter((o) => o.score! > r.score!).length;
  return [...ranked, ...scored.filter((r) => !r.ranked).sort((a, b) => a.key.localeCompare(b.key))];
}

export const REPORT_PERIODS = ['week', 'month', 'quarter', 'year'] as const;
export type ReportPeriodKind = (typeof REPORT_PERIODS)[number];

export interface ReportPeriod {
  kind: ReportPeriodKind;
  /** The first instant (China's midnight) and the instant after the last. */
  from: Date;
  to: Date;
  /** China's dates of the first and last day. */
  first: string;
  last: string;
  /** As the report's heading says it: 2026年第49周, 2026年11月, 2026年第四季度, 2026年. */
  label: string;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const QUARTERS = ['一', '二', '三', '四'] as const;

/** ISO 8601 week of a UTC-midnight day: [week-numbering year, week]. */
function isoWeek(ms: number): [number, number] {
  const d = new Date(ms);
  const thursday = ms + (3 - ((d.getUTCDay() + 6) % 7)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  return [year, 1 + Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS))];
}

/** The period of a kind that holds a China date (YYYY-MM-DD); weeks run Monday to Sunday. */
export function reportPeriod(kind: ReportPeriodKind, of: string): ReportPeriod {
  const [y, m, d] = of.split('-').map(Number) as [number, number, number];
  const day = Date.UTC(y, m - 1, d);
  let start: number;
  let end: number;
  let label: string;
  if (kind === 'week') {
    start = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
    end = start + 7 * DAY_MS;
    const [wy, w] = isoWeek(start);
    label = `${wy}年第${w}周`;
  } else if (kind === 'month') {
    start = Date.UTC(y, m - 1, 1);
    end = Date.UTC(y, m, 1);
    label = `${y}年${m}月`;
  } else if (kind === 'quarter') {
    const q = Math.floor((m - 1) / 3);
    start = Date.UTC(y, q * 3, 1);
    end = Date.UTC(y, q * 3 + 3, 1);
    label = `${y}年第${QUARTERS[q]}季度`;
  } else {
    start = Date.UTC(y, 0, 1);
    end = Date.UTC(y + 1, 0, 1);
    label = `${y}年`;
  }
  return { kind, from: new Date(start - CHINA_OFFSET_MS), to: new Date(end - CHINA_OFFSET_MS), first: isoDay(start), last: isoDay(end - DAY_MS), label };
}

/** The last whole period of a kind before now: what a report is written on (last week, last month, …). */
export function lastWholePeriod(kind: ReportPeriodKind, now: Date): ReportPeriod {
  const current = reportPeriod(kind, chinaDate(now));
  return reportPeriod(kind, chinaDate(new Date(current.from.getTime() - 1)));
}

/** The report's columns: its rank and score first, then the statistics' own. */
export const ASSESSMENT_CSV_COLUMNS: ReadonlyArray<[string, string]> = [['rank', '排名'], ['score', '得分'], ...CSV_COLUMNS];

/** A report row's cell: an unranked group's rank reads 样本不足. */
export const assessmentCell = (row: Record<string, unknown>, key: string): unknown => (key === 'rank' && row.rank === null && row.key !== 'total' ? '样本不足' : row[key]);

export function assessmentCsv(rows: ReadonlyArray<Record<string, unknown>>): string {
  return csvTable(ASSESSMENT_CSV_COLUMNS.map(([k, heading]) => [heading, (r: Record<string, unknown>) => assessmentCell(r, k)] as const), rows);
}

/** The method in words, for the report's second sheet and the console: one line per term. */
export function methodLines(m: AssessmentMethod): Array<[string, string]> {
  const total = Object.values(m.weights).reduce((a, w) => a + (w ?? 0), 0);
  return [
    ['考核办法', m.name],
    ...Object.entries(m.weights).map(([k, w]) => [`权重：${RATE_NAMES[k as keyof typeof RATE_NAMES]}`, `${w}（占 ${Math.round(((w ?? 0) / total) * 1000) / 10}%）`] as [string, string]),
    ...Object.entries(m.deductions).map(([k, d]) => [`扣分：${RATE_NAMES[k as keyof typeof RATE_NAMES]}`, `比率为100%时扣 ${d} 分`] as [string, string]),
    ['参与排名', `派单不少于 ${m.minimumDispatches} 件`],
    ['得分', '100 × 各项比率的加权平均（无数据的比率不计）− 扣分，取 0–100，保留两位小数'],
  ];
}
