import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/config.js';
import { createDataSource, openDataSource } from '../../../infra/db/data-source.js';
import { IdempotencyConflict, SqlOrderStore, TransitionRefused, type NewOrder } from '../../../infra/db/orders.js';
import { chinaDate } from '../../../domain/deadline.js';

const ds = createDataSource(loadConfig());
const plain = new SqlOrderStore(ds);
// The store's own tests emit no messages at registration.
const store = { ...plain, register: (o: NewOrder, key: string | undefined, actor: string) => plain.register(o, key, actor, () => []), applyStep: plain.applyStep.bind(plain), history: plain.history.bind(plain), find: plain.find.bind(plain), commit: plain.commit.bind(plain) };
beforeAll(() => openDataSource(ds));
afterAll(async () => {
  // Its outbox rows name a topic that does not exist: the hub's relay must never see them.
  await ds.query("DELETE FROM outbox WHERE destination = 'store-test'");
  await ds.destroy();
});

const request = (title = '小区停水两天'): NewOrder => ({
  channel: 'phone',
  type: 'help',
  category: 'water-outage',
  district: 'hexi',
  title,
  description: '友谊路某小区自前天起停水，无通知。',
  address: '河西区友谊路1号',
  urgent: false,
  citizen: { name: '张三', phone: '13800138000', confidential: true },
});

