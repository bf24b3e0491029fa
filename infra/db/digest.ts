/**
 * 群众来电摘报 on MySQL: a day's figures against the four weeks before, read through the indexes on
 * acceptance time (work_order.created_at) and step time (order_history.occurred_at); each day's
 * terms counted once (infra/text/terms.ts) and kept — its 200 most frequent — in digest_day_term,
 * so that a digest segments one day of requests, not twenty-nine. A digest is kept once a day:
 * the first process to write the day's row sends it.
 */
import type { DataSource } from 'typeorm';
import type { Catalog } from '../../domain/catalog.js';
import { findUnit } from '../../domain/catalog.js';
import { CHASE_ALARMS, SUPERVISION_ALARMS } from '../../domain/alarms.js';
import { DIGEST_BASELINE_DAYS, surging, type Count, type Digest } from '../../domain/digest.js';
import { OPEN_STATUSES } from '../../domain/order.js';
import { chinaDate } from '../../domain/deadline.js';
import type { OutboxChannel, OutboxMessage } from '../../domain/outgoing.js';
import { termsOf } from '../text/terms.js';
import { insertOutbox, Transactions } from './transaction.js';

const DAY_MS = 86_400_000;
/** China's midnight that starts a China date. */
const startOf = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`));
const TERMS_KEPT = 200;

type Raw = Record<string, unknown>;
const n = (v: unknown) => Number(v ?? 0);

export class DigestStore {
  private readonly txs: Transactions;
  constructor(
    private readonly ds: DataSource,
    onOutbox: (channels: ReadonlySet<OutboxChannel>) => void = () => undefined,
  ) {
    this.txs = new Transactions(ds, onOutbox);
  }

  /** A day's terms: counted from its requests once, then read back. */
  private async termsOfDay(day: string): Promise<Map<string, number>> {
    const [done] = (await this.ds.query('SELECT day FROM digest_day_done WHERE day = ?', [day])) as Raw[];
    if (!done) {
      const rows = (await this.ds.query(
        "SELECT title, description FROM work_order WHERE created_at >= ? AND created_at < ? AND order_no IS NOT NULL AND status <> 'merged' AND citizen_confidential = 0",
        [startOf(day), new Date(startOf(day).getTime() + DAY_MS)],
      )) as Array<{ title: string; description: string }>;
      const counts = new Map<string, number>();
      for (const r of rows) for (const t of termsOf(`${r.title}\n${r.description}`)) counts.set(t, (counts.get(t) ?? 0) + 1);
      const top = [...counts].sort((a, b) => b[1] - a[1]).slice(0, TERMS_KEPT);
      // A day still going on is counted again next time; a day over is kept.
      if (startOf(day).getTime() + DAY_MS <= Date.now()) {
        if (top.length > 0) await this.ds.query(`INSERT IGNORE INTO digest_day_term (day, term, orders) VALUES ${top.map(() => '(?, ?, ?)').join(', ')}`, top.flatMap(([t, c]) => [day, t, c]));
        await this.ds.query('INSERT IGNORE INTO digest_day_done (day) VALUES (?)', [day]);
      }
      return new Map(top);
    }
    const rows = (await this.ds.query('SELECT term, orders FROM digest_day_term WHERE day = ?', [day])) as Array<{ term: string; orders: number }>;
    return new Map(rows.map((r) => [r.term, n(r.orders)]));
  }

  /** The digest of a China date, made from the orders as they are at `now`. */
  async build(day: string, now: Date, catalog: Catalog): Promise<Digest> {
    const from = startOf(day);
    const to = new Date(from.getTime() + DAY_MS);
    const base = new Date(from.getTime() - DIGEST_BASELINE_DAYS * DAY_MS);
    const grouped = async (column: 'category' | 'district', names: ReadonlyArray<{ code: string; name: string }>): Promise<Count[]> =>
      ((await this.ds.query(
        `SELECT ${column} AS k, SUM(created_at >= ?) AS today, SUM(created_at < ?) AS before_ FROM work_order
          WHERE created_at >= ? AND created_at < ? AND order_no IS NOT NULL AND status <> 'merged' GROUP BY ${column}`,
        [from, from, base, to],
      )) as Raw[]).map((r) => ({ key: String(r.k), name: names.find((x) => x.code === r.k)?.name ?? String(r.k), today: n(r.today), before: n(r.before_) }));
    const [categories, districts] = await Promise.all([grouped('category', catalog.categories), grouped('district', catalog.districts)]);
    const today = await this.termsOfDay(day);
    const before = new Map<string, number>();
    for (let i = 1; i <= DIGEST_BASELINE_DAYS; i++) for (const [t, c] of await this.termsOfDay(chinaDate(new Date(from.getTime() - i * DAY_MS)))) before.set(t, (before.get(t) ?? 0) + c);
    const unitName = (code: unknown) => (code ? (findUnit(catalog, String(code))?.name ?? String(code)) : null);

    const hard = (await this.ds.query(
      "SELECT h.order_no AS orderNo, w.hard_case_reason AS reason, w.unit_code AS unit FROM order_history h JOIN work_order w ON w.order_no = h.order_no WHERE h.step = 'hard-case' AND h.occurred_at >= ? AND h.occurred_at < ? ORDER BY h.id",
      [from, to],
    )) as Raw[];
    const overdue = (await this.ds.query(
      `SELECT unit_code AS unit, COUNT(*) AS c FROM work_order WHERE status IN (${OPEN_STATUSES.map(() => '?').join(', ')}) AND due_at IS NOT NULL AND due_at < ? AND order_no IS NOT NULL GROUP BY unit_code ORDER BY c DESC`,
      [...OPEN_STATUSES, now],
    )) as Raw[];
    const alarms = (await this.ds.query(
      `SELECT JSON_UNQUOTE(JSON_EXTRACT(detail, '$.unit')) AS unit, SUM(step IN (${CHASE_ALARMS.map(() => '?').join(', ')})) AS chases, SUM(step IN (${SUPERVISION_ALARMS.map(() => '?').join(', ')})) AS supervised
        FROM order_history WHERE occurred_at >= ? AND occurred_at < ? AND step IN (${CHASE_ALARMS.map(() => '?').join(', ')}) GROUP BY unit`,
      [...CHASE_ALARMS, ...SUPERVISION_ALARMS, from, to, ...CHASE_ALARMS],
    )) as Raw[];
    const trouble = new Map<string, { unit: string; chases: number; supervised: number; overdue: number }>();
    const at = (code: string) => trouble.get(code) ?? trouble.set(code, { unit: unitName(code)!, chases: 0, supervised: 0, overdue: 0 }).get(code)!;
    for (const a of alarms) if (a.unit) Object.assign(at(String(a.unit)), { chases: n(a.chases), supervised: n(a.supervised) });
    for (const o of overdue) if (o.unit) at(String(o.unit)).overdue = n(o.c);

    const total = categories.reduce((s, c) => s + c.today, 0);
    const usual = categories.reduce((s, c) => s + c.before, 0) / DIGEST_BASELINE_DAYS;
    return {
      day,
      volume: { today: total, usual: Math.round(usual * 10) / 10 },
      categories: surging(categories),
      districts: surging(districts),
      terms: surging([...today].map(([t, c]) => ({ key: t, name: t, today: c, before: before.get(t) ?? 0 }))),
      topCategories: [...categories].sort((a, b) => b.today - a.today).filter((c) => c.today > 0).slice(0, 5).map((c) => ({ name: c.name, today: c.today })),
      hardCases: hard.map((h) => ({ orderNo: String(h.orderNo), reason: String(h.reason ?? ''), unit: unitName(h.unit) })),
      overdue: { total: overdue.reduce((s, o) => s + n(o.c), 0), byUnit: overdue.filter((o) => o.unit).map((o) => ({ unit: unitName(o.unit)!, overdue: n(o.c) })) },
      unitsInTrouble: [...trouble.values()].sort((a, b) => b.supervised - a.supervised || b.chases - a.chases || b.overdue - a.overdue),
      madeAt: now.toISOString(),
    };
  }

  /** Keeps a day's digest and its mails, once: false when another process kept it first. */
  async keep(d: Digest, mails: OutboxMessage[]): Promise<boolean> {
    return this.txs.run(async (em, emitted) => {
      const r = (await em.query('INSERT IGNORE INTO digest (day, content, created_at) VALUES (?, ?, ?)', [d.day, JSON.stringify(d), new Date()])) as { affectedRows: number };
      if (r.affectedRows === 0) return false;
      await insertOutbox(em, `digest:${d.day}`, mails, new Date());
      for (const m of mails) emitted.add(m.channel);
      return true;
    });
  }

  async get(day: string): Promise<Digest | null> {
    const [r] = (await this.ds.query('SELECT content FROM digest WHERE day = ?', [day])) as Array<{ content: string }>;
    return r ? (JSON.parse(r.content) as Digest) : null;
  }

  /** The days with a digest, newest first. */
  async days(limit: number): Promise<string[]> {
    const rows = (await this.ds.query("SELECT DATE_FORMAT(day, '%Y-%m-%d') AS d FROM digest ORDER BY day DESC LIMIT ?", [limit])) as Array<{ d: string }>;
    return rows.map((r) => r.d);
  }
}
