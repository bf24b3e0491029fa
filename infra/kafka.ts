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

/**
 * A consumer group that starts reading "from now on" (fromBeginning: false) commits nothing for a
 * partition until a message arrives on it; stopped before that, it would start again at the end
 * and skip what came meanwhile. So the first start commits the current end of every partition it
 * has no offset for: from then on, a stopped consumer resumes where it stopped. Skipped (and said)
 * when the group already runs elsewhere: its members hold the position.
 */
export async function pinNewOffsets(kafka: Kafka, groupId: string, topics: string[]): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const committed = await admin.fetchOffsets({ groupId, topics });
    let pinned = 0;
    for (const t of committed) {
      const missing = t.partitions.filter((p) => p.offset === '-1');
      if (missing.length === 0) continue;
      const ends = new Map((await admin.fetchTopicOffsets(t.topic)).map((p) => [p.partition, p.high]));
      await admin.setOffsets({ groupId, topic: t.topic, partitions: missing.map((p) => ({ partition: p.partition, offset: ends.get(p.partition) ?? '0' })) });
      pinned += missing.length;
    }
    return pinned;
  } finally {
    await admin.disconnect();
  }
}

/** One consumer group's state and what waits for it. */
export interface ConsumerLag {
  groupId: string;
  /** Kafka's group state: Stable, Empty (no member running), PreparingRebalance, … */
  state: string;
  members: number;
  /** Messages on its topics after its committed offsets, per topic. */
  lag: Record<string, number>;
}

/** The lag of each consumer group whose id passes `wanted` (the hub's own and its adapters'). */
export async function consumerLags(kafka: Kafka, wanted: (groupId: string) => boolean): Promise<ConsumerLag[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ids = (await admin.listGroups()).groups.map((g) => g.groupId).filter(wanted);
    if (ids.length === 0) return [];
    const described = new Map((await admin.describeGroups(ids)).groups.map((g) => [g.groupId, g]));
    const ends = new Map<string, Map<number, number>>();
    const out: ConsumerLag[] = [];
    for (const groupId of ids) {
      const lag: Record<string, number> = {};
      for (const t of await admin.fetchOffsets({ groupId })) {
        if (!ends.has(t.topic)) ends.set(t.topic, new Map((await admin.fetchTopicOffsets(t.topic)).map((p) => [p.partition, Number(p.high)])));
        const high = ends.get(t.topic)!;
        const n = t.partitions.reduce((sum, p) => sum + (p.offset === '-1' ? 0 : Math.max(0, (high.get(p.partition) ?? 0) - Number(p.offset))), 0);
        if (n > 0) lag[t.topic] = n;
      }
      const g = described.get(groupId);
      out.push({ groupId, state: g?.state ?? 'Unknown', members: g?.members.length ?? 0, lag });
    }
    return out;
  } finally {
    await admin.disconnect();
  }
}
