/**
 * Apache Kafka in KRaft mode (no ZooKeeper), single node on loopback, resolved as jars from Maven
 * Central through maven/kafka.pom.xml. Storage is formatted on first start.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { CLUSTER_NODES, clusterPorts, type Config } from '../infra/config.js';
import { StackError } from './errors.js';
import type { JavaComponentSpec, StackContext } from './java-component.js';
import { resolveDependencies } from './maven.js';
import { runCommand } from './process.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const home = (ctx: StackContext): string => path.join(ctx.cacheDir, 'kafka');
const libsDir = (ctx: StackContext, version: string): string => path.join(ctx.distDir, `kafka-${version}`);

export function kafkaServerProperties(config: Config, dataDir: string): string {
  return [
    '# Written by the hub stack command on every start; edit the settings, not this file.',
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${config.KAFKA_CONTROLLER_PORT}`,
    `listeners=PLAINTEXT://127.0.0.1:${config.KAFKA_PORT},CONTROLLER://127.0.0.1:${config.KAFKA_CONTROLLER_PORT}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${config.KAFKA_PORT}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=1',
    // Single node: the internal topics cannot have more replicas than brokers.
    'offsets.topic.replication.factor=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

function log4jProperties(logFile: string): string {
  return [
    'log4j.rootLogger=INFO, file',
    'log4j.logger.kafka.request.logger=WARN',
    'log4j.logger.org.apache.kafka.controller=INFO',
    'log4j.appender.file=org.apache.log4j.FileAppender',
    `log4j.appender.file.File=${logFile}`,
    'log4j.appender.file.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n',
    '',
  ].join('\n');
}

export async function kafkaHealthy(port: number): Promise<boolean> {
  const admin = new Kafka({
    clientId: 'hub-stack-health',
    brokers: [`127.0.0.1:${port}`],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/**
 * Kafka's cluster id: 16 random bytes, base64url without padding (what `kafka-storage random-uuid`
 * prints), never starting with '-', which the storage tool would read as an option (Kafka's own
 * Uuid.randomUuid draws again too). One id in 64 started so before.
 */
export function kafkaClusterId(random: (n: number) => Buffer = randomBytes): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

export function kafkaSpec(config: Config): JavaComponentSpec {
  const version = config.KAFKA_VERSION;
  const classpath = (ctx: StackContext): string => `${path.join(libsDir(ctx, version), 'libs')}/*`;
  const configDir = (ctx: StackContext): string => path.join(home(ctx), 'config');
  const dataDir = (ctx: StackContext): string => path.join(home(ctx), 'data');
  return {
    name: 'kafka',
    version,
    minJava: 11,
    heap: config.KAFKA_HEAP,
    ports: { KAFKA_PORT: config.KAFKA_PORT, KAFKA_CONTROLLER_PORT: config.KAFKA_CONTROLLER_PORT },
    fetch: (ctx) => resolveDependencies(path.join(here, 'maven', 'kafka.pom.xml'), { 'kafka.version': version }, libsDir(ctx, version), ctx.say),
    async prepare(ctx, jdk) {
      fs.mkdirSync(configDir(ctx), { recursive: true });
      fs.writeFileSync(path.join(configDir(ctx), 'server.properties'), kafkaServerProperties(config, dataDir(ctx)));
      fs.writeFileSync(path.join(configDir(ctx), 'log4j.properties'), log4jProperties(path.join(home(ctx), 'kafka.log')));
      if (fs.existsSync(path.join(dataDir(ctx), 'meta.properties'))) return;
      const clusterId = kafkaClusterId();
      ctx.say(`kafka: formatting KRaft storage in ${dataDir(ctx)} (cluster ${clusterId})`);
      const r = await runCommand(
        jdk.javaBin,
        [
          `-Dlog4j.configuration=file:${path.join(configDir(ctx), 'log4j.properties')}`,
          '-cp',
          classpath(ctx),
          'kafka.tools.StorageTool',
          'format',
          '-t',
          clusterId,
          '-c',
          path.join(configDir(ctx), 'server.properties'),
        ],
      );
      if (r.status !== 0) {
        throw new StackError('START_FAILED', `kafka: formatting storage failed:\n${r.stdout}\n${r.stderr}`);
      }
    },
    args(ctx) {
      return [
        `-Dlog4j.configuration=file:${path.join(configDir(ctx), 'log4j.properties')}`,
        `-Dkafka.logs.dir=${home(ctx)}`,
        '-cp',
        classpath(ctx),
        'kafka.Kafka',
        path.join(configDir(ctx), 'server.properties'),
      ];
    },
    env: () => ({}),
    healthy: () => kafkaHealthy(config.KAFKA_PORT),
  };
}

