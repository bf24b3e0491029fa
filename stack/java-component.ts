/**
 * What the Java components of the stack (Zeebe, Camunda 7, Kafka) share: resolve once, start detached
 * with a recorded pid, wait for health, report status, stop only what we started.
 */
import path from 'node:path';
import { StackError } from './errors.js';
import { findJdk, type Jdk } from './java.js';
import {
  assertPortsFree,
  isOurs,
  residentMiB,
  startDetached,
  stopProcess,
  waitHealthy,
  type RecordStore,
} from './process.js';

export interface StackContext {
  /** Absolute path of the stack's cache folder: this stack's data, logs and configuration. */
  cacheDir: string;
  /** Absolute path of the distributions, shared with every other stack of the checkout (read only once resolved). */
  distDir: string;
  records: RecordStore;
  startTimeoutMs: number;
  /** Extra JVM options (STACK_JAVA_OPTIONS), before the component's own arguments. */
  javaOptions: string[];
  say: (line: string) => void;
}

export interface ComponentStatus {
  component: string;
  version: string;
  pid?: number;
  ports: Record<string, number>;
  health: 'up' | 'down' | 'starting' | 'not ours';
  memoryMiB?: number;
  log?: string;
  detail?: string;
}

export interface JavaComponentSpec {
  name: string;
  version: string;
  minJava: number;
  /** Setting name → port; the first is the one clients use. */
  ports: Record<string, number>;
  /** Downloads into the shared distribution folder (idempotent; two stacks of one process share one download). */
  fetch(ctx: StackContext, jdk: Jdk): Promise<void>;
  /** Prepares this stack's own files (configuration, storage) once fetched (idempotent). */
  prepare(ctx: StackContext, jdk: Jdk): Promise<void>;
  /** java arguments after the heap and marker options. */
  args(ctx: StackContext): string[];
  env(ctx: StackContext): NodeJS.ProcessEnv;
  heap: string;
  healthy(): Promise<boolean>;
}

/** Downloads a component without starting it (`hub stack fetch`). */
export async function fetchJava(spec: JavaComponentSpec, ctx: StackContext): Promise<void> {
  await spec.fetch(ctx, findJdk(spec.minJava));
}

export const logFileOf = (ctx: StackContext, name: string): string => path.join(ctx.cacheDir, name, `${name}.log`);

export async function upJava(spec: JavaComponentSpec, ctx: StackContext): Promise<ComponentStatus> {
  const log = logFileOf(ctx, spec.name);
  const existing = ctx.records.read(spec.name);
  if (existing && isOurs(existing)) {
    if (existing.version !== spec.version) {
      throw new StackError(
        'VERSION_MISMATCH',
        `${spec.name} ${existing.version} is running (pid ${existing.pid}) but ${spec.version} is configured. ` +
          'Run `npm run stack -- down` first to switch versions.',
      );
    }
    await waitHealthy(spec.name, existing.pid, log, ctx.startTimeoutMs, spec.healthy);
    ctx.say(`${spec.name} ${spec.version} already running (pid ${existing.pid})`);
    return statusJava(spec, ctx);
  }
  if (existing) ctx.records.remove(spec.name);
  await assertPortsFree(spec.name, spec.ports);

  const jdk = findJdk(spec.minJava);
  await spec.fetch(ctx, jdk);
  await spec.prepare(ctx, jdk);
  const marker = `-Dhotline.hub.stack=${spec.name}@${ctx.cacheDir}`;
  const started = Date.now();
  const pid = startDetached({
    command: jdk.javaBin,
    args: [`-Xms${spec.heap}`, `-Xmx${spec.heap}`, '-XX:+ExitOnOutOfMemoryError', marker, ...ctx.javaOptions, ...spec.args(ctx)],
    env: spec.env(ctx),
    cwd: path.join(ctx.cacheDir, spec.name),
    log,
  });
  ctx.records.write({
    component: spec.name,
    pid,
    version: spec.version,
    ports: spec.ports,
    log,
    java: `${jdk.javaBin} (Java ${jdk.major}, from ${jdk.source})`,
    startedAt: new Date(started).toISOString(),
    marker,
  });
  ctx.say(`${spec.name} ${spec.version} starting (pid ${pid}) on Java ${jdk.major} from ${jdk.source}: ${jdk.javaBin}`);
  await waitHealthy(spec.name, pid, log, ctx.startTimeoutMs, spec.healthy);
  ctx.say(`${spec.name} ${spec.version} healthy after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return statusJava(spec, ctx);
}

export async function statusJava(spec: JavaComponentSpec, ctx: StackContext): Promise<ComponentStatus> {
  const record = ctx.records.read(spec.name);
  const log = logFileOf(ctx, spec.name);
  if (!record || !isOurs(record)) {
    const healthy = await spec.healthy().catch(() => false);
    return {
      component: spec.name,
      version: spec.version,
      ports: spec.ports,
      health: healthy ? 'not ours' : 'down',
      log,
      detail: healthy ? 'something this stack did not start answers on its port' : undefined,
    };
  }
  const healthy = await spec.healthy().catch(() => false);
  return {
    component: spec.name,
    version: record.version,
    pid: record.pid,
    ports: record.ports,
    health: healthy ? 'up' : 'starting',
    memoryMiB: residentMiB(record.pid),
    log,
    detail: record.java,
  };
}

/** Stops a component this stack started: SIGTERM, and SIGKILL after `graceMs` (30 s); `kill`: SIGKILL at once (kill -9, a crash). */
export async function downJava(name: string, ctx: StackContext, graceMs?: number, kill = false): Promise<string> {
  const record = ctx.records.read(name);
  if (!record) return `${name}: not started by this stack`;
  if (!isOurs(record)) {
    ctx.records.remove(name);
    return `${name}: recorded pid ${record.pid} is gone (or is another program now); record removed`;
  }
  const how = await stopProcess(record.pid, graceMs, kill);
  ctx.records.remove(name);
  return `${name}: pid ${record.pid} ${how}`;
}
