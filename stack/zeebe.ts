/**
 * Zeebe broker with its embedded gateway, resolved as the `io.camunda:camunda-zeebe` distribution
 * from Maven Central and started on loopback. Every 8.x broker needs Java 21+.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CLUSTER_NODES, clusterGatewayPorts, clusterPorts, type Config } from '../infra/config.js';
import { StackError } from './errors.js';
import type { JavaComponentSpec, StackContext } from './java-component.js';
import { resolveArchive } from './maven.js';

export const ZEEBE_MIN_JAVA = 21;

const distDir = (ctx: StackContext, version: string): string => path.join(ctx.distDir, `zeebe-${version}`);
/** The broker's home: its own log files, apart from the distribution other stacks share. */
const homeDir = (ctx: StackContext): string => path.join(ctx.cacheDir, 'zeebe');
/** Data is kept per version: a broker must never open the state of a newer one. */
const dataDir = (ctx: StackContext, version: string): string => path.join(ctx.cacheDir, 'zeebe', `data-${version}`);

export async function zeebeHealthy(monitoringPort: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${monitoringPort}/actuator/health/readiness`, {
    signal: AbortSignal.timeout(2000),
  });
  return res.ok;
}

/**
 * The broker's main class, read from the distribution's own start script: it moved between lines
 * (8.5: io.camunda.zeebe.broker.StandaloneBroker, 8.6: io.camunda.application.StandaloneBroker).
 */
export function brokerMainClass(startScript: string): string {
  const m = /^\s*(io\.camunda\.[\w.]+)\s*\\?\s*$/m.exec(startScript);
  if (!m?.[1]) throw new StackError('START_FAILED', 'No main class (io.camunda....) found in the distribution\'s bin/broker');
  return m[1];
}

export function zeebeSpec(config: Config): JavaComponentSpec {
  const version = config.ZEEBE_VERSION;
  return {
    name: 'zeebe',
    version,
    minJava: ZEEBE_MIN_JAVA,
    heap: config.ZEEBE_HEAP,
    ports: {
      ZEEBE_GATEWAY_PORT: config.ZEEBE_GATEWAY_PORT,
      ZEEBE_COMMAND_PORT: config.ZEEBE_COMMAND_PORT,
      ZEEBE_INTERNAL_PORT: config.ZEEBE_INTERNAL_PORT,
      ZEEBE_MONITORING_PORT: config.ZEEBE_MONITORING_PORT,
      ZEEBE_REST_PORT: config.ZEEBE_REST_PORT,
    },
    fetch: (ctx) => resolveArchive(`io.camunda:camunda-zeebe:${version}:tar.gz`, distDir(ctx, version), ctx.say),
    async prepare(ctx) {
      fs.mkdirSync(dataDir(ctx, version), { recursive: true });
    },
    args: (ctx) => javaArgs(ctx, version, 'broker', homeDir(ctx)),
    env(ctx) {
      return {
        ZEEBE_BROKER_NETWORK_HOST: '127.0.0.1',
        ZEEBE_BROKER_NETWORK_COMMANDAPI_PORT: String(config.ZEEBE_COMMAND_PORT),
        ZEEBE_BROKER_NETWORK_INTERNALAPI_PORT: String(config.ZEEBE_INTERNAL_PORT),
        ZEEBE_BROKER_GATEWAY_ENABLE: 'true',
        ZEEBE_BROKER_GATEWAY_NETWORK_HOST: '127.0.0.1',
        ZEEBE_BROKER_GATEWAY_NETWORK_PORT: String(config.ZEEBE_GATEWAY_PORT),
        ZEEBE_BROKER_DATA_DIRECTORY: dataDir(ctx, version),
        ZEEBE_BROKER_CLUSTER_PARTITIONSCOUNT: '1',
        ZEEBE_BROKER_THREADS_CPUTHREADCOUNT: '1',
        ZEEBE_BROKER_THREADS_IOTHREADCOUNT: '1',
        // Spring Boot: REST gateway and actuator on loopback only.
        SERVER_ADDRESS: '127.0.0.1',
        SERVER_PORT: String(config.ZEEBE_REST_PORT),
        MANAGEMENT_SERVER_ADDRESS: '127.0.0.1',
        MANAGEMENT_SERVER_PORT: String(config.ZEEBE_MONITORING_PORT),
        // Tests move the broker's clock through the actuator instead of waiting for timers.
        ...(config.STACK_CLOCK_CONTROL ? { ZEEBE_CLOCK_CONTROLLED: 'true' } : {}),
      };
    },
    healthy: () => zeebeHealthy(config.ZEEBE_MONITORING_PORT),
  };
}

/**
 * The cluster stack's Zeebe (STACK_CLUSTER): broker n of three — node id n-1, three partitions
 * replicated on all three, no gateway of its own — each with its own data and log under
 * <cache>/zeebe-n. They must start together: none is ready before the partitions have leaders.
 */
export function zeebeClusterBrokerSpec(config: Config, n: number): JavaComponentSpec {
  const version = config.ZEEBE_VERSION;
  const name = `zeebe-${n}`;
  const p = clusterPorts(config, n);
  const home = (ctx: StackContext): string => path.join(ctx.cacheDir, name);
  const data = (ctx: StackContext): string => path.join(ctx.cacheDir, name, `data-${version}`);
  return {
    name,
    version,
    minJava: ZEEBE_MIN_JAVA,
    heap: config.ZEEBE_HEAP,
    ports: { command: p.zeebeCommand, internal: p.zeebeInternal, monitoring: p.zeebeMonitoring, rest: p.zeebeRest },
    fetch: (ctx) => resolveArchive(`io.camunda:camunda-zeebe:${version}:tar.gz`, distDir(ctx, version), ctx.say),
    async prepare(ctx) {
      fs.mkdirSync(data(ctx), { recursive: true });
    },
    args: (ctx) => javaArgs(ctx, version, 'broker', home(ctx)),
    env: (ctx) => ({
      ZEEBE_BROKER_NETWORK_HOST: '127.0.0.1',
      ZEEBE_BROKER_NETWORK_COMMANDAPI_PORT: String(p.zeebeCommand),
      ZEEBE_BROKER_NETWORK_INTERNALAPI_PORT: String(p.zeebeInternal),
      ZEEBE_BROKER_GATEWAY_ENABLE: 'false',
      ZEEBE_BROKER_DATA_DIRECTORY: data(ctx),
      ZEEBE_BROKER_CLUSTER_NODEID: String(n - 1),
      ZEEBE_BROKER_CLUSTER_CLUSTERSIZE: String(CLUSTER_NODES.length),
      ZEEBE_BROKER_CLUSTER_PARTITIONSCOUNT: '3',
      ZEEBE_BROKER_CLUSTER_REPLICATIONFACTOR: '3',
      ZEEBE_BROKER_CLUSTER_INITIALCONTACTPOINTS: CLUSTER_NODES.map((m) => `127.0.0.1:${clusterPorts(config, m).zeebeInternal}`).join(','),
      ZEEBE_BROKER_THREADS_CPUTHREADCOUNT: '1',
      ZEEBE_BROKER_THREADS_IOTHREADCOUNT: '1',
      SERVER_ADDRESS: '127.0.0.1',
      SERVER_PORT: String(p.zeebeRest),
      MANAGEMENT_SERVER_ADDRESS: '127.0.0.1',
      MANAGEMENT_SERVER_PORT: String(p.zeebeMonitoring),
    }),
    healthy: () => zeebeHealthy(p.zeebeMonitoring),
  };
}

/** The cluster stack's standalone Zeebe gateway: the hub's gRPC address (ZEEBE_GATEWAY_PORT), in front of the three brokers. */
export function zeebeClusterGatewaySpec(config: Config): JavaComponentSpec {
  const version = config.ZEEBE_VERSION;
  const name = 'zeebe-gateway';
  const g = clusterGatewayPorts(config);
  return {
    name,
    version,
    minJava: ZEEBE_MIN_JAVA,
    heap: '256m',
    ports: { ZEEBE_GATEWAY_PORT: config.ZEEBE_GATEWAY_PORT, internal: g.internal, monitoring: g.monitoring, rest: g.rest },
    fetch: (ctx) => resolveArchive(`io.camunda:camunda-zeebe:${version}:tar.gz`, distDir(ctx, version), ctx.say),
    async prepare(ctx) {
      fs.mkdirSync(path.join(ctx.cacheDir, name), { recursive: true });
    },
    args: (ctx) => javaArgs(ctx, version, 'gateway', path.join(ctx.cacheDir, name)),
    env: () => ({
      ZEEBE_GATEWAY_NETWORK_HOST: '127.0.0.1',
      ZEEBE_GATEWAY_NETWORK_PORT: String(config.ZEEBE_GATEWAY_PORT),
      ZEEBE_GATEWAY_CLUSTER_HOST: '127.0.0.1',
      ZEEBE_GATEWAY_CLUSTER_PORT: String(g.internal),
      ZEEBE_GATEWAY_CLUSTER_MEMBERID: 'gateway',
      ZEEBE_GATEWAY_CLUSTER_INITIALCONTACTPOINTS: CLUSTER_NODES.map((m) => `127.0.0.1:${clusterPorts(config, m).zeebeInternal}`).join(','),
      ZEEBE_GATEWAY_THREADS_MANAGEMENTTHREADS: '1',
      SERVER_ADDRESS: '127.0.0.1',
      SERVER_PORT: String(g.rest),
      MANAGEMENT_SERVER_ADDRESS: '127.0.0.1',
      MANAGEMENT_SERVER_PORT: String(g.monitoring),
    }),
    healthy: async () => (await fetch(`http://127.0.0.1:${g.monitoring}/actuator/health`, { signal: AbortSignal.timeout(2000) })).ok,
  };
}

/** The java arguments the distribution's own bin/broker or bin/gateway passes. */
function javaArgs(ctx: StackContext, version: string, app: 'broker' | 'gateway', home: string): string[] {
  const dist = distDir(ctx, version);
  return [
    '-Dfile.encoding=UTF-8',
    '-Xshare:auto',
    '-classpath',
    `${path.join(dist, 'config')}:${path.join(dist, 'lib')}/*`,
    `-Dapp.name=${app}`,
    `-Dapp.home=${home}`,
    `-Dbasedir=${home}`,
    brokerMainClass(fs.readFileSync(path.join(dist, 'bin', app), 'utf8')),
  ];
}
