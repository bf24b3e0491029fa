import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, type Admin, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { kafkaBrokers, projectRoot, type Config } from './config.js';

/** The client's settings: brokers, and in production TLS and SASL (KAFKA_TLS*, KAFKA_SASL_*). */
export function kafkaClientOptions(config: Config, clientId: string): KafkaConfig {
  const ca = config.KAFKA_TLS_CA_FILE ? [fs.readFileSync(path.resolve(projectRoot, config.KAFKA_TLS_CA_FILE), 'utf8')] : undefined;
  const sasl = config.KAFKA_SASL_MECHANISM
    ? ({ mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_SASL_USERNAME, password: config.KAFKA_SASL_PASSWORD } as SASLOptions)
    : undefined;
  return {
    clientId,
    brokers: kafkaBrokers(config),
    ...(config.KAFKA_TLS ? { ssl: ca ? { ca } : true } : {}),
    ...(sasl ? { sasl } : {}),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    // Bounded: the outbox and the consumer retry again later, the call itself does not hang.
    retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 3000 },
  };
}

/** A Kafka client; connects nothing until a producer, consumer or admin is used. */
export function createKafka(config: Config, clientId: string): Kafka {
  return new Kafka(kafkaClientOptions(config, clientId));
}

/** Creates topics that are missing (auto-creation is off on the brokers). */
export async function ensureTopics(kafka: Kafka, topics: string[], partitions = 3): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const have = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !have.has(t));
    if (missing.length > 0) await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: partitions })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
