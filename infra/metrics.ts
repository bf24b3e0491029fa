/**
 * The process's metrics in the Prometheus text format (prom-client), served at `GET /metrics` to
 * operator and admin keys, and without a key on METRICS_HOST:METRICS_PORT: counters and timings the work records as it goes (adapters' messages,
 * jobs by type and outcome), Node's own (CPU, memory, event loop), and gauges read when scraped
 * from where the state lives (orders by status, the outbox per channel, what is stuck by reason,
 * Kafka consumer lag): a scrape always agrees with the database.
 */
import client from 'prom-client';

type Labels = Record<string, string>;

const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

const key = (labels: Labels): string =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

/** A gauge's values at scrape time: one per label set. */
export type GaugeReading = Array<{ labels: Labels; value: number }>;

export class Metrics {
  readonly registry = new client.Registry();
  private readonly counters = new Map<string, { counter: client.Counter; values: Map<string, number> }>();
  private readonly histograms = new Map<string, client.Histogram>();
  private readonly gauges = new Map<string, { owner: object; gauge: client.Gauge }>();

  constructor() {
    // Under their standard names (process_*, nodejs_*): stock Node.js dashboards find them.
    client.collectDefaultMetrics({ register: this.registry });
  }

  inc(name: string, help: string, labels: Labels, by = 1): void {
    let c = this.counters.get(name);
    if (!c) {
      c = { counter: new client.Counter({ name, help, labelNames: Object.keys(labels).sort(), registers: [this.registry] }), values: new Map() };
      this.counters.set(name, c);
    }
    c.counter.inc(labels, by);
    const k = key(labels);
    c.values.set(k, (c.values.get(k) ?? 0) + by);
  }

  /** The value of one counter series (0 when never counted). */
  get(name: string, labels: Labels): number {
    return this.counters.get(name)?.values.get(key(labels)) ?? 0;
  }

  /** A histogram, served (empty) before its first observation. */
  histogram(name: string, help: string, labelNames: string[], buckets: number[] = DEFAULT_BUCKETS): client.Histogram {
    let h = this.histograms.get(name);
    if (!h) {
      h = new client.Histogram({ name, help, labelNames: [...labelNames].sort(), buckets, registers: [this.registry] });
      this.histograms.set(name, h);
    }
    return h;
  }

  /** One timing, in seconds. */
  observe(name: string, help: string, labels: Labels, seconds: number, buckets = DEFAULT_BUCKETS): void {
    this.histogram(name, help, Object.keys(labels), buckets).observe(labels, seconds);
  }

  /**
   * A gauge read when scraped. The latest owner to register a name reads it (one hub per process
   * in production; a test may start several); `unregister` by that owner removes it.
   */
  gauge(owner: object, name: string, help: string, labelNames: string[], read: () => Promise<GaugeReading>): void {
    this.unregister(owner, name, true);
    const gauge = new client.Gauge({
      name,
      help,
      labelNames,
      registers: [],
      async collect() {
        const values = await read();
        this.reset();
        for (const v of values) this.set(v.labels, v.value);
      },
    });
    this.registry.registerMetric(gauge);
    this.gauges.set(name, { owner, gauge });
  }

  /** Removes the gauges `owner` registered (a hub that closes: its database is gone). */
  unregister(owner: object, name?: string, anyOwner = false): void {
    for (const [n, g] of this.gauges) {
      if ((name === undefined || n === name) && (anyOwner || g.owner === owner)) {
        this.registry.removeSingleMetric(n);
        this.gauges.delete(n);
      }
    }
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** The process's metrics. */
export const metrics = new Metrics();

/** One job a worker finished: counted by type and outcome, its time observed. */
export function countJob(type: string, outcome: string, ms: number): void {
  metrics.inc('hub_jobs_total', 'Jobs the workers finished, by job type and outcome (job-completed, job-failed, incident, job-error)', { type, outcome });
  metrics.observe('hub_job_duration_seconds', "A job's time in the worker, by job type and outcome", { type, outcome }, ms / 1000);
}
