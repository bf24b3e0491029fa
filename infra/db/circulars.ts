/**
 * 通报 on MySQL: the facts a draft is made of (orders their unit still owes after N chases), the
 * circulars themselves, and the sending — the circular numbered (通报〔2026〕3号), a history step on
 * each order it names and its mails in the outbox, in one transaction with the status change, so a
 * circular is sent once or not at all.
 */
import type { DataSource } from 'typeorm';
import { OWING_STATUSES } from '../../domain/order.js';
import { chinaDate } from '../../domain/deadline.js';
import type { OutboxChannel, OutboxMessage } from '../../domain/outgoing.js';
import type { StepEntry } from '../../usecases/ports.js';
import { insertHistory } from './orders.js';
import { insertOutbox, Transactions } from './transaction.js';

export type CircularStatus = 'draft' | 'sent' | 'discarded';

export interface CircularRow {
  id: string;
  status: CircularStatus;
  circularNo: string | null;
  title: string;
  body: string;
  periodLabel: string;
  /** The units (codes) and orders it names, as drafted: who gets it, and which orders record it. */
  units: string[];
  orders: string[];
  draftedBy: string;
  draftedAt: Date;
  editedBy: string | null;
  editedAt: Date | null;
  approvedBy: string | null;
  approvedAt: Date | null;
}

export interface ChasedOwing {
  orderNo: string;
  unitCode: string;
  category: string;
  district: string;
  dueAt: Date | null;
  chases: number;
}

type Raw = Record<string, unknown>;
const COLUMNS = `id, status, circular_no AS circularNo, title, body, facts, period_label AS periodLabel, drafted_by AS draftedBy, drafted_at AS draftedAt,
  edited_by AS editedBy, edited_at AS editedAt, approved_by AS approvedBy, approved_at AS approvedAt`;
const rowOf = (r: Raw): CircularRow => {
  const facts = JSON.parse(String(r.facts)) as { units: string[]; orders: string[] };
  return {
    id: String(r.id),
    status: r.status as CircularStatus,
    circularNo: (r.circularNo as string | null) ?? null,
    title: String(r.title),
    body: String(r.body),
    periodLabel: String(r.periodLabel),
    units: facts.units,
    orders: facts.orders,
    draftedBy: String(r.draftedBy),
    draftedAt: new Date(r.draftedAt as Date),
    editedBy: (r.editedBy as string | null) ?? null,
    editedAt: r.editedAt ? new Date(r.editedAt as Date) : null,
    approvedBy: (r.approvedBy as string | null) ?? null,
    approvedAt: r.approvedAt ? new Date(r.approvedAt as Date) : null,
  };
};

/** What sending a circular writes besides its own row: a step per order, its mails. */
export interface Sending {
  steps: Array<{ orderNo: string; entry: StepEntry }>;
  mails: OutboxMessage[];
}

export class CircularStore {
  private readonly txs: Transactions;
  constructor(
    private readonly ds: DataSource,
    onOutbox: (channels: ReadonlySet<OutboxChannel>) => void = () => undefined,
  ) {
    this.txs = new Transactions(ds, onOutbox);
  }

  /** Orders still owed by their unit after at least `atLeast` chases, oldest deadline first (at most 500). */
  async chasedOwing(atLeast: number): Promise<ChasedOwing[]> {
    const rows = (await this.ds.query(
      `SELECT order_no AS orderNo, unit_code AS unitCode, category, district, due_at AS dueAt, chase_count AS chases FROM work_order
        WHERE status IN (${OWING_STATUSES.map(() => '?').join(', ')}) AND chase_count >= ? AND unit_code IS NOT NULL AND order_no IS NOT NULL
        ORDER BY due_at, order_no LIMIT 500`,
      [...OWING_STATUSES, atLeast],
    )) as Raw[];
    return rows.map((r) => ({ orderNo: String(r.orderNo), unitCode: String(r.unitCode), category: String(r.category), district: String(r.district), dueAt: r.dueAt ? new Date(r.dueAt as Date) : null, chases: Number(r.chases) }));
  }

