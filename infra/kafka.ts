import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, type Admin, type Consumer, type ConsumerRunConfig, type KafkaConfig, type Producer, type SASLOptions } from 'kafkajs';
import { kafkaBrokers, projectRoot, type Config } from './config.js';
import { describeError, isRetriable } from './errors.js';
import type { Logger } from './log.js';

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
    // Bounded: the outbox and the consumer retry again later, the call itself does not hang. The
    // first retry is soon (a leadership move answers NOT_LEADER once per partition); five of them
    // wait about 3 s in all (three from 300 ms waited 2.1 s).
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 3000 },
  };
}

/** A Kafka client; connects nothing until a producer, consumer or admin is used. */
export function createKafka(config: Config, clientId: string): Kafka {
  return new Kafka(kafkaClientOptions(config, clientId));
}

/**
 * Creates topics that are missing (auto-creation is off on the brokers), with the brokers' default
 * replication (default.replication.factor: 3 on a cluster), and waits until every partition of
 * them has a leader. On a cluster a new topic's metadata reaches the brokers one after another: a
 * broker that has not heard of it yet answers "unknown topic", which is waited out, not an error.
 */
export async function ensureTopics(kafka: Kafka, topics: string[], partitions = 3, timeoutMs = 60_000): Promise<void> {
  const admin: Admin = kafka.admin();
  await admin.connect();
  try {
    const have = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !have.has(t));
    if (missing.length === 0) return;
    await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: partitions })), waitForLeaders: false });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const { topics: found } = await admin.fetchTopicMetadata({ topics: missing });
        if (found.length === missing.length && found.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
      } catch (err) {
        if (!(err as { retriable?: boolean }).retriable) throw err;
      }
      if (Date.now() > deadline) throw new Error(`Kafka: ${missing.length} new topics still have partitions without a leader after ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await admin.disconnect();
  }
}

/**
 * How long a consumer's fetch waits on the broker when nothing comes. A message that arrives ends
 * the wait at once, so this is no latency; it is how long a stopping consumer waits for its last
 * fetch (kafkajs's default, 5 s, made every hub stop wait 5 s per consumer).
 */
export const CONSUMER_MAX_WAIT_MS = 1000;

/**
 * A consumer group that starts reading "from now on" (fromBeginning: false) commits nothing for a
 * partition until a message arrives on it; stopped before that, it would start again at the end
 * and skip what came meanwhile. So at its first start, every partition it has no offset for is
 * read from its end as it was before the consumer joined (seeked as the group joins: nothing that
 * came while it joined is skipped), and that position is committed before the consumer counts as
 * started: from then on, a stopped consumer resumes where it stopped. Call before `consumer.run`;
 * await `committed()` once the group has joined. Partitions another member of the group holds are
 * left to it: that member holds the position.
 *
 * (kafkajs's admin.setOffsets did this before, at the cost of a throwaway consumer and one idle
 * fetch, 5 s, per topic: an adapter for 40 units took minutes to start the first time.)
 */
export async function readFromNowOn(kafka: Kafka, consumer: Consumer, groupId: string, topics: string[]): Promise<{ committed: () => Promise<number> }> {
  const admin = kafka.admin();
  await admin.connect();
  const pins: Array<{ topic: string; partition: number; offset: string }> = [];
  try {
    // A broker just (re)started may not coordinate the group yet (NOT_COORDINATOR,
    // COORDINATOR_LOAD_IN_PROGRESS, or no coordinator at all): the admin client does not retry
    // them here itself. Eight tries over about 10 s.
    for (let attempt = 1; ; attempt++) {
      try {
        pins.length = 0;
        for (const t of await admin.fetchOffsets({ groupId, topics })) {
          const missing = t.partitions.filter((p) => p.offset === '-1');
          if (missing.length === 0) continue;
          const ends = new Map((await admin.fetchTopicOffsets(t.topic)).map((p) => [p.partition, p.high]));
          for (const p of missing) pins.push({ topic: t.topic, partition: p.partition, offset: ends.get(p.partition) ?? '0' });
        }
        break;
      } catch (err) {
        if (attempt >= 8 || !((err as { retriable?: boolean }).retriable === true || isRetriable(err))) throw err;
        await new Promise((r) => setTimeout(r, 250 * attempt));
      }
    }
  } finally {
    await admin.disconnect();
  }
  let mine: typeof pins | undefined;
  if (pins.length > 0) {
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      if (mine) return; // the first join only: later ones find the committed offsets
      const assigned = e.payload.memberAssignment;
      mine = pins.filter((p) => assigned[p.topic]?.includes(p.partition));
      // Before the first fetch (the event is emitted before fetching starts): the position, committed as the fetch begins.
      for (const p of mine) consumer.seek(p);
    });
  }
  return {
    committed: async () => {
      if (!mine?.length) return 0;
      await consumer.commitOffsets(mine);
      return mine.length;
    },
  };
}

/** How long a consumer that kafkajs left stopped waits before it is started again. */
export const CONSUMER_RESTART_MS = 5000;

/**
 * Runs a consumer and keeps it running. kafkajs starts a consumer again after a crash it deems
 * retriable, and leaves it stopped for good after any other; after a broker restart some crashes
 * are of the second kind, and a consumer that stops for good stops a whole flow (units' replies,
 * an adapter's deliveries) until someone restarts the process. Such a consumer is started again
 * here, every CONSUMER_RESTART_MS until it runs, each time said in the log. Its `stop()` ends
 * that before the consumer is disconnected.
 */
export async function runConsumer(consumer: Consumer, run: ConsumerRunConfig, log: Pick<Logger, 'error' | 'warn'>): Promise<{ stop: () => void }> {
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  const again = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (stopping) return;
      // A failed start crashes again (and comes back here, or is restarted by kafkajs).
      consumer.run(run).catch((err: unknown) => {
        log.warn({ err: describeError(err) }, 'the Kafka consumer did not start again; trying later');
        again();
      });
    }, CONSUMER_RESTART_MS);
  };
  consumer.on(consumer.events.CRASH, (e) => {
    if (e.payload.restart || stopping) return;
    log.error({ groupId: e.payload.groupId, err: describeError(e.payload.error), inMs: CONSUMER_RESTART_MS }, 'the Kafka consumer stopped after an error kafkajs does not retry: starting it again');
    again();
  });
  await consumer.run(run);
  return {
    stop: () => {
      stopping = true;
      clearTimeout(timer);
    },
  };
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

/**
 * Errors after which an idempotent producer's sequence numbers no longer agree with the broker's
 * (a broker failed over, a send timed out and went on in the background): every later send of the
 * same producer fails alike. kafkajs marks them permanent; a new producer id cures them.
 */
const PRODUCER_STATE_LOST = /OUT_OF_ORDER_SEQUENCE_NUMBER|out of order sequence number|UNKNOWN_PRODUCER_ID|INVALID_PRODUCER_EPOCH|producer.*(fenced|epoch)/i;
export const producerStateLost = (err: unknown): boolean => {
  const seen = new Set<unknown>();
  const look = (e: unknown): boolean => {
    if (!e || typeof e !== 'object' || seen.has(e)) return false;
    seen.add(e);
    const x = e as { type?: unknown; message?: unknown; cause?: unknown; errors?: unknown; originalError?: unknown };
    if (PRODUCER_STATE_LOST.test(`${String(x.type ?? '')} ${String(x.message ?? '')}`)) return true;
    return look(x.cause) || look(x.originalError) || (Array.isArray(x.errors) && x.errors.some(look));
  };
  return look(err);
};

/** What the hub's shared producer is used for: adapters' events, dead letters. */
export type SharedProducer = Pick<Producer, 'send' | 'sendBatch' | 'disconnect'>;

/**
 * The producer that adapters and dead letters share, made again with a new id when its sequence
 * numbers went astray (producerStateLost): kafkajs keeps its id and numbers across a reconnect,
 * so after a Kafka failover every later send of the same producer would fail alike until the
 * process restarted. The send that failed fails as before (its caller tries again, as after any
 * failure) and the next goes on the new producer. `make` gives a connected producer.
 */
export function renewingProducer(first: Producer, make: () => Promise<Producer>, log: Pick<Logger, 'warn'>): SharedProducer {
  let current = first;
  let renewing: Promise<void> | undefined;
  const renew = (failed: Producer): Promise<void> =>
    (renewing ??= (async () => {
      try {
        if (current !== failed) return; // another send renewed it already
        current = await make();
        log.warn('the shared Kafka producer lost its sequence numbers (a broker failed over): a producer of a new id takes over');
        await failed.disconnect().catch(() => undefined);
      } finally {
        renewing = undefined;
      }
    })());
  const through = async <T>(call: (p: Producer) => Promise<T>): Promise<T> => {
    await renewing;
    const p = current;
    try {
      return await call(p);
    } catch (err) {
      if (producerStateLost(err)) await renew(p).catch(() => undefined);
      throw err;
    }
  };
  return {
    send: (record) => through((p) => p.send(record)),
    sendBatch: (batch) => through((p) => p.sendBatch(batch)),
    disconnect: async () => {
      await renewing?.catch(() => undefined);
      await current.disconnect();
    },
  };
}
