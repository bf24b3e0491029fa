/**
 * 附件 on MySQL: the bytes come back as they went in, with their SHA-256; an order's limit holds
 * when uploads come at once; a unit's files go with its reply only once, and only its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/config.js';
import { createDataSource, openDataSource } from '../../../infra/db/data-source.js';
import { SqlOrderStore } from '../../../infra/db/orders.js';
import { AttachmentStore } from '../../../infra/db/attachments.js';
import { request } from '../../support/order-store-contract.js';
import { createHash } from 'node:crypto';

const ds = createDataSource(loadConfig());
beforeAll(() => openDataSource(ds));
afterAll(() => ds.destroy());
const store = new SqlOrderStore(ds);
const files = new AttachmentStore(ds);
const photo = (n: number) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200_000, n)]);
const order = async () => (await store.register(request('附件'), undefined, 'test', () => [])).order.orderNo!;

describe('附件 (MySQL)', () => {
  it('gives the bytes back as they were, with their hash; lists without them', async () => {
    const no = await order();
    const made = await files.add({ orderNo: no, kind: 'intake', name: '现场照片.jpg', contentType: 'image/jpeg', data: photo(7), unitCode: null, addedBy: 'call-taker:1' }, 20);
    expect(made).toMatchObject({ name: '现场照片.jpg', size: 200_004, sha256: createHash('sha256').update(photo(7)).digest('hex') });
    const read = await files.read(no, made!.id);
    expect(read!.data!.equals(photo(7))).toBe(true);
    expect(await files.read(await order(), made!.id), 'another order has no such file').toBeNull();
    expect((await files.list(no))[0]).not.toHaveProperty('data');
  });

  it('keeps the limit when eight uploads to one order come at once: three kept', async () => {
    const no = await order();
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => files.add({ orderNo: no, kind: 'intake', name: `${i}.jpg`, contentType: 'image/jpeg', data: photo(i), unitCode: null, addedBy: 'test' }, 3)));
    expect(outcomes.filter((o) => o !== null)).toHaveLength(3);
    expect(await files.count(no)).toBe(3);
  });

  it('sends a unit\'s own files with its reply once, signed off; another unit\'s or an intake file is not its to send', async () => {
    const no = await order();
    const mine = await files.add({ orderNo: no, kind: 'reply', name: 'a.jpg', contentType: 'image/jpeg', data: photo(1), unitCode: 'water-group', addedBy: 'unit:water-group' }, 20);
    const theirs = await files.add({ orderNo: no, kind: 'reply', name: 'b.jpg', contentType: 'image/jpeg', data: photo(2), unitCode: 'gas-group', addedBy: 'unit:gas-group' }, 20);
    const intake = await files.add({ orderNo: no, kind: 'intake', name: 'c.jpg', contentType: 'image/jpeg', data: photo(3), unitCode: null, addedBy: 'call-taker:1' }, 20);
    expect(await files.unlinked(no, 'water-group', [mine!.id, theirs!.id, intake!.id])).toEqual([theirs!.id, intake!.id]);
    await files.linkToReply(no, 'water-group', [mine!.id], 'reply-1', '李科长');
    expect(await files.unlinked(no, 'water-group', [mine!.id]), 'sent once').toEqual([mine!.id]);
    expect((await files.list(no)).find((f) => f.id === mine!.id)).toMatchObject({ replyId: 'reply-1', signedOffBy: '李科长' });
  });
});
