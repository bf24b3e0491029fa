/**
 * 通报 and 督办单 (DOMAIN.md §4: "chased twice with no result → named in a circular"): what a
 * circular names and says, drafted from the facts, and the written supervision notice for one
 * order. Pure: facts in, text out. When to circulate is the centre's method (config/assessment.json
 * `circular`): chased at least N times and still owed by the unit, and the last K of the ranking.
 *
 * A circular goes to every unit it names and to the duty leader, so it names orders by number,
 * category and district only — never a citizen's words, which one unit must not read of another's
 * order. The notice goes to the unit that owes the order, with the title as that unit may read it.
 */
import { chinaTime } from './text.js';
import { CHINA_OFFSET_MS } from './deadline.js';

export interface ChasedOrder {
  orderNo: string;
  unitCode: string;
  unitName: string;
  categoryName: string;
  districtName: string;
  dueAt: Date | null;
  chases: number;
}

export interface LastRanked {
  unitCode: string;
  unitName: string;
  score: number;
  rank: number;
  /** How many were ranked. */
  of: number;
}

export interface CircularFacts {
  /** The assessment period the ranking is of: 2026年11月. */
  periodLabel: string;
  chased: ChasedOrder[];
  last: LastRanked[];
}

export interface CircularPolicy {
  chasedAtLeast: number;
  lastRanked: number;
  explainWithinWorkingDays: number;
}

export interface CircularDraft {
  title: string;
  body: string;
  /** The units it names (each gets it), by code. */
  units: string[];
  /** The orders it names (each gets a history step when it is sent). */
  orders: string[];
}

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'] as const;
const numeral = (i: number) => NUMERALS[i] ?? String(i + 1);

/** China's date in words: 2026年12月6日. */
export const chinaDateWords = (at: Date): string => {
  const d = new Date(at.getTime() + CHINA_OFFSET_MS);
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
};

/**
 * The circular's draft, or null when the facts name nobody (no circular without a cause). The
 * supervisor may edit its text before approving; the units and orders it names stay these.
 */
export function draftCircular(facts: CircularFacts, policy: CircularPolicy, p: { centreName: string; methodName: string; today: Date }): CircularDraft | null {
  if (facts.chased.length === 0 && facts.last.length === 0) return null;
  const byUnit = new Map<string, ChasedOrder[]>();
  for (const o of [...facts.chased].sort((a, b) => a.unitCode.localeCompare(b.unitCode) || a.orderNo.localeCompare(b.orderNo))) byUnit.set(o.unitCode, [...(byUnit.get(o.unitCode) ?? []), o]);
  const parts: string[] = [];
  const heads: string[] = [];
  if (facts.chased.length > 0) {
    heads.push(`催办${policy.chasedAtLeast}次以上仍未办理的工单`);
    const units = [...byUnit.values()].map((orders, i) => {
      const lines = orders.map((o, j) => `${j + 1}. ${o.orderNo}，${o.categoryName}（${o.districtName}），办理时限 ${o.dueAt ? chinaTime(o.dueAt) : '未定'}，已催办 ${o.chases} 次，至今未反馈办理结果。`);
      return `（${numeral(i)}）${orders[0]!.unitName}（${orders.length}件）\n${lines.join('\n')}`;
    });
    parts.push(`${numeral(parts.length)}、${heads.at(-1)}（共${facts.chased.length}件）\n${units.join('\n')}`);
  }
  if (facts.last.length > 0) {
    heads.push(`${facts.periodLabel}考核排名末位的单位`);
    const lines = facts.last.map((u) => `${u.unitName}，考核得分 ${u.score} 分，在 ${u.of} 个参与排名的单位中列第 ${u.rank} 位。`);
    parts.push(`${numeral(parts.length)}、${heads.at(-1)}\n${lines.join('\n')}`);
  }
  const title = facts.chased.length > 0 ? '关于群众诉求催办后仍未办理情况的通报' : `关于${facts.periodLabel}考核排名末位单位的通报`;
  const body = [
    '各承办单位：',
    `依据《${p.methodName}》，现将${heads.join('和')}通报如下。`,
    ...parts,
    `请被通报单位自收到本通报之日起${policy.explainWithinWorkingDays}个工作日内，书面说明原因并报送整改措施；尚未办结的工单请立即办理并反馈。`,
    `${p.centreName}\n${chinaDateWords(p.today)}`,
  ].join('\n\n');
  const units = [...new Set([...byUnit.keys(), ...facts.last.map((u) => u.unitCode)])];
  return { title, body, units, orders: [...new Set([...byUnit.values()].flat().map((o) => o.orderNo))] };
}

/** The last `count` of a ranking (ties at the cut included): the rows ranked, best first. */
export function lastRankedOf<R extends { key: string; name: string; score: number | null; rank: number | null }>(rows: readonly R[], count: number): LastRanked[] {
  const ranked = rows.filter((r) => r.rank !== null && r.score !== null);
  if (count === 0 || ranked.length < 2) return [];
  const cut = ranked[Math.max(0, ranked.length - count)]!.rank!;
  return ranked.filter((r) => r.rank! >= cut).map((r) => ({ unitCode: r.key, unitName: r.name, score: r.score!, rank: r.rank!, of: ranked.length }));
}

export interface SupervisionNotice {
  noticeNo: string;
  orderNo: string;
  unitName: string;
  /** The request as the unit may read it (a confidential citizen's words stay at the centre). */
  title: string;
  categoryName: string;
  districtName: string;
  dueAt: Date | null;
  chases: number;
  replyBy: Date;
  opinion: string;
  centreName: string;
  issuedAt: Date;
}

/** 督办单: the written notice a supervisor sends a unit about one order, as mailed and printed. */
export function supervisionNoticeText(n: SupervisionNotice): { subject: string; text: string } {
  return {
    subject: `督办单 ${n.noticeNo}：工单 ${n.orderNo}`,
    text: [
      `督办单（${n.noticeNo}）`,
      `承办单位：${n.unitName}`,
      `工单编号：${n.orderNo}`,
      `诉求：${n.title}（${n.categoryName}，${n.districtName}）`,
      `办理时限：${n.dueAt ? chinaTime(n.dueAt) : '未定'}；已催办 ${n.chases} 次`,
      `督办意见：${n.opinion}`,
      `请于 ${chinaTime(n.replyBy)} 前办结并向12345热线反馈办理结果；逾期未反馈的，将予以通报。`,
      `${n.centreName}\n${chinaDateWords(n.issuedAt)}`,
    ].join('\n'),
  };
}
