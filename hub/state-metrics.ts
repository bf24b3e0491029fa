/**
 * The database's figures for Prometheus, exported by one process per database (ExporterLock), so
 * that a dashboard's `sum` stays right with N replicas: orders by status, the outbox per channel,
 * what is stuck by reason, Kafka consumer lag, and the time orders take from one step to the next
 * (a histogram fed, scrape by scrape, from the history rows added since the last). Every process
 * registers them; the holder of the lock answers, the others leave them empty, and
 * `hub_metrics_exporter` says which one answers.
 */
import type { Kafka } from 'kafkajs';
import { calendarGaps, type BusinessCalendar } from '../domain/calendar.js';
import { rotaGaps } from '../domain/duty.js';
import { ExporterLock } from '../infra/db/exporter-lock.js';
import { Operations } from '../infra/db/operations.js';
import { consumerLags } from '../infra/kafka.js';
import { metrics } from '../infra/metrics.js';
import type { Core } from './core.js';
import { stuckOptions, watchedGroup } from './operations.js';

/** From seconds to a month: a step may take a moment (a job) or weeks (a unit's answer). */
export const STEP_BUCKETS = [1, 5, 30, 60, 300, 900, 3600, 4 * 3600, 86_400, 3 * 86_400, 7 * 86_400, 15 * 86_400, 30 * 86_400];

export function registerStateMetrics(core: Core, kafka: () => Kafka, calendar: BusinessCalendar, now: () => Date): { close(): Promise<void> } {
  const owner = {};
  const lock = new ExporterLock(core.ds);
  const ops = new Operations(core.ds);
  /** A gauge only the lock's holder reads. */
  const state = (name: string, help: string, labels: string[], read: () => Promise<Array<{ labels: Record<string, string>; value: number }>>) =>
    metrics.gauge(owner, name, help, labels, async () => ((await lock.holds()) ? read() : []));

  metrics.gauge(owner, 'hub_metrics_exporter', "1 in the one process that exports the database's figures (hub_orders, hub_outbox_*, hub_stuck, hub_kafka_consumer_lag, hub_step_duration_seconds), 0 in the others", [], async () => [{ labels: {}, value: (await lock.holds()) ? 1 : 0 }]);
  state('hub_orders', 'Orders by status, now (work_order)', ['status'], async () => (await core.store.countByStatus()).map((r) => ({ labels: { status: r.status }, value: r.count })));
  const outbox = async () => core.outbox.counts();
  state('hub_outbox_waiting', 'Outbox messages not yet delivered (not parked), by channel', ['channel'], async () => (await outbox()).map((c) => ({ labels: { channel: c.channel }, value: c.pending })));
  state('hub_outbox_parked', 'Outbox messages given up on until replayed, by channel', ['channel'], async () => (await outbox()).map((c) => ({ labels: { channel: c.channel }, value: c.parked })));
  state('hub_outbox_oldest_waiting_seconds', 'Age of the oldest outbox message waiting, by channel', ['channel'], async () =>
    (await outbox()).filter((c) => c.oldestPendingAt).map((c) => ({ labels: { channel: c.channel }, value: (Date.now() - new Date(c.oldestPendingAt!).getTime()) / 1000 })),
  );
  state('hub_stuck', 'What hangs now, by reason (hub stuck)', ['reason'], async () => {
    const by = new Map<string, number>();
    for (const i of await ops.stuck(stuckOptions(core.config, undefined, kafka()))) by.set(i.reason, (by.get(i.reason) ?? 0) + 1);
    return [...by].map(([reason, value]) => ({ labels: { reason }, value }));
  });
  state('hub_kafka_consumer_lag', "Messages waiting for the hub's and the adapters' Kafka consumer groups", ['group'], async () =>
    (await consumerLags(kafka(), watchedGroup)).map((g) => ({ labels: { group: g.groupId }, value: Object.values(g.lag).reduce((a, b) => a + b, 0) })),
  );
  // Step times: the history rows added since the last scrape, observed by the holder, from the
  // newest row when this process started (a holder that takes over observes the steps since its
  // own start; its series are its own, as a restarted counter's are).
  const start = ops.stepsAfter(undefined).then((r) => r.lastId, () => undefined);
  let after: string | undefined;
  const STEP_HELP = "Time from an order's previous step to this one, by step (order_history), observed as the steps are recorded";
  metrics.histogram('hub_step_duration_seconds', STEP_HELP, ['step'], STEP_BUCKETS);
  state('hub_step_history_last_id', 'The last order_history row the step-time histogram has read (it follows the history, scrape by scrape)', [], async () => {
    after ??= await start;
    const read = await ops.stepsAfter(after);
    after = read.lastId;
    for (const s of read.steps) if (s.seconds !== null) metrics.observe('hub_step_duration_seconds', STEP_HELP, { step: s.step }, s.seconds, STEP_BUCKETS);
    return [{ labels: {}, value: Number(after) }];
  });
  // 值班: how long from now the rota has someone on duty without a break (0: nobody now); looked a week ahead.
  state('hub_duty_rota_covered_seconds', 'Seconds from now until the duty rota first has nobody on duty (0: nobody now; at most a week, looked no further); escalations in a gap go to the catalogue\'s standing duty address', [], async () => {
    const from = now();
    const to = new Date(from.getTime() + 7 * 86_400_000);
    const gap = rotaGaps(await core.rota.between(from, to), from, to)[0];
    return [{ labels: {}, value: ((gap?.from ?? to).getTime() - from.getTime()) / 1000 }];
  });
  // Configuration, not the database: every process says what its calendar knows.
  metrics.gauge(owner, 'hub_calendar_gap_years', "Years the working-day calendar (CALENDAR_FILE) should know and does not: this year, and from November next year (deadlines there count weekends only; the hub's calendar-gap warning)", [], async () => [{ labels: {}, value: calendarGaps(calendar, now()).length }]);
  return {
    close: async () => {
      metrics.unregister(owner);
      await lock.close();
    },
  };
}
