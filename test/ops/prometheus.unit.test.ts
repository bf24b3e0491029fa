/**
 * The sample Grafana dashboard and the Prometheus alert rules are PromQL Prometheus would load, and
 * each query selects one of the hub's metrics. That each of those metrics is served is checked on
 * a running hub (test/ops/metrics.int.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { alertRules, dashboardQueries, metricsIn } from '../support/promql.js';

const HUB_FAMILY = /^(hub|http_server|process|nodejs)_[a-z0-9_]+$/;

describe('PromQL the hub ships', () => {
  it('the dashboard: every query parses and selects a metric of the hub', () => {
    const queries = dashboardQueries();
    expect(queries.length).toBeGreaterThan(5);
    for (const q of queries) {
      const names = metricsIn(q.expr);
      expect(names.length, q.panel).toBeGreaterThan(0);
      for (const n of names) expect(n, q.panel).toMatch(HUB_FAMILY);
    }
  });

  it('the alert rules: every expression parses and selects a metric of the hub', () => {
    const rules = alertRules();
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['HubOrdersStuck', 'HubOutboxOld', 'HubOutboxParked', 'HubKafkaConsumerLag', 'HubCalendarGap', 'HubEngineUnreachable']));
    for (const r of rules) {
      const names = metricsIn(r.expr);
      expect(names.length, r.alert).toBeGreaterThan(0);
      for (const n of names) expect(n, r.alert).toMatch(HUB_FAMILY);
    }
  });

  it('refuses what is not PromQL', () => {
    expect(() => metricsIn('sum(rate(hub_jobs_total[5m])')).toThrow(/not PromQL/);
  });
});