describe('order store (MySQL)', () => {
  it('registers an order with a GD number and an accept entry in its history', async () => {
    const { order, created } = await store.register(request(), undefined, 'test');
    expect(created).toBe(true);
    expect(order.orderNo).toMatch(/^GD\d{14}$/);
    const history = await store.history(order.orderNo!);
    expect(history.map((h) => h.step)).toEqual(['accept']);
  });

  it('returns the same order for the same Idempotency-Key, and refuses the key for another request', async () => {
    const key = randomUUID();
    const first = await store.register(request(), key, 'test');
    const again = await store.register(request(), key, 'test');
    expect(again).toEqual({ order: expect.objectContaining({ orderNo: first.order.orderNo }), created: false });
    await expect(store.register(request('另一件事'), key, 'test')).rejects.toBeInstanceOf(IdempotencyConflict);
  });

  it('answers concurrent requests with one key with a single order', async () => {
    const key = randomUUID();
    const results = await Promise.all([1, 2, 3].map(() => store.register(request(), key, 'test')));
    expect(new Set(results.map((r) => r.order.orderNo)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it('applies a step once: a retry with the same dedup key changes nothing and emits nothing twice', async () => {
    const { order } = await store.register(request(), undefined, 'test');
    const orderNo = order.orderNo!;
    const dedupKey = `dispatch:${orderNo}:${randomUUID()}`;
    const step = { step: 'dispatch', actor: 'worker', note: '派单', dedupKey };
    const outbox = [{ channel: 'kafka' as const, destination: 'store-test', messageKey: 'water-group', payload: { orderNo }, dedupKey }];
    expect(await store.applyStep(orderNo, step, { status: 'dispatched', unitCode: 'water-group', increment: 'redoCount' }, outbox)).toBe('applied');
    expect(await store.applyStep(orderNo, step, { status: 'dispatched', increment: 'redoCount' }, outbox)).toBe('duplicate');
    const after = await store.find(orderNo);
    expect(after).toMatchObject({ status: 'dispatched', unitCode: 'water-group', redoCount: 1 });
    const rows = await ds.query('SELECT COUNT(*) AS n FROM outbox WHERE dedup_key = ?', [dedupKey]);
    expect(Number(rows[0].n)).toBe(1);
  });

  it('refuses a status change the transition table does not allow, and writes nothing of it', async () => {
    const { order } = await store.register(request(), undefined, 'test');
    const dedupKey = `close:${randomUUID()}`;
    await expect(store.applyStep(order.orderNo!, { step: 'close', actor: 't', note: 'x', dedupKey }, {}, [], { transition: 'close' })).rejects.toBeInstanceOf(TransitionRefused);
    expect((await store.find(order.orderNo!))!.status).toBe('accepted');
    expect((await store.history(order.orderNo!)).map((h) => h.step)).toEqual(['accept']);
  });

  it('writes created_at in UTC and dates the order number in China, even when the session runs in +08:00', async () => {
    // One connection, put in Shanghai time after the hub set it to UTC: as if the server's zone leaked in.
    const one = await openDataSource(createDataSource(loadConfig(), { connectionLimit: 1 }));
    try {
      await one.query("SET time_zone = '+08:00'");
      const before = new Date();
      const { order } = await new SqlOrderStore(one).register(request(), undefined, 'test', () => []);
      const after = new Date();
      const [row] = (await ds.query('SELECT created_at, updated_at FROM work_order WHERE order_no = ?', [order.orderNo])) as Array<{ created_at: Date; updated_at: Date }>;
      expect(row!.created_at.getTime(), 'created_at read back in UTC').toBeGreaterThanOrEqual(before.getTime() - 5);
      expect(row!.created_at.getTime()).toBeLessThanOrEqual(after.getTime() + 5);
      expect(row!.updated_at.getTime()).toBeLessThanOrEqual(after.getTime() + 5);
      const dates = [chinaDate(before), chinaDate(after)].map((d) => d.replace(/-/g, ''));
      expect(dates).toContain(order.orderNo!.slice(2, 10));
    } finally {
      await one.destroy();
    }
  });

  it('commits a decision on the locked order once: the order, its history, the outbox and the inbox in one transaction', async () => {
    const { order } = await store.register(request(), undefined, 'test');
    const orderNo = order.orderNo!;
    const dedupKey = `chase:${randomUUID()}`;
    const messageId = randomUUID();
    const decide = async (o: { chaseCount: number }, read: { steps(step: string): Promise<unknown[]> }) => ({
      entry: { step: 'chase', actor: 'test', note: `催办第${o.chaseCount + 1}次`, detail: { before: (await read.steps('chase')).length } },
      patch: { increment: 'chaseCount' as const },
      outbox: [{ channel: 'kafka' as const, destination: 'store-test', payload: { orderNo }, dedupKey }],
    });
    expect(await store.commit(orderNo, dedupKey, decide, { inbox: { messageId, source: 'store-test' } })).toBe('accepted');
    expect(await store.commit(orderNo, dedupKey, decide), 'the same step again').toBe('duplicate');
    expect(await store.commit(orderNo, `chase:${randomUUID()}`, decide, { inbox: { messageId, source: 'store-test' } }), 'the same message again').toBe('duplicate');
    expect((await store.find(orderNo))!.chaseCount).toBe(1);
    expect((await store.history(orderNo)).map((h) => h.note)).toEqual([expect.any(String), '催办第1次']);
    expect(Number((await ds.query('SELECT COUNT(*) AS n FROM outbox WHERE dedup_key = ?', [dedupKey]))[0].n)).toBe(1);
    expect(Number((await ds.query('SELECT COUNT(*) AS n FROM inbox WHERE message_id = ?', [messageId]))[0].n)).toBe(1);
  });

  it('serializes concurrent decisions on one order: each reads what the one before wrote', async () => {
    const { order } = await store.register(request(), undefined, 'test');
    const orderNo = order.orderNo!;
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, () =>
        store.commit(orderNo, `chase:${randomUUID()}`, (o) => {
          seen.push(o.chaseCount);
          return { entry: { step: 'chase', actor: 'test', note: '催办' }, patch: { increment: 'chaseCount' } };
        }),
      ),
    );
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect((await store.find(orderNo))!.chaseCount).toBe(8);
  });

  it('writes nothing of a decision that refuses, nor of one the transition table refuses', async () => {
    const { order } = await store.register(request(), undefined, 'test');
    const orderNo = order.orderNo!;
    const dedupKey = `refused:${randomUUID()}`;
    await expect(store.commit(orderNo, dedupKey, () => { throw new Error('不予受理'); }, { inbox: { messageId: dedupKey, source: 'store-test' } })).rejects.toThrow('不予受理');
    await expect(store.commit(orderNo, dedupKey, () => ({ entry: { step: 'close', actor: 't', note: 'x' }, outbox: [{ channel: 'kafka', destination: 'store-test', payload: {}, dedupKey }], opts: { transition: 'close' } }))).rejects.toBeInstanceOf(TransitionRefused);
    expect((await store.history(orderNo)).map((h) => h.step)).toEqual(['accept']);
    expect(Number((await ds.query('SELECT COUNT(*) AS n FROM outbox WHERE dedup_key = ?', [dedupKey]))[0].n)).toBe(0);
    expect(Number((await ds.query('SELECT COUNT(*) AS n FROM inbox WHERE message_id = ?', [dedupKey]))[0].n)).toBe(0);
  });

  it('writes nothing when the decision finds nothing to do, and a later decision on the same key is still taken', async () => {
    const { order } = await store.register(request(), undefined, 'test');
    const orderNo = order.orderNo!;
    const dedupKey = `overtaken:${randomUUID()}`;
    expect(await store.commit(orderNo, dedupKey, () => null, { inbox: { messageId: dedupKey, source: 'store-test' } })).toBe('unchanged');
    expect((await store.history(orderNo)).map((h) => h.step)).toEqual(['accept']);
    expect(Number((await ds.query('SELECT COUNT(*) AS n FROM inbox WHERE message_id = ?', [dedupKey]))[0].n)).toBe(0);
    expect(await store.commit(orderNo, dedupKey, () => ({ entry: { step: 'remind', actor: 'hub', note: '提醒' } }))).toBe('accepted');
  });

  it('writes nothing of a step whose order does not exist', async () => {
    const dedupKey = `ghost:${randomUUID()}`;
    await expect(store.applyStep('GD20990101999999', { step: 'close', actor: 't', note: 'x', dedupKey }, { status: 'closed' })).rejects.toThrow(/does not exist/);
    const rows = await ds.query('SELECT COUNT(*) AS n FROM order_history WHERE dedup_key = ?', [dedupKey]);
    expect(Number(rows[0].n)).toBe(0);
  });
});
