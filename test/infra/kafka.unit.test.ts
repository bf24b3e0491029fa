/**
 * readFromNowOn on a broker that does not coordinate the group yet (just restarted): the admin
 * client's retriable refusals are tried again; anything else fails at once. A fake admin client
 * (unit test); the real broker is in the adapters' contract tests and the fault tests.
 */
import type { Consumer, Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { readFromNowOn } from '../../infra/kafka.js';

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
