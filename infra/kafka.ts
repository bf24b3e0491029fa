import { Kafka, logLevel, type Admin } from 'kafkajs';
import { kafkaBrokers, type Config } from './config.js';

/** A Kafka client; connects nothing until a producer, consumer or admin is used. */
export function createKafka(config: Config, clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers: kafkaBrokers(config),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3000,
    requestTimeout: 10_000,
    // Bounded: the outbox and the consumer retry again later, the call itself does not hang.
    retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 3000 },
  });
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
