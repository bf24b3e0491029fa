/**
 * The local stack: the process engine (Zeebe, or the Camunda 7 engine for HUB_ENGINE=camunda7)
 * and Kafka started from Maven Central artifacts, MySQL checked and its databases created. Used by
 * `hub stack ...`, by `hub start` and by the integration tests.
 */
import path from 'node:path';
import { CLUSTER_NODES, projectRoot, type Config } from '../infra/config.js';
import { camunda7DatabaseUrl, camunda7Spec } from './camunda7.js';
import { downJava, fetchJava, logFileOf, statusJava, upJava, type ComponentStatus, type StackContext } from './java-component.js';
import { kafkaClusterSpec, kafkaSpec } from './kafka.js';
import { ensureDatabase, mysqlStatus } from './mysql.js';
import { RecordStore, tail } from './process.js';
import { zeebeClusterBrokerSpec, zeebeClusterGatewaySpec, zeebeSpec } from './zeebe.js';

export type { ComponentStatus } from './java-component.js';
export { StackError } from './errors.js';

export const JAVA_COMPONENTS = ['zeebe', 'camunda7', 'kafka'] as const;
/** The cluster stack's processes (STACK_CLUSTER): three Zeebe brokers, their gateway, three Kafka brokers. */
export const CLUSTER_COMPONENTS = [...CLUSTER_NODES.map((n) => `zeebe-${n}`), 'zeebe-gateway', ...CLUSTER_NODES.map((n) => `kafka-${n}`)] as const;
export type Engine = Config['HUB_ENGINE'];

export class Stack {
  private readonly ctx: StackContext;

  constructor(
    private readonly config: Config,
    say: (line: string) => void = (line) => console.log(line),
  ) {
    const cacheDir = path.resolve(projectRoot, config.HUB_CACHE_DIR);
    this.ctx = {
      cacheDir,
      distDir: path.resolve(projectRoot, config.STACK_DIST_DIR),
      records: new RecordStore(path.join(cacheDir, 'run')),
      startTimeoutMs: config.STACK_START_TIMEOUT_SECONDS * 1000,
      javaOptions: config.STACK_JAVA_OPTIONS.split(/\s+/).filter(Boolean),
      say,
    };
  }

  private specs(engines: readonly Engine[] = ['zeebe', 'camunda7'], kafka = true) {
    const c = this.config;
    if (c.STACK_CLUSTER) {
      return [
        ...(engines.includes('zeebe') ? [...CLUSTER_NODES.map((n) => zeebeClusterBrokerSpec(c, n)), zeebeClusterGatewaySpec(c)] : []),
        ...(engines.includes('camunda7') ? [camunda7Spec(c)] : []),
        ...(kafka ? CLUSTER_NODES.map((n) => kafkaClusterSpec(c, n)) : []),
      ];
    }
    const engineSpecs = { zeebe: zeebeSpec, camunda7: camunda7Spec };
    return [...engines.map((e) => engineSpecs[e](c)), ...(kafka ? [kafkaSpec(c)] : [])];
  }

  /**
   * Starts what is not running and waits until all of it is healthy. Idempotent. `engines`: the
   * process engines to run (HUB_ENGINE's by default; the tests run both). With `onlyLocal`, a
   * component whose external address is configured (ZEEBE_ADDRESS, CAMUNDA7_REST_URL,
   * KAFKA_BROKERS) is left to that cluster. `kafka: false` starts the engines alone (the tests'
   * clock broker).
   */
  async up(onlyLocal = false, engines: readonly Engine[] = [this.config.HUB_ENGINE], opts: { kafka?: boolean } = {}): Promise<ComponentStatus[]> {
    const mysql = await ensureDatabase(this.config.DATABASE_URL);
    this.ctx.say(`mysql ${mysql.version} reachable: ${mysql.detail}`);
    const external: Record<string, string> = { zeebe: this.config.ZEEBE_ADDRESS, camunda7: this.config.CAMUNDA7_REST_URL, kafka: this.config.KAFKA_BROKERS };
    if (engines.includes('camunda7') && !(onlyLocal && external.camunda7)) await ensureDatabase(camunda7DatabaseUrl(this.config));
    // Side by side: each resolves (first time) and waits for its own health; the engine's start-up
    // dominates the wait. Two stacks of one process resolving the same component share one download.
    const specs = this.specs(engines, opts.kafka ?? true).filter((spec) => {
      const of = spec.name.replace(/-(\d|gateway)$/, '');
      if (!(onlyLocal && external[of])) return true;
      this.ctx.say(`${spec.name}: using ${external[spec.name]}, not starting a local one`);
      return false;
    });
    const started = await Promise.allSettled(specs.map((spec) => upJava(spec, this.ctx)));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const rows = started.map((r) => (r as PromiseFulfilledResult<ComponentStatus>).value);
    return [...rows, mysql];
  }

