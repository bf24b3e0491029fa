/**
 * GET /metrics scraped as Prometheus does, with an operator's key, on the real stack: its figures
 * match the database (orders by status, the outbox per channel, what is stuck by reason), the jobs
 * the workers finished are counted by type and outcome with their times, and Node's own figures
 * are there under their standard names, requests are counted per route template, and the sample
 * dashboard and the alert rules name only metrics served. Every process serves its own metrics on
 * its METRICS_PORT without a key; the database's figures come from one process only (a
 * workers-only process beside the hub exports none of them).
 */
import { describe, expect, it } from 'vitest';
import { stuckOptions } from '../../hub/operations.js';
import { Operations } from '../../infra/db/operations.js';
import { createKafka } from '../../infra/kafka.js';
import { useEngineHub, useKeysAndMail } from '../support/engine-hub.js';
import { freePort, spawnHub } from '../support/harness.js';
import { alertRules, dashboardQueries, metricsIn } from '../support/promql.js';

const fx = useKeysAndMail();
const made: string[] = [];
const h = useEngineHub('zeebe', { mail: () => fx.mail, env: { METRICS_PORT: String(await freePort()) } });

/** name{labels} → value, from the text format. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_:][a-z0-9_:]*(?:\{[^}]*\})?) (\S+)$/i.exec(line);
    if (m) out.set(m[1]!, Number(m[2]));
  }
  return out;
}
const scrape = async (): Promise<Map<string, number>> => {
  const res = await fetch(`${h.hub.url}/metrics`, { headers: { authorization: `Bearer ${fx.keys.role.operator}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(await res.text());
};
/** One series' value, whatever the order of its labels. */
const value = (m: Map<string, number>, name: string, labels: Record<string, string>): number | undefined =>
  [...m].find(([k]) => k.startsWith(`${name}{`) && Object.entries(labels).every(([l, v]) => k.includes(`${l}="${v}"`)) && (k.match(/="/g) ?? []).length === Object.keys(labels).length)?.[1];
const family = (m: Map<string, number>, name: string, label: string): Record<string, number> =>
  Object.fromEntries([...m].filter(([k]) => k.startsWith(`${name}{`)).map(([k, v]) => [new RegExp(`${label}="([^"]*)"`).exec(k)![1]!, v]));

describe('GET /metrics', { timeout: 120_000 }, () => {
  it('agrees with the database, counts the jobs, and carries the process figures', async () => {
    for (const title of ['指标测试：噪声', '指标测试：噪声二']) {
      const res = await h.post('/orders', { channel: 'phone', type: 'complaint', category: 'noise', title, description: `${title}，影响休息`, district: 'hexi', address: '河西区友谊路50号', urgent: false, citizen: { name: '指标测试', phone: '13500135010', confidential: false } }, fx.keys.role['call-taker']);
      expect(res.status).toBe(201);
      made.push(((await res.json()) as { orderNo: string }).orderNo);
    }
    const ds = h.hub.store.ds;
    await h.until(async () => Number(((await ds.query("SELECT COUNT(*) AS n FROM work_order WHERE order_no IN (?) AND status = 'dispatched'", [made])) as [{ n: string }])[0].n), 2);

    const byStatus = async () => Object.fromEntries(((await ds.query('SELECT status, COUNT(*) AS n FROM work_order GROUP BY status')) as Array<{ status: string; n: string }>).map((r) => [r.status, Number(r.n)]));
    await h.until(async () => {
      const m = await scrape();
      return JSON.stringify(family(m, 'hub_orders', 'status')) === JSON.stringify(await byStatus());
    }, true);

    const outbox = async () => {
      const rows = (await ds.query('SELECT channel, SUM(parked_at IS NULL) AS waiting, SUM(parked_at IS NOT NULL) AS parked FROM outbox WHERE sent_at IS NULL GROUP BY channel')) as Array<{ channel: string; waiting: string; parked: string }>;
      return { waiting: Object.fromEntries(rows.map((r) => [r.channel, Number(r.waiting)])), parked: Object.fromEntries(rows.map((r) => [r.channel, Number(r.parked)])) };
    };
    await h.until(async () => {
      const m = await scrape();
      const db = await outbox();
      return JSON.stringify({ waiting: family(m, 'hub_outbox_waiting', 'channel'), parked: family(m, 'hub_outbox_parked', 'channel') }) === JSON.stringify(db);
    }, true);

    const kafka = createKafka(h.config, 'test-metrics');
    const stuckByReason = async () => {
      const by: Record<string, number> = {};
      for (const i of await new Operations(ds).stuck(stuckOptions(h.config, undefined, kafka))) by[i.reason] = (by[i.reason] ?? 0) + 1;
      return by;
    };
    await h.until(async () => {
      const m = await scrape();
      return JSON.stringify(Object.entries(family(m, 'hub_stuck', 'reason')).sort()) === JSON.stringify(Object.entries(await stuckByReason()).sort());
    }, true);

    // Step times: a histogram fed from the history, one observation per step recorded.
    const [{ n }] = (await ds.query("SELECT COUNT(*) AS n FROM order_history WHERE step = 'dispatch' AND order_no IN (?)", [made])) as [{ n: string }];
    expect(Number(n)).toBe(2);
    await h.until(async () => (value(await scrape(), 'hub_step_duration_seconds_count', { step: 'dispatch' }) ?? 0) >= 2, true);
    // A job is counted once the engine has taken its outcome: a moment after the order's step.
    await h.until(async () => {
      const now = await scrape();
      return [value(now, 'hub_jobs_total', { type: 'classify-order', outcome: 'job-completed' }) ?? 0, value(now, 'hub_job_duration_seconds_count', { type: 'dispatch-order', outcome: 'job-completed' }) ?? 0].every((n) => n >= 2);
    }, true);
    const m = await scrape();
    // Requests per route template, never per path: the two intakes are one series.
    expect(value(m, 'http_server_request_duration_seconds_count', { method: 'POST', route: '/api/v1/orders', status_code: '201' })).toBeGreaterThanOrEqual(2);
    expect([...m.keys()].filter((k) => k.startsWith('http_server_request_duration_seconds_count{') && k.includes('GD2'))).toEqual([]);
    expect(family(m, 'hub_dependency_up', 'dependency')).toEqual({ database: 1, zeebe: 1, kafka: 1 });
    expect(m.get('hub_metrics_exporter')).toBe(1);
    expect(m.get('hub_duty_rota_covered_seconds'), 'no shift on this file\'s rota: nobody on duty now').toBe(0);
    // Node's own, under the names stock dashboards use.
    expect(m.get('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect([...m.keys()].some((k) => k.startsWith('nodejs_eventloop_lag_p99_seconds'))).toBe(true);
    expect([...m.keys()].some((k) => k.startsWith('hub_kafka_consumer_lag{group="hotline-hub"}'))).toBe(true);
    const text = await (await fetch(`${h.hub.url}/metrics`, { headers: { authorization: `Bearer ${fx.keys.role.operator}` } })).text();
    const served = (name: string) => text.includes(`# TYPE ${name.replace(/_(bucket|count|sum)$/, '')} `);
    // The sample dashboard's queries find their series (the adapters' counter needs an adapter in this process).
    const asked = [...new Set(dashboardQueries().flatMap((q) => metricsIn(q.expr)))].filter((n) => n !== 'hub_adapter_messages_total');
    expect(asked.filter((n) => !served(n))).toEqual([]);
    // So do the alert rules': every metric each expression names.
    const rules = alertRules();
    expect(rules.length).toBeGreaterThanOrEqual(8);
    expect(rules.flatMap((r) => metricsIn(r.expr).filter((n) => !served(n)).map((n) => `${r.alert}: ${n}`))).toEqual([]);
  });

  it('is served by every process without a key on its own metrics port, the database figures by one process only', async () => {
    // This file's hub holds the exporter lock (its scrapes above, or this one, took it).
    const own = await fetch(`http://127.0.0.1:${h.config.METRICS_PORT}/metrics`);
    expect(own.status).toBe(200);
    const mine = parse(await own.text());
    expect(mine.get('hub_metrics_exporter')).toBe(1);
    expect(Object.keys(family(mine, 'hub_orders', 'status')).length).toBeGreaterThan(0);
    expect((await fetch(`http://127.0.0.1:${h.config.METRICS_PORT}/api/v1/orders`)).status).toBe(404);
    // A workers-only process beside it, as the scale-out path runs one: its own metrics, none of the database's.
    const port = await freePort();
    const workers = await spawnHub({ HUB_ROLES: 'workers', METRICS_PORT: String(port), DEMO_KEYS: 'false' });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      const theirs = parse(await res.text());
      expect(theirs.get('hub_metrics_exporter')).toBe(0);
      expect(family(theirs, 'hub_orders', 'status')).toEqual({});
      expect(theirs.get('process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(family(theirs, 'hub_dependency_up', 'dependency')).toMatchObject({ database: 1, zeebe: 1 });
    } finally {
      expect(await workers.stop()).toBe(0);
    }
  });

  it('is for operators and admins only', async () => {
    expect((await fetch(`${h.hub.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${h.hub.url}/metrics`, { headers: { authorization: `Bearer ${fx.keys.role['call-taker']}` } })).status).toBe(403);
  });
});
