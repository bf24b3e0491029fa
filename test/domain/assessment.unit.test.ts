/**
 * 考核 (domain/assessment.ts): the score from the weighted rates and the deductions, rates without
 * data left out, ranks shared by equal scores, groups below the minimum unranked, the periods a
 * report covers in China's calendar, and the method file checked as a process owner edits it.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assess, assessmentCsv, lastWholePeriod, loadAssessmentMethod, methodLines, parseAssessmentMethod, reportPeriod, scoreOf, type AssessmentMethod } from '../../domain/assessment.js';
import { EMPTY_COUNTS, ratesOf, type StatCounts } from '../../domain/statistics.js';

const method: AssessmentMethod = parseAssessmentMethod({ name: '测试办法', weights: { responseRate: 20, satisfactionRate: 30, resolutionRate: 50 }, deductions: { redoRate: 10, chaseRate: 20 }, minimumDispatches: 2 }, 'test');
const row = (key: string, c: Partial<StatCounts>) => {
  const counts = { ...EMPTY_COUNTS, ...c };
  return { key, ...counts, ...ratesOf(counts) };
};

describe('assessment', () => {
  it('scores the weighted mean of the rates, less the deductions, within 0–100 and to two places', () => {
    // 响应 3/4, 满意 9/10, 解决 6/8: 100 × (20×0.75 + 30×0.9 + 50×0.75) / 100 = 79.5; 重办 1/5 costs 2, 催办 1/4 costs 5.
    const r = row('a', { dispatches: 4, responseDue: 4, respondedInTime: 3, rated: 10, satisfied: 9, askedResolved: 8, resolved: 6, replies: 5, redos: 1, chasedDispatches: 1 });
    expect(scoreOf(r, method)).toBe(72.5);
    expect(scoreOf(row('b', { dispatches: 4, responseDue: 4, respondedInTime: 0, replies: 1, redos: 1, chasedDispatches: 4 }), method), 'never below 0').toBe(0);
    expect(scoreOf(row('c', { dispatches: 3, responseDue: 3, respondedInTime: 1 }), method)).toBe(33.33);
  });

  it('leaves out a weighted rate with nothing to divide by, and gives no score without any', () => {
    // Never called back: scored on its response rate alone.
    expect(scoreOf(row('a', { dispatches: 2, responseDue: 2, respondedInTime: 2 }), method)).toBe(100);
    expect(scoreOf(row('b', { dispatches: 2, replies: 1 }), method)).toBeNull();
  });

  it('ranks by score, equal scores sharing a rank, then lists those below the minimum or without a score unranked', () => {
    const out = assess([
      row('d', { dispatches: 5, responseDue: 5, respondedInTime: 4 }),
      row('a', { dispatches: 5, responseDue: 5, respondedInTime: 5 }),
      row('c', { dispatches: 2, responseDue: 2, respondedInTime: 2 }),
      row('b', { dispatches: 1, responseDue: 1, respondedInTime: 1 }),
      row('e', { dispatches: 9 }),
      row('f', { dispatches: 4, responseDue: 4, respondedInTime: 1 }),
    ], method);
    expect(out.map((r) => [r.key, r.rank, r.score])).toEqual([['a', 1, 100], ['c', 1, 100], ['d', 3, 80], ['f', 4, 25], ['b', null, 100], ['e', null, null]]);
  });

  it('writes the report as CSV: rank and score first, 样本不足 for the unranked', () => {
    const csv = assessmentCsv(assess([row('a', { dispatches: 5, responseDue: 5, respondedInTime: 5 }), row('b', { dispatches: 1 })], method) as unknown as Array<Record<string, unknown>>);
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]!.startsWith('排名,得分,编码,名称,受理量')).toBe(true);
    expect(lines[1]!.startsWith('1,100,a,')).toBe(true);
    expect(lines[2]!.startsWith('样本不足,,b,')).toBe(true);
  });

  it('finds the week (Monday to Sunday), month, quarter and year of a date in China\'s calendar', () => {
    expect(reportPeriod('week', '2026-12-06')).toMatchObject({ first: '2026-11-30', last: '2026-12-06', label: '2026年第49周', from: new Date('2026-11-29T16:00:00Z'), to: new Date('2026-12-06T16:00:00Z') });
    expect(reportPeriod('week', '2026-12-07')).toMatchObject({ first: '2026-12-07', last: '2026-12-13', label: '2026年第50周' });
    expect(reportPeriod('week', '2027-01-01'), 'a week across the new year belongs to the year of its Thursday').toMatchObject({ first: '2026-12-28', last: '2027-01-03', label: '2026年第53周' });
    expect(reportPeriod('week', '2025-12-31')).toMatchObject({ first: '2025-12-29', label: '2026年第1周' });
    expect(reportPeriod('month', '2024-02-10')).toMatchObject({ first: '2024-02-01', last: '2024-02-29', label: '2024年2月', from: new Date('2024-01-31T16:00:00Z') });
    expect(reportPeriod('quarter', '2026-11-15')).toMatchObject({ first: '2026-10-01', last: '2026-12-31', label: '2026年第四季度', to: new Date('2026-12-31T16:00:00Z') });
    expect(reportPeriod('year', '2026-06-01')).toMatchObject({ first: '2026-01-01', last: '2026-12-31', label: '2026年' });
  });

  it('writes on the last whole period by default, counted from China\'s date', () => {
    // 2026-12-01 07:00 in China, still 11-30 in UTC.
    const now = new Date('2026-11-30T23:00:00Z');
    expect(lastWholePeriod('month', now).label).toBe('2026年11月');
    expect(lastWholePeriod('week', now).first).toBe('2026-11-23');
    expect(lastWholePeriod('quarter', now).label).toBe('2026年第三季度');
    expect(lastWholePeriod('year', now).label).toBe('2025年');
  });

  it('refuses a method that weighs nothing, names an unknown rate or a weight out of range, naming the field', () => {
    expect(() => parseAssessmentMethod({ name: 'x', weights: { responseRate: 0 } }, 'f')).toThrow(/weights: at least one rate/);
    expect(() => parseAssessmentMethod({ name: 'x', weights: { speed: 10 } }, 'f')).toThrow(/^f: weights/);
    expect(() => parseAssessmentMethod({ name: 'x', weights: { responseRate: 120 } }, 'f')).toThrow(/weights\.responseRate/);
    expect(() => parseAssessmentMethod({ name: 'x', weights: { responseRate: 1 }, deductions: { satisfactionRate: 5 } }, 'f')).toThrow(/deductions/);
    expect(() => parseAssessmentMethod({ name: 'x', weights: { responseRate: 1 }, extra: 1 }, 'f')).toThrow(/extra/);
  });

  it('reads the shipped method and says it in words', () => {
    const m = loadAssessmentMethod(path.resolve(import.meta.dirname, '../../config/assessment.json'));
    const lines = methodLines(m);
    expect(lines[0]).toEqual(['考核办法', m.name]);
    expect(lines.some(([k, v]) => k === '权重：满意率' && /^30（占 30%）$/.test(v))).toBe(true);
    expect(lines.some(([k]) => k === '扣分：重办率')).toBe(true);
    expect(() => loadAssessmentMethod('/nonexistent.json')).toThrow(/ASSESSMENT_FILE \/nonexistent.json cannot be read/);
  });
});
