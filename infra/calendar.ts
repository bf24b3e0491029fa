/**
 * Loads the working-day calendar: the days the chinese-days package ships (read from its data
 * file: its own functions would guess an unknown year in silence) and the city's file on top.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { BusinessCalendar, calendarFileSchema, mergeCalendar, type CalendarFile } from '../domain/calendar.js';

function packageDays(): { holidays: Record<string, unknown>; workdays: Record<string, unknown> } {
  const file = createRequire(import.meta.url).resolve('chinese-days/dist/chinese-days.json');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as { holidays: Record<string, unknown>; workdays: Record<string, unknown> };
}

/**
 * The calendar the hub counts with: the package's days and, when `file` is given, the city's own
 * file on top. A file that cannot be read or is wrong stops start-up, naming it.
 */
export function loadCalendar(file?: string): BusinessCalendar {
  let own: CalendarFile | undefined;
  if (file) {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`CALENDAR_FILE ${file} cannot be read as JSON: ${(err as Error).message}`, { cause: err });
    }
    const parsed = calendarFileSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`CALENDAR_FILE ${file} is invalid: ${z.prettifyError(parsed.error)}`);
    own = parsed.data;
  }
  try {
    return new BusinessCalendar(mergeCalendar(packageDays(), own));
  } catch (err) {
    throw new Error(`CALENDAR_FILE ${file}: ${(err as Error).message}`, { cause: err });
  }
}