  /**
   * Downloads the Java components without starting anything: `engines`, and Kafka. `npm test`
   * runs it beside the lint and the unit tests, so that a fresh clone's downloads are done by the
   * time the integration tests start their stacks.
   */
  async fetch(engines: readonly Engine[] = [this.config.HUB_ENGINE]): Promise<void> {
    await Promise.all(this.specs(engines).map((spec) => fetchJava(spec, this.ctx)));
  }

  async status(): Promise<ComponentStatus[]> {
    const java = await Promise.all(this.specs().map((s) => statusJava(s, this.ctx)));
    return [...java, await mysqlStatus(this.config.DATABASE_URL)];
  }

  /** Stops only the processes this stack started (by their recorded pids). */
  async down(): Promise<string[]> {
    const out: string[] = [];
    for (const c of [...JAVA_COMPONENTS, ...CLUSTER_COMPONENTS]) {
      const said = await downJava(c, this.ctx);
      if (!said.endsWith('not started by this stack') || (JAVA_COMPONENTS as readonly string[]).includes(c)) out.push(said);
    }
    return out;
  }

  /**
   * Stops one component this stack started (the fault tests stop Zeebe or Kafka for a while, or
   * kill a cluster's broker outright with `kill: true`; the tests stop what they started).
   */
  stop(component: (typeof JAVA_COMPONENTS)[number] | (typeof CLUSTER_COMPONENTS)[number], opts: { graceMs?: number; kill?: boolean } = {}): Promise<string> {
    return downJava(component, this.ctx, opts.kill ? 0 : opts.graceMs, opts.kill);
  }

  /** Starts one component of this stack's again (after `stop`), and waits until it is healthy. */
  async start(component: (typeof JAVA_COMPONENTS)[number] | (typeof CLUSTER_COMPONENTS)[number]): Promise<ComponentStatus> {
    const spec = this.specs(['zeebe', 'camunda7']).find((s) => s.name === component);
    if (!spec) throw new Error(`${component} is not a component of this stack${this.config.STACK_CLUSTER ? '' : ' (a cluster component needs STACK_CLUSTER=true)'}`);
    return upJava(spec, this.ctx);
  }

  logs(component: string | undefined, lines: number): string {
    const names = component ? [component] : this.specs().map((s) => s.name);
    return names.map((n) => `==> ${logFileOf(this.ctx, n)} <==\n${tail(logFileOf(this.ctx, n), lines)}`).join('\n');
  }
}

export function formatStatus(rows: ComponentStatus[]): string {
  const lines = rows.map((r) => {
    const ports = Object.entries(r.ports)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const mem = r.memoryMiB === undefined ? '-' : `${r.memoryMiB} MiB`;
    return [r.component.padEnd(8), r.version.padEnd(22), String(r.pid ?? '-').padEnd(8), r.health.padEnd(9), mem.padEnd(9), ports, r.detail ? `\n         ${r.detail}` : ''].join(' ');
  });
  return [`${'name'.padEnd(8)} ${'version'.padEnd(22)} ${'pid'.padEnd(8)} ${'health'.padEnd(9)} ${'rss'.padEnd(9)} ports`, ...lines].join('\n');
}
