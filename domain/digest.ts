/**
 * 群众来电摘报: the digest a centre's leaders read every morning, made from the orders alone —
 * yesterday's volume against the usual, by category and district; the surging topics (terms and
 * places whose count jumps against their own four-week baseline); the hard cases made yesterday; the
 * orders overdue now; the units in trouble. Pure: counts in, the digest and its text out.
 */
import { chinaTime } from './text.js';

/** The days a day is compared with, and when a count is a surge. */
export const DIGEST_BASELINE_DAYS = 28;
export const SURGE = { minCount: 3, ratio: 2 } as const;

export interface Count {
  key: string;
  name: string;
  /** Orders of the day. */
  today: number;
  /** Orders over the baseline days before it. */
  before: number;
}

export interface Surge {
  key: string;
  name: string;
  today: number;
  /** Orders a day over the baseline, to one place. */
  usual: number;
  ratio: number | null;
}

/**
 * What jumped: at least `minCount` orders today and at least `ratio` times its daily average over
 * the baseline (a topic never seen before counts from half an order a day). Highest ratio first.
 */
export function surging(counts: readonly Count[], days = DIGEST_BASELINE_DAYS, s: { minCount: number; ratio: number } = SURGE): Surge[] {
  return counts
    .map((c) => {
      const usual = c.before / days;
      return { key: c.key, name: c.name, today: c.today, usual: Math.round(usual * 10) / 10, ratio: usual > 0 ? Math.round((c.today / usual) * 10) / 10 : null, floor: Math.max(usual, 0.5) };
    })
    .filter((c) => c.today >= s.minCount && c.today >= s.ratio * c.floor)
    .sort((a, b) => (b.ratio ?? Infinity) - (a.ratio ?? Infinity) || b.today - a.today || a.key.localeCompare(b.key))
    .map(({ floor: _floor, ...c }) => c);
}

export interface Digest {
  /** China date of the day it reports. */
  day: string;
  volume: { today: number; usual: number };
  categories: Surge[];
  districts: Surge[];
  terms: Surge[];
  /** The day's busiest categories, whatever the baseline. */
  topCategories: Array<{ name: string; today: number }>;
  hardCases: Array<{ orderNo: string; reason: string; unit: string | null }>;
  overdue: { total: number; byUnit: Array<{ unit: string; overdue: number }> };
  /** Units chased or supervised yesterday, or with orders overdue now, worst first. */
  unitsInTrouble: Array<{ unit: string; chases: number; supervised: number; overdue: number }>;
  madeAt: string;
}

const list = (xs: Surge[], unit = '件') => (xs.length === 0 ? '无' : xs.slice(0, 10).map((x) => `${x.name} ${x.today}${unit}（平日 ${x.usual}）`).join('；'));

/** The digest as mailed: subject and plain text, every figure from the orders. */
export function digestText(d: Digest, centreName: string): { subject: string; text: string } {
  const [y, m, dd] = d.day.split('-').map(Number) as [number, number, number];
  return {
    subject: `【群众来电摘报】${y}年${m}月${dd}日`,
    text: [
      '领导：',
      '',
      `一、来电总量：${d.day} 受理 ${d.volume.today} 件（近四周日均 ${d.volume.usual} 件）。受理最多的类别：${d.topCategories.map((c) => `${c.name} ${c.today}件`).join('、') || '无'}。`,
      `二、明显增多的诉求：${list(d.categories)}。`,
      `三、明显增多的区域：${list(d.districts)}。`,
      `四、热点词：${list(d.terms, '次')}。`,
      `五、新认定疑难件：${d.hardCases.length === 0 ? '无' : d.hardCases.map((h) => `${h.orderNo}（${h.reason}${h.unit ? `，${h.unit}` : ''}）`).join('；')}。`,
      `六、超期未办结：${d.overdue.total} 件${d.overdue.byUnit.length ? `，其中 ${d.overdue.byUnit.slice(0, 5).map((u) => `${u.unit} ${u.overdue}件`).join('、')}` : ''}。`,
      `七、需关注的承办单位：${d.unitsInTrouble.length === 0 ? '无' : d.unitsInTrouble.slice(0, 5).map((u) => `${u.unit}（催办 ${u.chases} 次，督办 ${u.supervised} 次，超期 ${u.overdue} 件）`).join('；')}。`,
      '',
      `${centreName}`,
      `生成时间：${chinaTime(new Date(d.madeAt))}`,
    ].join('\n'),
  };
}
