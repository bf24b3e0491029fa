import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/config.js';
import { createDataSource, migrations, openDataSource } from '../../../infra/db/data-source.js';
import { DeadLetterStore } from '../../../infra/db/dead-letters.js';

const ds = createDataSource(loadConfig());
const store = new DeadLetterStore(ds);
beforeAll(async () => {
  await openDataSource(ds);
  if (migrations.length > 0) await ds.runMigrations({ transaction: 'each' });
});
afterAll(() => ds.destroy());

const letter = (topic: string, value: string) => ({ sourceTopic: topic, sourcePartition: 0, sourceOffset: '0', key: null, value, headers: {}, reason: 'test', orderNo: null, consumer: 'hub' });

describe('dead-letter store (MySQL)', () => {
  it('keeps a redelivered message once', async () => {
    const topic = `test.${randomUUID()}`;
    const first = await store.record(letter(topic, 'same'));
    expect(await store.record(letter(topic, 'same'))).toBe(first);
  });

  it('keeps another message at the same place, as a rebuilt Kafka cluster numbers offsets from 0 again', async () => {
    const topic = `test.${randomUUID()}`;
    const before = await store.record(letter(topic, 'before the rebuild'));
    const after = await store.record(letter(topic, 'after the rebuild'));
    expect(after).not.toBe(before);
    const rows = (await ds.query('SELECT message_value FROM dead_letter WHERE source_topic = ? ORDER BY id', [topic])) as Array<{ message_value: string }>;
    expect(rows.map((r) => r.message_value)).toEqual(['before the rebuild', 'after the rebuild']);
  });
});
