/** The sample Grafana dashboard (docs/grafana-dashboard.json) asks only for metrics the hub serves. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/config.js';

/** What GET /metrics serves under the hub's own names (infra/metrics.ts, hub/compose.ts, the adapter kit) and prom-client's defaults used. */
const SERVED = [
  'hub_orders', 'hub_stuck', 'hub_step_seconds', 'hub_outbox_waiting', 'hub_outbox_parked', 'hub_outbox_oldest_waiting_seconds', 'hub_kafka_consumer_lag',
  'hub_jobs_total', 'hub_job_duration_seconds_bucket', 'hub_adapter_messages_total', 'hub_process_resident_memory_bytes', 'hub_nodejs_eventloop_lag_p99_seconds',
];

describe('docs/grafana-dashboard.json', () => {
  it('is a dashboard whose every query names a metric the hub serves', () => {
    const dash = JSON.parse(fs.readFileSync(path.join(projectRoot, 'docs/grafana-dashboard.json'), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
    expect(dash.panels.length).toBeGreaterThan(5);
    for (const p of dash.panels) {
      for (const t of p.targets) {
        const names = [...t.expr.matchAll(/\b(hub_[a-z0-9_]+)/g)].map((m) => m[1]!);
        expect(names.length, p.title).toBeGreaterThan(0);
        for (const n of names) expect(SERVED, `${p.title}: ${n}`).toContain(n);
      }
    }
  });
});
