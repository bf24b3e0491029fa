/** PromQL read with Prometheus's own grammar (@prometheus-io/lezer-promql): the metrics an expression selects. */
import fs from 'node:fs';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { parse as parseYaml } from 'yaml';
import { projectRoot } from '../../infra/config.js';

/** The metric names `expr` selects; throws where it is not PromQL. */
export function metricsIn(expr: string): string[] {
  const names: string[] = [];
  parser.parse(expr).iterate({
    enter: (n) => {
      if (n.type.isError) throw new Error(`not PromQL at ${n.from}: ${expr}`);
      if (n.type.name === 'Identifier' && n.node.parent?.type.name === 'VectorSelector') names.push(expr.slice(n.from, n.to));
    },
  });
  return names;
}

/** docs/prometheus/alerts.yml's rules. */
export function alertRules(): Array<{ alert: string; expr: string }> {
  const doc = parseYaml(fs.readFileSync(path.join(projectRoot, 'docs/prometheus/alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
  return doc.groups.flatMap((g) => g.rules);
}

/** docs/grafana-dashboard.json's queries, by panel. */
export function dashboardQueries(): Array<{ panel: string; expr: string }> {
  const dash = JSON.parse(fs.readFileSync(path.join(projectRoot, 'docs/grafana-dashboard.json'), 'utf8')) as { panels: Array<{ title: string; targets: Array<{ expr: string }> }> };
  return dash.panels.flatMap((p) => p.targets.map((t) => ({ panel: p.title, expr: t.expr })));
}
