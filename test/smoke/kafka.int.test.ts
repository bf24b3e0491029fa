import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { kafkaBrokers, loadConfig } from '../../infra/config.js';

const config = loadConfig();
const kafka = new Kafka({ clientId: 'smoke-test', brokers: kafkaBrokers(config), logLevel: logLevel.WARN });
const admin = kafka.admin();
const topic = `smoke.${randomUUID()}`;
const groupId = `smoke-group-${randomUUID()}`;

afterAll(async () => {
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.disconnect();
});

describe('Kafka smoke (real broker from the stack)', () => {
  it('creates a topic, produces, and a consumer group reads it back and commits its offsets', async () => {
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true })).toBe(true);

    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const sent = ['受理', '派单', '办结'].map((v, i) => ({ key: `order-${i}`, value: v }));
    await producer.send({ topic, messages: sent });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received: string[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message.value?.toString('utf8') ?? '');
      },
    });
    await expect.poll(() => received.length, { timeout: 30_000 }).toBe(3);
    await consumer.disconnect(); // commits the consumed offsets

    expect([...received].sort()).toEqual(sent.map((m) => m.value).sort());
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const committed = offsets!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    expect(committed).toBe(3);
  });
});
