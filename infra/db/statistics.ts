/**
 * The counts behind the statistics (domain/statistics.ts), by SQL over work_order and, for
 * dispatches, returns, replies, redos, chases and spot checks, over order_history (a return counts against the
 * unit that made it, even when the order ended elsewhere). Orders are taken by their acceptance time in [from, to).
 */
import type { DataSource } from 'typeorm';
import { EMPTY_COUNTS, type StatCounts, type StatDimension } from '../../domain/statistics.js';
import { OPEN_STATUSES } from '../../domain/order.js';
import { CHASE_ALARMS, SUPERVISION_ALARMS } from '../../domain/alarms.js';

/** The grouping key of an order; days and months are China's (UTC+8). */
const KEY: Record<StatDimension, string> = {
  unit: "COALESCE(w.unit_code, '-')",
  district: 'w.district',
  category: 'w.category',
  day: "DATE_FORMAT(w.created_at + INTERVAL 8 HOUR, '%Y-%m-%d')",
  month: "DATE_FORMAT(w.created_at + INTERVAL 8 HOUR, '%Y-%m')",
};

export async function statisticsCounts(ds: DataSource, by: StatDimension, from: Date, to: Date, now: Date = new Date()): Promise<Map<string, StatCounts>> {
  const orders = (await ds.query(
    `SELECT ${KEY[by]} AS k,
       SUM(w.status <> 'merged') AS volume,
       SUM(w.status = 'merged') AS repeatCalls,
       SUM(w.status = 'closed') AS closed,
       SUM(w.status = 'closed' AND (w.handling_mode IN ('answer-now', 'refer', 'forward', 'coordinate') OR (w.replied_at IS NOT NULL AND w.due_at IS NOT NULL AND w.replied_at <= w.due_at))) AS closedOnTime,
       SUM(w.satisfaction IS NOT NULL) AS rated,
       SUM(w.satisfaction IN ('satisfied', 'basically-satisfied')) AS satisfied,
       SUM(w.resolved IS NOT NULL) AS askedResolved,
       SUM(w.resolved = 1) AS resolved,
       SUM(w.hard_case_at IS NOT NULL) AS hardCases,
       SUM(w.citizen_rating IS NOT NULL) AS evaluated,
       SUM(w.citizen_rating >= 4) AS evaluatedGood
     FROM work_order w
     WHERE w.order_no IS NOT NULL AND w.created_at >= ? AND w.created_at < ?
     GROUP BY k`,
    [from, to],
  )) as Array<Record<string, string | number | null>>;
  // Dispatches, returns, replies, redos and chases are events: a unit's are those its history
  // entries name; a redo's is the unit whose reply it rejected (the last reply before it).
  const unitOfEvent = `CASE WHEN h.step = 'redo' THEN (
      SELECT JSON_UNQUOTE(JSON_EXTRACT(r.detail, '$.unit')) FROM order_history r
       WHERE r.order_no = h.order_no AND r.step = 'reply' AND r.id < h.id ORDER BY r.id DESC LIMIT 1)
    ELSE JSON_UNQUOTE(JSON_EXTRACT(h.detail, '$.unit')) END`;
  const eventKey = by === 'unit' ? `COALESCE(${unitOfEvent}, '-')` : KEY[by];
  const list = (xs: readonly string[]) => xs.map((x) => `'${x}'`).join(', ');
  const dispatchOf = "CONCAT(h.order_no, '#', JSON_EXTRACT(h.detail, '$.dispatchSeq'))";
  const answered = `EXISTS (
         SELECT 1 FROM order_history a
          WHERE a.order_no = h.order_no AND a.step IN ('acknowledge', 'reply') AND a.id > h.id
            AND JSON_EXTRACT(a.detail, '$.dispatchSeq') = JSON_EXTRACT(h.detail, '$.dispatchSeq')`;
  const ackBy = "STR_TO_DATE(JSON_UNQUOTE(JSON_EXTRACT(h.detail, '$.acknowledgeBy')), '%Y-%m-%dT%H:%i:%sZ')";
  const events = (await ds.query(
    `SELECT ${eventKey} AS k, SUM(h.step = 'dispatch') AS dispatches, SUM(h.step = 'return') AS returns,
       SUM(h.step = 'dispatch' AND JSON_EXTRACT(h.detail, '$.acknowledgeBy') IS NOT NULL AND (${ackBy} <= ? OR ${answered}))) AS responseDue,
       SUM(h.step = 'dispatch' AND JSON_EXTRACT(h.detail, '$.acknowledgeBy') IS NOT NULL AND ${answered} AND a.occurred_at <= ${ackBy})) AS respondedInTime,
       SUM(h.step = 'reply') AS replies, SUM(h.step = 'redo') AS redos,
       SUM(h.step IN (${list(CHASE_ALARMS)})) AS chases,
       COUNT(DISTINCT CASE WHEN h.step IN (${list(CHASE_ALARMS)}) THEN ${dispatchOf} END) AS chasedDispatches,
       COUNT(DISTINCT CASE WHEN h.step IN (${list(SUPERVISION_ALARMS)}) THEN ${dispatchOf} END) AS supervisedDispatches,
       SUM(h.step = 'spot-check') AS spotChecks,
       SUM(h.step = 'spot-check' AND JSON_EXTRACT(h.detail, '$.passed') = false) AS spotChecksFailed
     FROM order_history h JOIN work_order w ON w.order_no = h.order_no
     WHERE h.step IN ('dispatch', 'return', 'reply', 'redo', 'spot-check', ${list(CHASE_ALARMS)}) AND w.created_at >= ? AND w.created_at < ?
     GROUP BY k`,
    [now, from, to],
  )) as Array<Record<string, string | number | null>>;
  const out = new Map<string, StatCounts>();
  const row = (k: unknown): StatCounts => {
    const key = String(k ?? '-');
    if (!out.has(key)) out.set(key, { ...EMPTY_COUNTS });
    return out.get(key)!;
  };
  const n = (v: unknown): number => Number(v ?? 0);
  for (const r of orders) Object.assign(row(r.k), { volume: n(r.volume), repeatCalls: n(r.repeatCalls), closed: n(r.closed), closedOnTime: n(r.closedOnTime), rated: n(r.rated), satisfied: n(r.satisfied), askedResolved: n(r.askedResolved), resolved: n(r.resolved), hardCases: n(r.hardCases), evaluated: n(r.evaluated), evaluatedGood: n(r.evaluatedGood) });
  for (const r of events) {
    Object.assign(row(r.k), { dispatches: n(r.dispatches), returns: n(r.returns), responseDue: n(r.responseDue), respondedInTime: n(r.respondedInTime), replies: n(r.replies), redos: n(r.redos), chases: n(r.chases), chasedDispatches: n(r.chasedDispatches), supervisedDispatches: n(r.supervisedDispatches), spotChecks: n(r.spotChecks), spotChecksFailed: n(r.spotChecksFailed) });
  }
  return out;
}

