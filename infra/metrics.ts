/**
 * Counters and timings in the Prometheus text format, in process (no client library): what each
 * adapter did, labelled with its name. `GET /metrics` on the gateway and `hub adapters` show them.
 */
type Labels = Record<string, string>;

const key = (labels: Labels): string =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',');

export class Metrics {
  private readonly counters = new Map<string, { help: string; values: Map<string, number> }>();

  inc(name: string, help: string, labels: Labels, by = 1): void {
    let c = this.counters.get(name);
    if (!c) this.counters.set(name, (c = { help, values: new Map() }));
    const k = key(labels);
    c.values.set(k, (c.values.get(k) ?? 0) + by);
  }

  /** The value of one counter series (0 when never counted). */
  get(name: string, labels: Labels): number {
    return this.counters.get(name)?.values.get(key(labels)) ?? 0;
  }

  render(): string {
    const out: string[] = [];
    for (const [name, c] of this.counters) {
      out.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`);
      for (const [k, v] of c.values) out.push(`${name}{${k}} ${v}`);
    }
    return `${out.join('\n')}\n`;
  }
}

/** The process's metrics. */
export const metrics = new Metrics();
