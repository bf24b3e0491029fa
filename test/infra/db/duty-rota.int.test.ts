/**
 * 值班表 on MySQL (infra/db/duty-rota.ts): the leader on duty at an instant, shifts listed in order,
 * and overlapping shifts added by several at once — one of them is taken, the rest refused, so an
 * escalation never has two leaders to choose from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/config.js';
import { createDataSource, openDataSource } from '../../../infra/db/data-source.js';
import { ShiftRefused, SqlDutyRota } from '../../../infra/db/duty-rota.js';

const ds = createDataSource(loadConfig());
beforeAll(() => openDataSource(ds));
afterAll(() => ds.destroy());
const rota = new SqlDutyRota(ds);
const t = (hhmm: string, day = '2031-05-05') => new Date(`${day}T${hhmm}:00+08:00`);
const shift = (from: Date, to: Date, name: string) => ({ startsAt: from, endsAt: to, leaderName: name, leaderEmail: `${name}@example.invalid`, leaderPhone: null });

describe('the duty rota (MySQL)', () => {
  it('gives the leader on duty at an instant, and nobody in a gap', async () => {
    await rota.add(shift(t('08:30'), t('17:30'), 'day'), 'test', new Date());
    await rota.add(shift(t('17:30'), t('08:30', '2031-05-06'), 'night'), 'test', new Date());
    expect((await rota.onDuty(t('12:00')))?.email).toBe('day@example.invalid');
    expect((await rota.onDuty(t('17:30')))?.email, 'the night shift from the hand-over instant').toBe('night@example.invalid');
    expect(await rota.onDuty(t('08:00'))).toBeNull();
    expect((await rota.between(t('00:00'), t('23:59'))).map((s) => s.leaderName)).toEqual(['day', 'night']);
  });

  it('takes one of several overlapping shifts added at once and refuses the others', async () => {
    const tries = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => rota.add(shift(t('09:00', '2031-05-10'), t(`1${i}:00`, '2031-05-10'), `racer${i}`), 'test', new Date())));
    expect(tries.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = tries.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as ShiftRefused);
    expect(refused).toHaveLength(7);
    for (const e of refused) expect(e).toMatchObject({ code: 'SHIFT_OVERLAPS' });
    expect(await rota.between(t('00:00', '2031-05-10'), t('23:59', '2031-05-10'))).toHaveLength(1);
  });

  it('removes a shift, and says when there was none', async () => {
    const s = await rota.add(shift(t('09:00', '2031-06-01'), t('10:00', '2031-06-01'), 'gone'), 'test', new Date());
    expect(await rota.remove(s.id)).toBe(true);
    expect(await rota.remove(s.id)).toBe(false);
    expect(await rota.onDuty(t('09:30', '2031-06-01'))).toBeNull();
  });
});