/**
 * The figures of the moment, for the dashboard: orders taken in today (China's day), orders open
 * (any status an order leaves), and of those the ones past their deadline. Read through indexes
 * (created_at; status with due_at), so a dashboard load costs today's orders and the open ones,
 * never the years of closed ones.
 */
export async function statisticsNow(ds: DataSource, now: Date): Promise<{ today: number; open: number; overdue: number }> {
  const dayStart = new Date(Date.parse(`${new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)}T00:00:00+08:00`));
  const [[t], [o]] = (await Promise.all([
    ds.query('SELECT COUNT(*) AS n FROM work_order WHERE created_at >= ? AND order_no IS NOT NULL', [dayStart]),
    ds.query(`SELECT COUNT(*) AS open, SUM(due_at IS NOT NULL AND due_at < ?) AS overdue FROM work_order WHERE status IN (${OPEN_STATUSES.map(() => '?').join(', ')}) AND order_no IS NOT NULL`, [now, ...OPEN_STATUSES]),
  ])) as [Array<{ n: string | number | null }>, Array<{ open: string | number | null; overdue: string | number | null }>];
  return { today: Number(t?.n ?? 0), open: Number(o?.open ?? 0), overdue: Number(o?.overdue ?? 0) };
}

/** The statistics' reads, on one data source: what the gateway's statistics routes ask. */
export class StatisticsStore {
  constructor(private readonly ds: DataSource) {}
  counts(by: StatDimension, from: Date, to: Date, now?: Date): Promise<Map<string, StatCounts>> {
    return statisticsCounts(this.ds, by, from, to, now);
  }
  current(now: Date): Promise<{ today: number; open: number; overdue: number }> {
    return statisticsNow(this.ds, now);
  }
}
