/**
 * 抽查 (质检): a share of the orders that close is drawn for a supervisor's quality check of the
 * unit's answer — relevant (切题), complete (完整), courteous (文明). The share is the centre's
 * (config/spot-checks.json): a base share, raised for some categories, for a lukewarm callback
 * (基本满意) and for an order already redone. A failed check reopens the order as a redo to the
 * unit that answered, with the policy's working days, and counts against that unit. Pure: the
 * draw is handed in.
 */
import { z } from 'zod';
import { readJsonFile } from './json-file.js';
import { SATISFACTIONS, type Satisfaction } from './order.js';

const share = z.number().min(0).max(1);
const code = z.string().regex(/^[a-z0-9-]+$/);

export const spotCheckSchema = z.strictObject({
  $comment: z.string().optional(),
  /** The share of closed orders drawn when no rule below raises it. */
  share,
  /** A higher share for these categories (食品安全, 燃气…). */
  byCategory: z.record(code, share).default({}),
  /** A higher share by what the citizen said at the callback. */
  bySatisfaction: z.partialRecord(z.enum(SATISFACTIONS), share).default({}),
  /** The share for an order that was redone before it closed. */
  afterRedo: share.optional(),
  /** The working days a supervisor has for a check before it is chased. */
  checkWorkingDays: z.number().int().min(1).max(30).default(3),
  /** The working days a reopened order's unit gets to answer again. */
  redoWorkingDays: z.number().int().min(1).max(60).default(5),
});
export type SpotCheckPolicy = z.output<typeof spotCheckSchema>;

export function loadSpotChecks(file: string, categories: ReadonlyArray<{ code: string }>): SpotCheckPolicy {
  const policy = readJsonFile(file, 'SPOT_CHECK_FILE', spotCheckSchema);
  const unknown = Object.keys(policy.byCategory).filter((c) => !categories.some((x) => x.code === c));
  if (unknown.length > 0) throw new Error(`SPOT_CHECK_FILE ${file}: byCategory names categories the catalog does not have: ${unknown.join(', ')}`);
  return policy;
}

/** What the draw looks at of a closing order. */
export interface SpotCheckSubject {
  category: string;
  satisfaction: string | null;
  redoCount: number;
}

/** The outcome of a draw: the share it was made with, whether the order was drawn, the days the check has, and those a failed check gives the unit. */
export interface SpotCheckDraw {
  share: number;
  drawn: boolean;
  checkWorkingDays: number;
  redoWorkingDays: number;
}

/** The share an order is drawn with: the highest that applies to it. */
export function spotCheckShare(p: SpotCheckPolicy, o: SpotCheckSubject): number {
  return Math.max(
    p.share,
    p.byCategory[o.category] ?? 0,
    o.satisfaction ? (p.bySatisfaction[o.satisfaction as Satisfaction] ?? 0) : 0,
    o.redoCount > 0 ? (p.afterRedo ?? 0) : 0,
  );
}

/** Drawn when the draw (uniform in [0, 1)) falls below the share: a share of 1 draws every order, 0 none. */
export function drawSpotCheck(p: SpotCheckPolicy, o: SpotCheckSubject, draw: number): SpotCheckDraw {
  const share = spotCheckShare(p, o);
  return { share, drawn: draw < share, checkWorkingDays: p.checkWorkingDays, redoWorkingDays: p.redoWorkingDays };
}

/** What a supervisor checks, in the centre's words. */
export const SPOT_CHECK_CRITERIA = { relevant: '答复切题', complete: '答复完整', courteous: '用语文明' } as const;
export type SpotCheckCriterion = keyof typeof SPOT_CHECK_CRITERIA;

export interface SpotCheckVerdict {
  relevant: boolean;
  complete: boolean;
  courteous: boolean;
}

/** The criteria an answer failed, in the centre's words; none: it passed. */
export const failedCriteria = (v: SpotCheckVerdict): string[] =>
  (Object.keys(SPOT_CHECK_CRITERIA) as SpotCheckCriterion[]).filter((k) => !v[k]).map((k) => SPOT_CHECK_CRITERIA[k]);
