/**
 * 值班 (domain/duty.ts): the shift on duty at an instant (its start in, its end out), the refusals
 * of a shift (backwards, longer than a week, overlapping another: one leader at a time), and the
 * gaps nobody covers over a window.
 */
import { describe, expect, it } from 'vitest';
import { rotaGaps, shiftAt, shiftRefusal } from '../../domain/duty.js';

const t = (hhmm: string, day = '2026-12-07') => new Date(`${day}T${hhmm}:00+08:00`);
const day = { id: '1', startsAt: t('08:30'), endsAt: t('17:30'), leaderName: '张主任' };
const night = { id: '2', startsAt: t('17:30'), endsAt: t('08:30', '2026-12-08'), leaderName: '李主任' };

describe('the duty rota', () => {
  it('has on duty the shift that started at or before the instant and ends after it', () => {
    expect(shiftAt([day, night], t('08:30'))?.id).toBe('1');
    expect(shiftAt([day, night], t('17:29'))?.id).toBe('1');
    expect(shiftAt([day, night], t('17:30')), 'the night shift takes over at the hand-over instant').toMatchObject({ id: '2' });
    expect(shiftAt([day, night], t('03:00', '2026-12-08'))?.id).toBe('2');
    expect(shiftAt([day, night], t('08:30', '2026-12-08')), 'nobody after the night shift').toBeNull();
    expect(shiftAt([day, night], t('08:29'))).toBeNull();
  });

  it('refuses a shift that ends before it starts, lasts over a week, or overlaps one already there; takes one that meets another end to end', () => {
    expect(shiftRefusal({ startsAt: t('10:00'), endsAt: t('09:00') }, [])?.code).toBe('SHIFT_INVALID');
    expect(shiftRefusal({ startsAt: t('10:00'), endsAt: t('10:00') }, [])?.code).toBe('SHIFT_INVALID');
    expect(shiftRefusal({ startsAt: t('10:00'), endsAt: t('10:01', '2026-12-14') }, [])?.message).toMatch(/at most 7 days/);
    expect(shiftRefusal({ startsAt: t('17:00'), endsAt: t('20:00') }, [day])).toMatchObject({ code: 'SHIFT_OVERLAPS', message: expect.stringContaining('张主任') });
    expect(shiftRefusal({ startsAt: t('07:00'), endsAt: t('08:31') }, [day])?.code).toBe('SHIFT_OVERLAPS');
    expect(shiftRefusal({ startsAt: t('06:00'), endsAt: t('20:00') }, [day]), 'one around another').toMatchObject({ code: 'SHIFT_OVERLAPS' });
    expect(shiftRefusal({ startsAt: t('17:30'), endsAt: t('22:00') }, [day]), 'end to end').toBeNull();
    expect(shiftRefusal({ startsAt: t('00:00'), endsAt: t('08:30') }, [day])).toBeNull();
  });

  it('finds the gaps nobody covers over a window, in order', () => {
    expect(rotaGaps([night, day], t('00:00'), t('12:00', '2026-12-08'))).toEqual([
      { from: t('00:00'), to: t('08:30') },
      { from: t('08:30', '2026-12-08'), to: t('12:00', '2026-12-08') },
    ]);
    expect(rotaGaps([day, night], t('09:00'), t('08:00', '2026-12-08')), 'covered end to end').toEqual([]);
    expect(rotaGaps([], t('09:00'), t('10:00'))).toEqual([{ from: t('09:00'), to: t('10:00') }]);
  });
});
