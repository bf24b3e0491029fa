/**
 * 值班表 on MySQL: shifts added (refused when they overlap one already there, checked under a
 * named lock so that two supervisors adding at once cannot both slip in), removed, listed, and the
 * one on duty at an instant — the read every escalation makes.
 */
import type { DataSource } from 'typeorm';
import { shiftRefusal, type NewShift, type Shift } from '../../domain/duty.js';
import type { DutyRota } from '../../usecases/ports.js';
import { HubError } from '../../usecases/errors.js';

export class ShiftRefused extends HubError {
  constructor(code: 'SHIFT_INVALID' | 'SHIFT_OVERLAPS', message: string) {
    super(code, message, false);
  }
}

type Raw = { id: string | number; startsAt: Date; endsAt: Date; leaderName: string; leaderEmail: string; leaderPhone: string | null };
const COLUMNS = 'id, starts_at AS startsAt, ends_at AS endsAt, leader_name AS leaderName, leader_email AS leaderEmail, leader_phone AS leaderPhone';
const shiftOf = (r: Raw): Shift => ({ id: String(r.id), startsAt: new Date(r.startsAt), endsAt: new Date(r.endsAt), leaderName: r.leaderName, leaderEmail: r.leaderEmail, leaderPhone: r.leaderPhone ?? null });

export class SqlDutyRota implements DutyRota {
  constructor(private readonly ds: DataSource) {}

  async onDuty(at: Date): Promise<{ name: string; email: string; phone: string | null } | null> {
    const [r] = (await this.ds.query(`SELECT ${COLUMNS} FROM duty_shift WHERE starts_at <= ? AND ends_at > ? ORDER BY starts_at DESC LIMIT 1`, [at, at])) as Raw[];
    return r ? { name: r.leaderName, email: r.leaderEmail, phone: r.leaderPhone ?? null } : null;
  }

  /** The shifts that touch [from, to), in order. */
  async between(from: Date, to: Date): Promise<Shift[]> {
    return ((await this.ds.query(`SELECT ${COLUMNS} FROM duty_shift WHERE ends_at > ? AND starts_at < ? ORDER BY starts_at LIMIT 1000`, [from, to])) as Raw[]).map(shiftOf);
  }

  async add(s: NewShift, by: string, at: Date): Promise<Shift> {
    // One connection, autocommit: the insert is committed before the lock is let go, so the next
    // writer's overlap check sees it.
    const qr = this.ds.createQueryRunner();
    await qr.connect();
    const lock = 'hub_duty_rota';
    try {
      const [{ got }] = (await qr.query('SELECT GET_LOCK(CONCAT(?, DATABASE()), 10) AS got', [lock])) as [{ got: number | string }];
      if (Number(got) !== 1) throw new Error('the duty rota is being changed elsewhere; try again');
      try {
        const near = ((await qr.query(`SELECT ${COLUMNS} FROM duty_shift WHERE ends_at > ? AND starts_at < ?`, [s.startsAt, s.endsAt])) as Raw[]).map(shiftOf);
        const refused = shiftRefusal(s, near);
        if (refused) throw new ShiftRefused(refused.code, refused.message);
        const r = (await qr.query('INSERT INTO duty_shift (starts_at, ends_at, leader_name, leader_email, leader_phone, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [s.startsAt, s.endsAt, s.leaderName, s.leaderEmail, s.leaderPhone, by, at])) as { insertId: number };
        return { id: String(r.insertId), ...s };
      } finally {
        await qr.query('SELECT RELEASE_LOCK(CONCAT(?, DATABASE()))', [lock]);
      }
    } finally {
      await qr.release();
    }
  }

  async remove(id: string): Promise<boolean> {
    const r = (await this.ds.query('DELETE FROM duty_shift WHERE id = ?', [id])) as { affectedRows: number };
    return r.affectedRows > 0;
  }
}
