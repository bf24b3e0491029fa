/**
 * The Kafka sender when its idempotent producer's sequence numbers went astray (seen by the cluster
 * test: a hub restarted while a broker led partitions anew, and 128 of 374 dispatches were parked
 * after one try with "The broker received an out of order sequence number"): the rows are tried
 * again, by a producer that reconnected for a new id, never parked.
 */
import type { Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import type { OutboxRow } from '../../../infra/db/entities.js';
import { kafkaSender } from '../../../infra/outbox/senders.js';
import { producerStateLost } from '../../../infra/kafka.js';

const protocolError = (type: string, message: string) => Object.assign(new Error(message), { name: 'KafkaJSProtocolError', type, retriable: false });
const row = (id: string): OutboxRow => ({ id, channel: 'kafka', destination: 'hub.unit.water-group.order-dispatched.v1', messageKey: 'GD20261207000001', aggregateKey: 'GD20261207000001', payload: JSON.stringify({ id: `e-${id}`, type: 'order.dispatched' }), attempts: 0 }) as unknown as OutboxRow;

describe('the Kafka sender and its producer\'s state', () => {
  it('knows the errors a new producer id cures, also inside kafkajs\'s wrappers, and no others', () => {
    expect(producerStateLost(protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER', 'The broker received an out of order sequence number'))).toBe(true);
    expect(producerStateLost(Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNonRetriableError', cause: protocolError('UNKNOWN_PRODUCER_ID', 'unknown producer') }))).toBe(true);
    expect(producerStateLost(Object.assign(new Error('aggregate'), { errors: [protocolError('INVALID_PRODUCER_EPOCH', 'fenced')] }))).toBe(true);
    expect(producerStateLost(protocolError('TOPIC_AUTHORIZATION_FAILED', 'not authorized'))).toBe(false);
  });

  it('sends on a new producer from then on (a reconnect keeps kafkajs\'s id), and says the rows may be tried again', async () => {
    const calls: string[] = [];
    const producer = (name: string, broken: boolean) =>
      ({
        sendBatch: async () => {
          calls.push(`send ${name}`);
          if (broken) throw protocolError('OUT_OF_ORDER_SEQUENCE_NUMBER', 'The broker received an out of order sequence number');
          return [];
        },
        disconnect: async () => void calls.push(`disconnect ${name}`),
      }) as unknown as Producer;
    const sender = kafkaSender(producer('shared', true), { batchSize: 10, timeoutMs: 1000, newProducer: async () => (calls.push('new'), producer('fresh', false)) });
    const first = await sender.send([row('1'), row('2')]);
    expect(first.map((d) => d.ok === false && d.permanent)).toEqual([false, false]);
    expect((await sender.send([row('1'), row('2')])).every((d) => d.ok)).toBe(true);
    expect(calls, 'the shared producer is left to its other users').toEqual(['send shared', 'new', 'send fresh']);
  });

  it('sends on a new producer after a send it gave up on, which kafkajs may still be sending', async () => {
    const calls: string[] = [];
    const hanging = { sendBatch: () => (calls.push('send hanging'), new Promise(() => undefined)), disconnect: async () => undefined } as unknown as Producer;
    const fresh = { sendBatch: async () => (calls.push('send fresh'), []), disconnect: async () => undefined } as unknown as Producer;
    const sender = kafkaSender(hanging, { batchSize: 10, timeoutMs: 20, newProducer: async () => (calls.push('new'), fresh) });
    const first = await sender.send([row('1')]);
    expect(first).toEqual([expect.objectContaining({ ok: false, permanent: false, error: expect.stringContaining('did not answer within 20 ms') })]);
    expect((await sender.send([row('1')])).every((d) => d.ok)).toBe(true);
    expect(calls).toEqual(['send hanging', 'new', 'send fresh']);
  });
});