/**
 * server.properties of node n (1–3) of the cluster stack: broker and controller in one process,
 * the three controllers a quorum, every topic replicated three times and written to two in sync
 * before a producer with acks=all hears it is (what a centre's cluster would run).
 */
export function kafkaClusterProperties(config: Config, n: number, dataDir: string): string {
  const p = clusterPorts(config, n);
  return [
    '# Written by the hub stack command on every start (STACK_CLUSTER); edit the settings, not this file.',
    'process.roles=broker,controller',
    `node.id=${n}`,
    `controller.quorum.voters=${CLUSTER_NODES.map((m) => `${m}@127.0.0.1:${clusterPorts(config, m).kafkaController}`).join(',')}`,
    `listeners=PLAINTEXT://127.0.0.1:${p.kafka},CONTROLLER://127.0.0.1:${p.kafkaController}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${p.kafka}`,
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${dataDir}`,
    'num.partitions=3',
    'default.replication.factor=3',
    'min.insync.replicas=2',
    'offsets.topic.replication.factor=3',
    'transaction.state.log.replication.factor=3',
    'transaction.state.log.min.isr=2',
    'unclean.leader.election.enable=false',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    // A broker back from a failure is given its partitions' leadership again within 30 s (Kafka's
    // default checks every 300 s), so that a fault test sees the whole round: failover and return.
    'leader.imbalance.check.interval.seconds=30',
    '',
  ].join('\n');
}

/** Node n of the cluster stack's Kafka; all three share one cluster id, drawn once and kept under <cache>/kafka-cluster-id. */
export function kafkaClusterSpec(config: Config, n: number): JavaComponentSpec {
  const version = config.KAFKA_VERSION;
  const name = `kafka-${n}`;
  const p = clusterPorts(config, n);
  const dir = (ctx: StackContext): string => path.join(ctx.cacheDir, name);
  const properties = (ctx: StackContext): string => path.join(dir(ctx), 'server.properties');
  const log4j = (ctx: StackContext): string => path.join(dir(ctx), 'log4j.properties');
  const classpath = (ctx: StackContext): string => `${path.join(libsDir(ctx, version), 'libs')}/*`;
  return {
    name,
    version,
    minJava: 11,
    heap: config.KAFKA_HEAP,
    ports: { kafka: p.kafka, controller: p.kafkaController },
    fetch: (ctx) => resolveDependencies(path.join(here, 'maven', 'kafka.pom.xml'), { 'kafka.version': version }, libsDir(ctx, version), ctx.say),
    async prepare(ctx, jdk) {
      const data = path.join(dir(ctx), 'data');
      fs.mkdirSync(dir(ctx), { recursive: true });
      fs.writeFileSync(properties(ctx), kafkaClusterProperties(config, n, data));
      fs.writeFileSync(log4j(ctx), log4jProperties(path.join(dir(ctx), `${name}.log`)));
      if (fs.existsSync(path.join(data, 'meta.properties'))) return;
      const idFile = path.join(ctx.cacheDir, 'kafka-cluster-id');
      try {
        fs.writeFileSync(idFile, kafkaClusterId(), { flag: 'wx' });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const clusterId = fs.readFileSync(idFile, 'utf8').trim();
      const r = await runCommand(jdk.javaBin, [`-Dlog4j.configuration=file:${log4j(ctx)}`, '-cp', classpath(ctx), 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties(ctx)]);
      if (r.status !== 0) throw new StackError('START_FAILED', `${name}: formatting storage failed:\n${r.stdout}\n${r.stderr}`);
    },
    args: (ctx) => [`-Dlog4j.configuration=file:${log4j(ctx)}`, `-Dkafka.logs.dir=${dir(ctx)}`, '-cp', classpath(ctx), 'kafka.Kafka', properties(ctx)],
    env: () => ({}),
    healthy: () => kafkaHealthy(p.kafka),
  };
}
