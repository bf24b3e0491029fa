/**
 * A message nobody may apply is kept whole in the dead_letter table and announced on the
 * dead-letter topic (reference, order number, consumer and reason only: no content), at once.
 * `hub dead-letters replay <id>` sends a Kafka one back to its topic once the cause is fixed; the
 * consumers' idempotency makes a replay of a message that did get through harmless.
 */
import type { KafkaMessage, Producer } from 'kafkajs';
import { parseEnvelope, TOPICS } from '../../domain/events.js';
import type { DeadLetterStore } from '../../infra/db/dead-letters.js';
import { redactText } from '../../infra/errors.js';
import type { Logger } from '../../infra/log.js';

export interface DeadLetterDeps {
  deadLetters: DeadLetterStore;
  producer: Pick<Producer, 'send'>;
  log: Logger;
}

/** Where the message came from: a Kafka topic, or a legacy system (`legacy:<adapter>`, partition -1). */
export interface Source {
  topic: string;
  partition: number;
  message: Pick<KafkaMessage, 'offset' | 'key' | 'value' | 'headers'>;
}

const orderNoOf = (value: Buffer | string | null): string | null => {
  try {
    return parseEnvelope(value).orderNo;
  } catch {
    return /"orderNo"\s*:\s*"(GD\d{14})"|<(?:SourceNo|OrderNo)>(GD\d{14})</.exec(value?.toString() ?? '')?.slice(1).find(Boolean) ?? null;
  }
};

export async function deadLetter(d: DeadLetterDeps, consumer: string, src: Source, reason: string): Promise<string> {
  const { topic, partition, message } = src;
  const orderNo = orderNoOf(message.value);
  const safeReason = redactText(reason);
  const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)]));
  const id = await d.deadLetters.record({ sourceTopic: topic, sourcePartition: partition, sourceOffset: message.offset, key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers, reason: safeReason, orderNo, consumer });
  d.log.warn({ topic, partition, offset: message.offset, deadLetterId: id, orderNo, consumer, reason: safeReason }, 'message dead-lettered');
  const notice = { deadLetterId: id, orderNo, consumer, source: { topic, partition, offset: message.offset }, reason: safeReason, at: new Date().toISOString() };
  await d.producer.send({
    topic: TOPICS.deadLetter,
    messages: [{
      key: orderNo,
      value: JSON.stringify(notice),
      headers: { 'dlq-reason': safeReason, 'dlq-id': id, 'dlq-consumer': consumer, 'dlq-source-topic': topic, 'dlq-source-partition': String(partition), 'dlq-source-offset': message.offset },
    }],
  });
  return id;
}
