/**
 * Apache Kafka in KRaft mode (no ZooKeeper), single node on loopback, resolved as jars from Maven
 * Central through maven/kafka.pom.xml. Storage is formatted on first start.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import type { Config } from '../infra/config.js';
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
