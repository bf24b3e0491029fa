/**
 * Consumes unit replies from Kafka. Each message is applied once (by its event id); a message the
 * hub cannot parse, or that fits no waiting order, goes to the dead-letter topic with the reason
 * and is never lost. A transient failure (database, Zeebe) is thrown, so kafkajs retries it from
 * the uncommitted offset.
 */
import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { OrderStore } from '../../infra/db/orders.js';
import { findUnit, type Catalog } from '../../domain/catalog.js';
import { EventParseError, parseEnvelope, TOPICS, type Envelope } from '../../domain/events.js';
import { submitReply, type IntakeDeps } from '../../usecases/intake.js';
import type { Logger } from '../../infra/log.js';

export interface InboundDeps extends IntakeDeps {
  kafka: Kafka;
  producer: Producer;
  catalog: Catalog;
  store: OrderStore;
  log: Logger;
  groupId: string;
}

class Rejected extends Error {}

async function apply(env: Envelope, d: InboundDeps): Promise<void> {
  if (env.type !== 'unit.replied') throw new Rejected(`${env.type} does not belong on ${TOPICS.unitReplied}`);
  const reply = env.payload as Envelope<'unit.replied'>['payload'];
  const order = await d.store.find(env.orderNo);
  if (!order) throw new Rejected(`order ${env.orderNo} does not exist`);
  if (order.unitCode !== reply.unit) throw new Rejected(`order ${env.orderNo} is assigned to ${order.unitCode}, not ${reply.unit}`);
  if (order.status !== 'dispatched') throw new Rejected(`order ${env.orderNo} is ${order.status}, not waiting for a reply`);
  const unitName = findUnit(d.catalog, reply.unit)?.name ?? reply.unit;
  await submitReply(d, env.orderNo, { id: env.id, unit: reply.unit, unitName, result: reply.result, handledBy: reply.handledBy, repliedAt: reply.repliedAt }, `unit:${reply.unit}`);
}

export async function startInbound(d: InboundDeps): Promise<{ close: () => Promise<void> }> {
  const consumer: Consumer = d.kafka.consumer({ groupId: d.groupId });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPICS.unitReplied, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const where = { topic, partition, offset: message.offset };
      let env: Envelope | undefined;
      try {
        env = parseEnvelope(message.value);
        const outcome = await d.store.once(env.id, topic, () => apply(env!, d));
        d.log.info({ ...where, eventId: env.id, orderNo: env.orderNo, outcome }, 'unit reply consumed');
      } catch (err) {
        if (!(err instanceof EventParseError || err instanceof Rejected)) throw err;
        d.log.warn({ ...where, reason: err.message }, 'message sent to the dead-letter topic');
        await d.producer.send({
          topic: TOPICS.deadLetter,
          messages: [{
            key: message.key,
            value: message.value,
            headers: { 'dlq-reason': err.message, 'dlq-source-topic': topic, 'dlq-source-partition': String(partition), 'dlq-source-offset': message.offset },
          }],
        });
      }
    },
  });
  return { close: () => consumer.disconnect() };
}

/** Creates the hub's topics if missing (auto-creation is off on the brokers). */
export async function ensureTopics(kafka: Kafka): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const have = new Set(await admin.listTopics());
    const missing = Object.values(TOPICS).filter((t) => !have.has(t));
    if (missing.length > 0) await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions: 3 })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}