  async draft(c: { title: string; body: string; periodLabel: string; units: string[]; orders: string[]; by: string; at: Date }): Promise<CircularRow> {
    const r = (await this.ds.query('INSERT INTO circular (status, title, body, facts, period_label, drafted_by, drafted_at) VALUES (?, ?, ?, ?, ?, ?, ?)', ['draft', c.title, c.body, JSON.stringify({ units: c.units, orders: c.orders }), c.periodLabel, c.by, c.at])) as { insertId: number };
    return (await this.get(String(r.insertId)))!;
  }

  async get(id: string): Promise<CircularRow | null> {
    const [r] = (await this.ds.query(`SELECT ${COLUMNS} FROM circular WHERE id = ?`, [id])) as Raw[];
    return r ? rowOf(r) : null;
  }

  /** Newest first; `before`: the last id of the previous page. */
  async list(q: { status?: CircularStatus; limit: number; before?: string }): Promise<CircularRow[]> {
    const where = [...(q.status ? ['status = ?'] : []), ...(q.before ? ['id < ?'] : [])];
    const rows = (await this.ds.query(`SELECT ${COLUMNS} FROM circular ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`, [...(q.status ? [q.status] : []), ...(q.before ? [q.before] : []), q.limit])) as Raw[];
    return rows.map(rowOf);
  }

  /** A draft's text changed by a supervisor: 'not-found', or 'not-draft' once sent or discarded. */
  async edit(id: string, text: { title: string; body: string }, by: string, at: Date): Promise<'edited' | 'not-found' | 'not-draft'> {
    const r = (await this.ds.query("UPDATE circular SET title = ?, body = ?, edited_by = ?, edited_at = ? WHERE id = ? AND status = 'draft'", [text.title, text.body, by, at, id])) as { affectedRows: number };
    if (r.affectedRows > 0) return 'edited';
    return (await this.get(id)) ? 'not-draft' : 'not-found';
  }

  async discard(id: string, by: string, at: Date): Promise<'discarded' | 'not-found' | 'not-draft'> {
    const r = (await this.ds.query("UPDATE circular SET status = 'discarded', edited_by = ?, edited_at = ? WHERE id = ? AND status = 'draft'", [by, at, id])) as { affectedRows: number };
    if (r.affectedRows > 0) return 'discarded';
    return (await this.get(id)) ? 'not-draft' : 'not-found';
  }

  /**
   * Sends a draft: numbers it in its year (通报〔2026〕N号), and writes what `sending` makes of it —
   * a step on each order it names, its mails — in the same transaction. Two supervisors approving
   * at once: one sends, the other is told it is no longer a draft.
   */
  async send(id: string, by: string, at: Date, sending: (c: CircularRow & { circularNo: string }) => Sending): Promise<CircularRow | 'not-found' | 'not-draft'> {
    const year = Number(chinaDate(at).slice(0, 4));
    const out = await this.txs.run(async (em, emitted) => {
      const [r] = (await em.query(`SELECT ${COLUMNS} FROM circular WHERE id = ? FOR UPDATE`, [id])) as Raw[];
      if (!r) return 'not-found' as const;
      const c = rowOf(r);
      if (c.status !== 'draft') return 'not-draft' as const;
      // The year's counter row stays locked until this commits: two circulars sent at once get two numbers.
      await em.query('INSERT INTO circular_counter (year, last_no) VALUES (?, 1) ON DUPLICATE KEY UPDATE last_no = last_no + 1', [year]);
      const [{ n }] = (await em.query('SELECT last_no AS n FROM circular_counter WHERE year = ?', [year])) as [{ n: number | string }];
      const circularNo = `通报〔${year}〕${Number(n)}号`;
      await em.query("UPDATE circular SET status = 'sent', circular_no = ?, approved_by = ?, approved_at = ? WHERE id = ?", [circularNo, by, at, id]);
      const s = sending({ ...c, circularNo });
      for (const step of s.steps) await insertHistory(em, step.orderNo, step.entry, at);
      // The outbox runs on the wall clock (as every step's rows do), whatever the hub's clock says.
      await insertOutbox(em, `circular:${id}`, s.mails, new Date());
      for (const m of s.mails) emitted.add(m.channel);
      return 'sent' as const;
    });
    return out === 'sent' ? (await this.get(id))! : out;
  }
}
