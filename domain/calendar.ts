/**
 * The working-day calendar of mainland China (工作日): weekends off, statutory holidays off, and the
 * make-up working Saturdays and Sundays (调休) on. The days come from the chinese-days package,
 * and a city's own file (CALENDAR_FILE) adds a year the package does not know yet or corrects one:
 * the State Council publishes next year's schedule each November, often before a package release.
 *
 * A year that neither knows is never guessed in silence: counting through it falls back to
 * weekends only, and says which years it had to guess (`uncoveredYears`), so that the order is
 * flagged and the operator told.
 */
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2027-01-01');

export const calendarFileSchema = z.strictObject({
  $comment: z.string().optional(),
  years: z.array(
    z.strictObject({
      year: z.number().int().min(2000).max(2100),
      /** Where the days come from, e.g. 国务院办公厅关于2027年部分节假日安排的通知 (国办发明电〔2026〕N号). */
      source: z.string().min(1),
      /** Days off that would otherwise be working days (statutory holidays and the days joined to them). */
      holidays: z.array(isoDate),
      /** Weekend days that are working days (调休). */
      workdays: z.array(isoDate),
    }),
  ),
});
export type CalendarFile = z.output<typeof calendarFileSchema>;

/** The days of each known year: days off and make-up working days, by ISO date. */
export interface CalendarDays {
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
  years: ReadonlySet<number>;
}

const yearOf = (date: string): number => Number(date.slice(0, 4));

/** The package's days, with each year the file names replacing the package's version of that year whole. */
export function mergeCalendar(pkg: { holidays: Record<string, unknown>; workdays: Record<string, unknown> }, file: CalendarFile | undefined): CalendarDays {
  const replaced = new Set((file?.years ?? []).map((y) => y.year));
  const holidays = new Set(Object.keys(pkg.holidays).filter((d) => !replaced.has(yearOf(d))));
  const workdays = new Set(Object.keys(pkg.workdays).filter((d) => !replaced.has(yearOf(d))));
  const years = new Set([...holidays].map(yearOf));
  for (const y of file?.years ?? []) {
    for (const d of [...y.holidays, ...y.workdays]) {
      if (yearOf(d) !== y.year) throw new Error(`calendar year ${y.year} lists ${d}, a day of another year`);
    }
    const both = y.holidays.find((d) => y.workdays.includes(d));
    if (both) throw new Error(`calendar year ${y.year} lists ${both} both as a holiday and as a working day`);
    y.holidays.forEach((d) => holidays.add(d));
    y.workdays.forEach((d) => workdays.add(d));
    years.add(y.year);
  }
  return { holidays, workdays, years };
}

const nextDate = (date: string): string => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export class BusinessCalendar {
  constructor(private readonly days: CalendarDays) {}

  knowsYear(year: number): boolean {
    return this.days.years.has(year);
  }

  /** The known years, ascending. */
  get years(): number[] {
    return [...this.days.years].sort((a, b) => a - b);
  }

  isWorkday(date: string): boolean {
    if (this.days.workdays.has(date)) return true;
    if (this.days.holidays.has(date)) return false;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The `n`-th working day after `date` (which itself does not count), and the years without data
   * that the count went through (guessed from weekends only).
   */
  addWorkingDays(date: string, n: number): { date: string; uncoveredYears: number[] } {
    const uncovered = new Set<number>();
    let d = date;
    for (let left = n; left > 0; ) {
      d = nextDate(d);
      if (!this.knowsYear(yearOf(d))) uncovered.add(yearOf(d));
      if (this.isWorkday(d)) left--;
    }
    return { date: d, uncoveredYears: [...uncovered].sort() };
  }
}


/** The years a centre works in now or soon (this year, and from November next year) that the calendar does not know. */
export function calendarGaps(calendar: BusinessCalendar, now: Date): number[] {
  const china = new Date(now.getTime() + 8 * 3600_000);
  const years = [china.getUTCFullYear(), ...(china.getUTCMonth() >= 10 ? [china.getUTCFullYear() + 1] : [])];
  return years.filter((y) => !calendar.knowsYear(y));
}
