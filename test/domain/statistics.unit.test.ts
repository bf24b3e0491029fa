import { describe, expect, it } from 'vitest';
import { EMPTY_COUNTS, rate, ratesOf, statisticsCsv } from '../../domain/statistics.js';

describe('statistics', () => {
  it('gives no rate where there is nothing to divide by, never 0% or 100%', () => {
    expect(ratesOf(EMPTY_COUNTS)).toEqual({ closureRate: null, onTimeRate: null, satisfactionRate: null, returnRate: null, repeatCallRate: null });
    expect(rate(1, 3)).toBe(0.3333);
    expect(rate(2, 3)).toBe(0.6667);
  });

  it('counts a repeat call against all calls, orders and repeats together', () => {
    expect(ratesOf({ ...EMPTY_COUNTS, volume: 9, repeatCalls: 1 }).repeatCallRate).toBe(0.1);
  });

  it('writes CSV with a byte-order mark, zh-CN headings, CRLF lines and quoted cells where needed', () => {
    const csv = statisticsCsv([{ key: 'a', name: '甲,乙"丙"', volume: 1, closureRate: null }]);
    expect(csv.startsWith('\uFEFF编码,名称,受理量,')).toBe(true);
    expect(csv.split('\r\n')[1]).toBe('a,"甲,乙""丙""",1,,,,,,,,,,,,');
  });
});
