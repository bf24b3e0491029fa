import { describe, expect, it } from 'vitest';
import { chinaDate, dueAt as dueWith, type TimeLimit } from '../../domain/deadline.js';
import { loadCalendar } from '../../infra/calendar.js';

const calendar = loadCalendar();
const dueAt = (start: Date, limit: TimeLimit): Date => dueWith(start, limit, calendar).due;

// Instants are written in China time (+08:00) to read like the centre's clock.
const at = (s: string): Date => new Date(s);

describe('deadlines in working days', () => {
  it('counts 3 working days from a Monday to the end of Thursday', () => {
    expect(dueAt(at('2026-11-23T10:00:00+08:00'), { workingDays: 3 }).toISOString()).toBe(
      at('2026-11-27T00:00:00+08:00').toISOString(),
    );
  });

  it('skips the weekend: 3 working days from a Thursday end on Tuesday', () => {
    expect(chinaDate(new Date(dueAt(at('2026-11-26T16:30:00+08:00'), { workingDays: 3 }).getTime() - 1))).toBe('2026-12-01');
  });

  it('skips the National Day holiday and counts its make-up Saturday as a working day', () => {
    // 2026: 1-7 October off; Saturday 10 October is a make-up working day (调休).
    const due = dueAt(at('2026-09-30T09:00:00+08:00'), { workingDays: 3 });
    const lastDay = chinaDate(new Date(due.getTime() - 1));
    expect(lastDay).toBe('2026-10-10');
  });

  it('uses the China date of the start even when UTC is still on the previous day', () => {
    // 00:30 in Beijing on Friday is 16:30 UTC on Thursday.
    const due = dueAt(at('2026-11-27T00:30:00+08:00'), { workingDays: 1 });
    expect(chinaDate(new Date(due.getTime() - 1))).toBe('2026-11-30');
  });

  it('gives an urgent order 30 minutes, whatever the day', () => {
    expect(dueAt(at('2026-10-01T12:00:00+08:00'), { minutes: 30 }).toISOString()).toBe(
      at('2026-10-01T12:30:00+08:00').toISOString(),
    );
  });

  it('refuses limits that make no sense', () => {
    expect(() => dueAt(new Date(), { workingDays: 0 })).toThrow(RangeError);
    expect(() => dueAt(new Date(), { workingDays: 1.5 })).toThrow(RangeError);
    expect(() => dueAt(new Date(), { minutes: -5 })).toThrow(RangeError);
  });
});
