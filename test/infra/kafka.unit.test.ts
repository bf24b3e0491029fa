/**
 * readFromNowOn on a broker that does not coordinate the group yet (just restarted): the admin
 * client's retriable refusals are tried again; anything else fails at once. The shared producer:
 * after its sequence numbers went astray, the next send goes on a producer of a new id. Fake
 * clients (unit tests); the real broker is in the adapters' contract tests and the fault tests.
 */
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { readFromNowOn, renewingProducer } from '../../infra/kafka.js';

const notCoordinator = Object.assign(new Error('This is not the correct coordinator for this group'), { retriable: true, type: 'NOT_COORDINATOR' });

function fakeKafka(failures: Error[]): { kafka: Kafka; calls: () => number } {
  let calls = 0;
  const admin = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    fetchOffsets: async () => {
      calls++;
      const err = failures.shift();
      if (err) throw err;
      return [{ topic: 't', partitions: [{ partition: 0, offset: '-1' }] }];
    },
    fetchTopicOffsets: async () => [{ partition: 0, high: '42' }],
  };
  return { kafka: { admin: () => admin } as unknown as Kafka, calls: () => calls };
}
const consumer = { on: () => undefined, events: { GROUP_JOIN: 'join' } } as unknown as Consumer;

describe('readFromNowOn', () => {
  it('tries again while the broker does not coordinate the group yet', async () => {
    const k = fakeKafka([notCoordinator, notCoordinator]);
    await expect(readFromNowOn(k.kafka, consumer, 'g', ['t'])).resolves.toBeDefined();
    expect(k.calls()).toBe(3);
  });

  it('tries again while a just-started broker has no group coordinator at all (kafkajs marks that permanent)', async () => {
    const k = fakeKafka([Object.assign(new Error('Failed to find group coordinator'), { name: 'KafkaJSGroupCoordinatorNotFound', retriable: false })]);
    await expect(readFromNowOn(k.kafka, consumer, 'g', ['t'])).resolves.toBeDefined();
    expect(k.calls()).toBe(2);
  });

  it('fails at once on an error a retry cannot help', async () => {
    const k = fakeKafka([Object.assign(new Error('not authorised'), { retriable: false })]);
    await expect(readFromNowOn(k.kafka, consumer, 'g', ['t'])).rejects.toThrow('not authorised');
    expect(k.calls()).toBe(1);
  });
});

/** A producer that records what it sent and fails as told. */
function fakeProducer(name: string, fail?: () => Error) {
  const sent: string[] = [];
  let disconnected = false;
  const producer = {
    sent,
    get disconnected() {
      return disconnected;
    },
    async send(r: { topic: string }) {
      const err = fail?.();
      if (err) throw err;
      sent.push(`${name}:${r.topic}`);
      return [];
    },
    async sendBatch(b: { topicMessages?: Array<{ topic: string }> }) {
      const err = fail?.();
      if (err) throw err;
      for (const t of b.topicMessages ?? []) sent.push(`${name}:${t.topic}`);
      return [];
    },
    async disconnect() {
      disconnected = true;
    },
  };
  return producer;
}
const outOfOrder = () => Object.assign(new Error('The broker received an out of order sequence number'), { name: 'KafkaJSProtocolError', type: 'OUT_OF_ORDER_SEQUENCE_NUMBER', retriable: false });
const quiet = { warn: () => undefined };

describe('the shared producer (adapters, dead letters)', () => {
  it('fails the send that found its sequence numbers astray, and sends the next on a producer of a new id, closing the old', async () => {
    const first = fakeProducer('first', outOfOrder);
    const made: Array<ReturnType<typeof fakeProducer>> = [];
    const shared = renewingProducer(first as unknown as Producer, async () => {
      const p = fakeProducer(`new${made.length + 1}`);
      made.push(p);
      return p as unknown as Producer;
    }, quiet);
    await expect(shared.send({ topic: 'a', messages: [] })).rejects.toThrow(/out of order/);
    await shared.sendBatch({ topicMessages: [{ topic: 'b', messages: [] }] });
    await shared.send({ topic: 'c', messages: [] });
    expect(made).toHaveLength(1);
    expect(made[0]!.sent).toEqual(['new1:b', 'new1:c']);
    expect(first.disconnected).toBe(true);
    await shared.disconnect();
    expect(made[0]!.disconnected).toBe(true);
  });

  it('renews once when several sends fail together, and not at all for an error a new id cannot cure', async () => {
    const first = fakeProducer('first', outOfOrder);
    let made = 0;
    const shared = renewingProducer(first as unknown as Producer, async () => (made++, fakeProducer('new') as unknown as Producer), quiet);
    const results = await Promise.allSettled([1, 2, 3].map((i) => shared.send({ topic: `t${i}`, messages: [] })));
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(made).toBe(1);

    const denied = fakeProducer('denied', () => Object.assign(new Error('not authorized'), { type: 'TOPIC_AUTHORIZATION_FAILED' }));
    let remade = 0;
    const other = renewingProducer(denied as unknown as Producer, async () => (remade++, fakeProducer('x') as unknown as Producer), quiet);
    await expect(other.send({ topic: 't', messages: [] })).rejects.toThrow(/not authorized/);
    expect(remade).toBe(0);
    expect(denied.disconnected).toBe(false);
  });
});
