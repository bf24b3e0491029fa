/**
 * The local stack: Zeebe and Kafka started from Maven Central artifacts, MySQL checked and its
 * database created. Used by `hub stack ...`, by `hub start` and by the integration tests.
 */
import path from 'node:path';
import { projectRoot, type Config } from '../infra/config.js';
import { downJava, logFileOf, statusJava, upJava, type ComponentStatus, type StackContext } from './java-component.js';
import { kafkaSpec } from './kafka.js';
import { ensureDatabase, mysqlStatus } from './mysql.js';
import { RecordStore, tail } from './process.js';
import { zeebeSpec } from './zeebe.js';

export type { ComponentStatus } from './java-component.js';
export { StackError } from './errors.js';

export const JAVA_COMPONENTS = ['zeebe', 'kafka'] as const;

export class Stack {
  private readonly ctx: StackContext;

  constructor(
    private readonly config: Config,
    say: (line: string) => void = (line) => console.log(line),
  ) {
    const cacheDir = path.resolve(projectRoot, config.HUB_CACHE_DIR);
    this.ctx = {
      cacheDir,
      records: new RecordStore(path.join(cacheDir, 'run')),
      startTimeoutMs: config.STACK_START_TIMEOUT_SECONDS * 1000,
      say,
    };
  }

  private specs() {
    return [zeebeSpec(this.config), kafkaSpec(this.config)];
  }

  /**
   * Starts what is not running and waits until all of it is healthy. Idempotent. With
   * `onlyLocal`, a component whose external address is configured (ZEEBE_ADDRESS,
   * KAFKA_BROKERS) is left to that cluster.
   */
  async up(onlyLocal = false): Promise<ComponentStatus[]> {
    const mysql = await ensureDatabase(this.config.DATABASE_URL);
    this.ctx.say(`mysql ${mysql.version} reachable: ${mysql.detail}`);
    const external: Record<string, string> = { zeebe: this.config.ZEEBE_ADDRESS, kafka: this.config.KAFKA_BROKERS };
    const rows: ComponentStatus[] = [];
    // Kafka first: it is quick, and Zeebe's start-up dominates the wait.
    for (const spec of this.specs().reverse()) {
      if (onlyLocal && external[spec.name]) {
        this.ctx.say(`${spec.name}: using ${external[spec.name]}, not starting a local one`);
        continue;
      }
      rows.unshift(await upJava(spec, this.ctx));
    }
    return [...rows, mysql];
  }

  async status(): Promise<ComponentStatus[]> {
    const java = await Promise.all(this.specs().map((s) => statusJava(s, this.ctx)));
    return [...java, await mysqlStatus(this.config.DATABASE_URL)];
  }

  /** Stops only the processes this stack started (by their recorded pids). */
  async down(): Promise<string[]> {
    const out: string[] = [];
    for (const c of JAVA_COMPONENTS) out.push(await downJava(c, this.ctx));
    return out;
  }

  /** Stops one component this stack started (the fault tests stop Zeebe or Kafka for a while). */
  stop(component: (typeof JAVA_COMPONENTS)[number]): Promise<string> {
    return downJava(component, this.ctx);
  }

  logs(component: string | undefined, lines: number): string {
    const names = component ? [component] : [...JAVA_COMPONENTS];
    return names.map((n) => `==> ${logFileOf(this.ctx, n)} <==\n${tail(logFileOf(this.ctx, n), lines)}`).join('\n');
  }
}

export function formatStatus(rows: ComponentStatus[]): string {
  const lines = rows.map((r) => {
    const ports = Object.entries(r.ports)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    const mem = r.memoryMiB === undefined ? '-' : `${r.memoryMiB} MiB`;
    return [r.component.padEnd(6), r.version.padEnd(22), String(r.pid ?? '-').padEnd(8), r.health.padEnd(9), mem.padEnd(9), ports, r.detail ? `\n         ${r.detail}` : ''].join(' ');
  });
  return [`${'name'.padEnd(6)} ${'version'.padEnd(22)} ${'pid'.padEnd(8)} ${'health'.padEnd(9)} ${'rss'.padEnd(9)} ports`, ...lines].join('\n');
}
