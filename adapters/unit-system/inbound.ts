/**
 * The unit systems' replies from Kafka, one topic per unit (hub.unit.<code>.unit-replied.v1). A
 * reply counts only for the unit whose topic it came on (Kafka's ACLs let only that unit's system
 * write there): one that claims another unit is refused. Each message is applied once: its event
 * id goes into the inbox in the same transaction as the reply. A message the hub cannot parse, or
 * that the reply rules refuse, is kept in the dead_letter table and announced on the dead-letter
 * topic (reference, order number and reason only: no message content) at once;
 * any other error that is not retriable goes there after a bounded number of tries. A retriable
 * failure (database or broker down) is retried from the uncommitted offset, keeping the order of
 * the partition.
 */
import type { Consumer, Kafka, KafkaMessage, Producer } from 'kafkajs';
import { findUnit, type Catalog } from '../../domain/catalog.js';
import { EventParseError, parseEnvelope, TOPICS, unitOfReplyTopic, type Envelope } from '../../domain/events.js';
import type { DeadLetterStore } from '../../infra/db/dead-letters.js';
import type { OrderStore } from '../../infra/db/orders.js';
import { describeError, HubError, isRetriable, redactText } from '../../infra/errors.js';
import type { Logger } from '../../infra/log.js';
import { submitReply } from '../../usecases/submit-reply.js';
import { manifest } from './manifest.js';

export interface InboundDeps {
  kafka: Kafka;
  producer: Producer;
  catalog: Catalog;
  store: OrderStore;
  deadLetters: DeadLetterStore;
  log: Logger;
  groupId: string;
  /** Tries of a message whose error is neither retriable nor a refusal, before it is dead-lettered. */
  maxTries?: number;
}

class Misplaced extends HubError {
  constructor(message: string) {
    super('EVENT_MISPLACED', message, false);
  }
}

async function apply(env: Envelope, d: InboundDeps, topic: string): Promise<'accepted' | 'duplicate'> {
  if (env.type !== 'unit.replied') throw new Misplaced(`${env.type} does not belong on ${topic}`);
  const reply = env.payload as Envelope<'unit.replied'>['payload'];
  const topicUnit = unitOfReplyTopic(topic);
  if (reply.unit !== topicUnit) throw new Misplaced(`a reply on ${topicUnit ?? topic}'s topic claims to come from ${reply.unit}; a unit replies on its own topic only`);
  const unitName = findUnit(d.catalog, reply.unit)?.name ?? reply.unit;
  return submitReply(
    d,
    env.orderNo,
    { id: env.id, unit: reply.unit, unitName, result: reply.result, handledBy: reply.handledBy, repliedAt: reply.repliedAt },
    `unit:${reply.unit}`,
    { messageId: env.id, source: topic },
  );
}

export async function startInbound(d: InboundDeps): Promise<{ close: () => Promise<void> }> {
  const maxTries = d.maxTries ?? 3;
  const tries = new Map<string, number>();
  const consumer: Consumer = d.kafka.consumer({ groupId: d.groupId });
  const deadLetter = async (topic: string, partition: number, message: KafkaMessage, reason: string): Promise<void> => {
    let orderNo: string | null = null;
    try {
      orderNo = parseEnvelope(message.value).orderNo;
    } catch {
      orderNo = /"orderNo"\s*:\s*"(GD\d{14})"/.exec(message.value?.toString() ?? '')?.[1] ?? null;
    }
    const safeReason = redactText(reason);
    const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
    const id = await d.deadLetters.record({ sourceTopic: topic, sourcePartition: partition, sourceOffset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers, reason: safeReason, orderNo });
    d.log.warn({ topic, partition, offset: message.offset, deadLetterId: id, orderNo, reason: safeReason }, 'message dead-lettered');
    const notice = { deadLetterId: id, orderNo, source: { topic, partition, offset: message.offset }, reason: safeReason, at: new Date().toISOString() };
    await d.producer.send({
      topic: TOPICS.deadLetter,
      messages: [{
        key: orderNo,
        value: JSON.stringify(notice),
        headers: { 'dlq-reason': safeReason, 'dlq-id': id, 'dlq-source-topic': topic, 'dlq-source-partition': String(partition), 'dlq-source-offset': message.offset },
      }],
    });
  };
  await consumer.connect();
  // Every unit's reply topic; a unit added to the catalog is read after the next start.
  await consumer.subscribe({ topics: d.catalog.units.map((u) => manifest.produces.topic(u.code)), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const where = { topic, partition, offset: message.offset };
      const at = `${topic}/${partition}/${message.offset}`;
      try {
        const env = parseEnvelope(message.value);
        const outcome = await apply(env, d, topic);
        tries.delete(at);
        d.log.info({ ...where, eventId: env.id, orderNo: env.orderNo, outcome }, 'unit reply consumed');
      } catch (err) {
        if (isRetriable(err)) {
          d.log.warn({ ...where, err }, 'unit reply not applied yet (a dependency is down); it will be tried again');
          throw err;
        }
        const refused = err instanceof EventParseError || err instanceof HubError;
        const n = (tries.get(at) ?? 0) + 1;
        if (!refused && n < maxTries) {
          tries.set(at, n);
          d.log.error({ ...where, err, tries: n }, 'unit reply failed; trying again before dead-lettering it');
          throw err;
        }
        tries.delete(at);
        await deadLetter(topic, partition, message, refused ? describeError(err) : `failed ${n} times: ${describeError(err)}`);
      }
    },
  });
  return { close: () => consumer.disconnect() };
}
