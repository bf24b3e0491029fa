import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chinaDate, dueAt } from '../../domain/deadline.js';
import { loadCalendar } from '../../infra/calendar.js';
import { calendarGaps } from '../../domain/calendar.js';

const write = (content: unknown): string => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'calendar-')), 'calendar.json');
  fs.writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
};
const lastDay = (due: Date): string => chinaDate(new Date(due.getTime() - 1));

/** The 2027 days of a city's file, as they might be published (a test's own data, not the official schedule). */
const with2027 = { years: [{ year: 2027, source: 'test data', holidays: ['2027-01-01', '2027-01-02', '2027-01-03'], workdays: [] }] };

describe('working-day calendar', () => {
  it('does not guess a year the package does not know in silence: 3 working days from 2026-12-30 counted from weekends only, and said so', () => {
    const { due, uncoveredYears } = dueAt(new Date('2026-12-30T10:00:00+08:00'), { workingDays: 3 }, loadCalendar());
    // 31 Dec, (1 Jan taken as a working day: unknown), 4 Jan.
    expect(lastDay(due)).toBe('2027-01-04');
    expect(uncoveredYears).toEqual([2027]);
  });

  it('counts a year the city adds in its own file, and guesses nothing then', () => {
    const { due, uncoveredYears } = dueAt(new Date('2026-12-30T10:00:00+08:00'), { workingDays: 3 }, loadCalendar(write(with2027)));
    expect(lastDay(due)).toBe('2027-01-05');
    expect(uncoveredYears).toEqual([]);
  });

  it('lets the file correct a year the package knows: the file\'s year replaces the package\'s whole', () => {
    // Suppose 2026-12-31 had been declared a day off: the package's 2026 days are replaced by the file's.
    const own = loadCalendar(write({ years: [{ year: 2026, source: 'test correction', holidays: ['2026-12-31'], workdays: [] }] }));
    expect(own.isWorkday('2026-12-31')).toBe(false);
    expect(own.isWorkday('2026-10-01'), 'National Day is no longer listed: replaced, not merged').toBe(true);
    expect(loadCalendar().isWorkday('2026-10-10'), 'the package knows 2026\'s make-up Saturday').toBe(true);
  });

  it('names the file and the fault when the file is wrong', () => {
    expect(() => loadCalendar(write('{ years: '))).toThrow(/CALENDAR_FILE .* cannot be read as JSON/);
    expect(() => loadCalendar(write({ years: [{ year: 2027, source: 's', holidays: ['2028-01-01'], workdays: [] }] }))).toThrow(/lists 2028-01-01, a day of another year/);
    expect(() => loadCalendar(write({ years: [{ year: 2027, source: 's', holidays: ['2027-02-07'], workdays: ['2027-02-07'] }] }))).toThrow(/both as a holiday and as a working day/);
    expect(() => loadCalendar(write({ years: [{ year: 2027, holidays: [], workdays: [] }] }))).toThrow(/is invalid/);
  });

  it('warns of this year, and from November of next year, when the calendar does not know it', () => {
    const pkg = loadCalendar();
    expect(calendarGaps(pkg, new Date('2026-06-01T12:00:00+08:00'))).toEqual([]);
    expect(calendarGaps(pkg, new Date('2026-11-26T12:00:00+08:00'))).toEqual([2027]);
    expect(calendarGaps(loadCalendar(write(with2027)), new Date('2026-11-26T12:00:00+08:00'))).toEqual([]);
  });
});
