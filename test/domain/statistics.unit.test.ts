import { describe, expect, it } from 'vitest';
import { addCounts, EMPTY_COUNTS, MAX_STAT_DAYS, rate, ratesOf, statisticsCsv, statisticsPeriod } from '../../domain/statistics.js';

describe('statistics', () => {
  it('gives no rate where there is nothing to divide by, never 0% or 100%', () => {
    expect(ratesOf(EMPTY_COUNTS)).toEqual({ closureRate: null, onTimeRate: null, satisfactionRate: null, resolutionRate: null, returnRate: null, responseRate: null, repeatCallRate: null, redoRate: null, chaseRate: null, supervisionRate: null, goodRate: null, spotCheckFailRate: null });
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(2, 3)).toBe(0.6667);
  });

  it('counts the problems solved against the callbacks that asked, apart from the satisfaction', () => {
    const c = { ...EMPTY_COUNTS, rated: 10, satisfied: 9, askedResolved: 8, resolved: 6 };
    expect(ratesOf(c)).toMatchObject({ satisfactionRate: 0.9, resolutionRate: 0.75 });
    expect(ratesOf({ ...c, askedResolved: 0, resolved: 0 }).resolutionRate).toBeNull();
  });

  it('counts the dispatches acknowledged or answered in time against those with a time to acknowledge by', () => {
    expect(ratesOf({ ...EMPTY_COUNTS, dispatches: 5, responseDue: 4, respondedInTime: 3 }).responseRate).toBe(0.75);
  });

  it('counts a redo against the replies, and the dispatches chased or supervised against all dispatches', () => {
    const c = { ...EMPTY_COUNTS, dispatches: 8, replies: 5, redos: 1, chases: 5, chasedDispatches: 2, supervisedDispatches: 1 };
    expect(ratesOf(c)).toMatchObject({ redoRate: 0.2, chaseRate: 0.25, supervisionRate: 0.125 });
  });

  it('adds every count of two groups', () => {
    const a = Object.fromEntries(Object.keys(EMPTY_COUNTS).map((k, i) => [k, i + 1])) as unknown as typeof EMPTY_COUNTS;
    expect(Object.values(addCounts(a, a))).toEqual(Object.keys(EMPTY_COUNTS).map((_, i) => 2 * (i + 1)));
  });

  it('counts a repeat call against all calls, orders and repeats together', () => {
    expect(ratesOf({ ...EMPTY_COUNTS, volume: 9, repeatCalls: 1 }).repeatCallRate).toBe(0.1);
  });

  it('writes CSV with a byte-order mark, zh-CN headings, CRLF lines and quoted cells where needed', () => {
    const csv = statisticsCsv([{ key: 'a', name: '甲,乙"丙"', volume: 1, closureRate: null }]);
    expect(csv.startsWith('\uFEFF编码,名称,受理量,')).toBe(true);
    expect(csv.split('\r\n')[1]).toBe('a,"甲,乙""丙""",1,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,');
  });

  describe('the period a query covers', () => {
    const now = new Date('2026-12-06T04:00:00Z'); // 12:00 in China
    it('is the month so far when nothing is asked, in China time', () => {
      expect(statisticsPeriod(undefined, undefined, now)).toEqual({ from: new Date('2026-11-30T16:00:00Z'), to: now });
    });
    it('counts a date whole, in China time, and takes instants as they are', () => {
      expect(statisticsPeriod('2026-01-01', '2026-12-31', now)).toEqual({ from: new Date('2025-12-31T16:00:00Z'), to: new Date('2026-12-31T16:00:00Z') });
      expect(statisticsPeriod('2026-12-01T00:00:00Z', '2026-12-02T00:00:00+08:00', now)).toEqual({ from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-01T16:00:00Z') });
    });
    it('takes a whole leap year, the longest report a centre writes', () => {
      expect('from' in statisticsPeriod('2028-01-01', '2028-12-31', now)).toBe(true);
    });
    it.each([
      ['a period that ends before it starts', '2026-12-02', '2026-12-01', /must come before/],
      ['an empty period', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', /must come before/],
      ['more than a year', '2025-01-01', '2026-01-02', new RegExp(`at most ${MAX_STAT_DAYS} days`)],
      ['all of time', '1970-01-01', undefined, /at most 366 days/],
    ])('refuses %s, saying why', (_what, from, to, why) => {
      const p = statisticsPeriod(from, to, now);
      expect('refused' in p && p.refused).toMatch(why);
    });
  });
});
