/**
 * The console's clock (console/time.js): every instant the API sends in UTC is shown in the
 * centre's time zone, and the periods the console asks for begin at the zone's midnight.
 */
import { describe, expect, it } from 'vitest';
import { formatDay, formatInstant, formatPeriod, fromLocalInput, monthOf, startOfDay, toLocalInput, zoneName } from '../../console/time.js';

const BEIJING = 'Asia/Shanghai';

describe('instants on the console, in the centre\'s time zone', () => {
  it.each([
    ['2026-10-31T16:00:00.000Z', '2026-11-01 00:00', 'the first of November begins at 16:00 UTC the day before'],
    ['2026-12-09T15:59:59Z', '2026-12-09 23:59', 'a deadline at the end of a working day'],
    ['2026-12-31T16:00:00Z', '2027-01-01 00:00', 'the new year in Beijing, still the old one in UTC'],
    ['2026-06-01T02:03:04.567Z', '2026-06-01 10:03', 'minutes, not seconds, by default'],
  ])('%s is %s in Beijing time (%s)', (iso, shown) => {
    expect(formatInstant(iso, BEIJING)).toBe(shown);
  });

  it('shows seconds when asked, a Date as well as a string, and nothing for no instant', () => {
    expect(formatInstant('2026-06-01T02:03:04.567Z', BEIJING, { seconds: true })).toBe('2026-06-01 10:03:04');
    expect(formatInstant(new Date('2026-06-01T02:03:04Z'), BEIJING)).toBe('2026-06-01 10:03');
    for (const none of [null, undefined, '', 'not a time']) expect(formatInstant(none, BEIJING)).toBe('');
  });

  it('follows the configured zone', () => {
    expect(formatInstant('2026-10-31T16:00:00Z', 'Asia/Urumqi')).toBe('2026-10-31 22:00');
    expect(formatInstant('2026-10-31T16:00:00Z', 'UTC')).toBe('2026-10-31 16:00');
    expect(zoneName(BEIJING)).toBe('北京时间');
    expect(zoneName('Europe/Berlin')).toBe('Europe/Berlin');
  });

  it('names a period [from, to) by its first and last day in the zone', () => {
    expect(formatPeriod('2026-10-31T16:00:00.000Z', '2026-11-30T16:00:00.000Z', BEIJING)).toBe('2026-11-01 至 2026-11-30');
    expect(formatDay('2026-11-30T15:59:59.999Z', BEIJING)).toBe('2026-11-30');
  });

  it('asks for this month from the zone\'s midnight of its first day to that of the next month\'s', () => {
    expect(startOfDay('2026-11-01', BEIJING).toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(monthOf(new Date('2026-11-30T17:00:00Z'), BEIJING), 'past 16:00 UTC on the 30th it is December in Beijing').toEqual({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
    expect(monthOf(new Date('2026-12-15T04:00:00Z'), BEIJING).to, 'December runs into the new year').toBe('2026-12-31T16:00:00.000Z');
    expect(monthOf(new Date('2026-11-30T17:00:00Z'), 'Asia/Urumqi')).toEqual({ from: '2026-10-31T18:00:00.000Z', to: '2026-11-30T18:00:00.000Z' });
    // A zone with daylight saving: October in Berlin ends on winter time.
    expect(monthOf(new Date('2026-10-15T12:00:00Z'), 'Europe/Berlin')).toEqual({ from: '2026-09-30T22:00:00.000Z', to: '2026-10-31T23:00:00.000Z' });
  });
});

describe('times typed into a form, in the centre\'s time zone', () => {
  it('reads a datetime-local value as the zone\'s wall clock and sends it with the zone\'s offset', () => {
    expect(fromLocalInput('2026-12-10T17:00', BEIJING)).toBe('2026-12-10T17:00:00+08:00');
    expect(Date.parse(fromLocalInput('2026-12-10T17:00', BEIJING))).toBe(Date.parse('2026-12-10T09:00:00Z'));
    expect(fromLocalInput('2026-12-10T17:00', 'Asia/Kolkata')).toBe('2026-12-10T17:00:00+05:30');
    expect(fromLocalInput('2026-07-01T12:00', 'America/New_York')).toBe('2026-07-01T12:00:00-04:00');
    expect(fromLocalInput('2026-12-01T12:00', 'America/New_York')).toBe('2026-12-01T12:00:00-05:00');
  });

  it('sends nothing for an empty or malformed value', () => {
    for (const bad of ['', '2026-12-10', '2026-12-10 17:00', 'tomorrow', undefined]) expect(fromLocalInput(bad as string, BEIJING)).toBe('');
  });

  it('fills a field with an instant as the zone shows it, and reads it back unchanged', () => {
    expect(toLocalInput('2026-12-10T09:00:00Z', BEIJING)).toBe('2026-12-10T17:00');
    expect(toLocalInput(null, BEIJING)).toBe('');
    expect(Date.parse(fromLocalInput(toLocalInput('2026-12-31T16:00:00Z', BEIJING), BEIJING))).toBe(Date.parse('2026-12-31T16:00:00Z'));
  });
});
