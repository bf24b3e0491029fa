/**
 * What every order store keeps (usecases/ports.ts), as one suite: the MySQL store runs it in
 * test/infra/db/orders.int.test.ts, the in-memory store the use-case unit tests run on in
 * test/usecases/memory-store.unit.test.ts. A fake that passes it behaves as the real store does
 * where the use cases depend on it.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ExternalRefTaken, IdempotencyConflict, TransitionRefused, type NewOrder, type OrderQuery, type OrderStore } from '../../usecases/ports.js';

export interface StoreUnderTest {
  store(): OrderStore;
  /** How many rows of the outbox (by dedup key), the inbox (by message id) or the history (by dedup key) hold this key. */
  count(what: 'outbox' | 'inbox' | 'history', key: string): Promise<number>;
}

export const request = (title = '小区停水两天'): NewOrder => ({
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

export function describeOrderStore(name: string, on: StoreUnderTest): void {
  describe(`order store (${name}): what every implementation keeps`, () => {
    const store = { register: (o: NewOrder, key: string | undefined, actor: string) => on.store().register(o, key, actor, () => []), applyStep: (...a: Parameters<OrderStore['applyStep']>) => on.store().applyStep(...a), history: (n: string) => on.store().history(n), find: (n: string) => on.store().find(n), commit: ((...a: Parameters<OrderStore['commit']>) => on.store().commit(...a)) as OrderStore['commit'] };

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

    it('merges a repeat call into an open order, counting it there, with the messages its caller gives', async () => {
      const { order: open } = await store.register(request(), undefined, 'test');
      const dedupKey = `answer:${randomUUID()}`;
      const answer = { channel: 'kafka' as const, destination: 'store-test', messageKey: 'police-110', payload: { accepted: true }, dedupKey };
      const { order: merged } = await on.store().register(request(), undefined, 'test', () => [answer], open.orderNo!);
      expect(merged).toMatchObject({ status: 'merged', mergedInto: open.orderNo });
      expect(await store.find(open.orderNo!)).toMatchObject({ repeatCount: 1 });
      expect((await store.history(open.orderNo!)).map((h) => h.step)).toEqual(['accept', 'repeat-call']);
      expect(await on.count('outbox', dedupKey)).toBe(1);
    });

    it('lists orders by every filter a query gives, newest first, a page at a time', async () => {
      // This test's orders, told apart from the others in the store by their street.
      const street = `查询路${randomUUID().slice(0, 8)}`;
      const make = async (over: Partial<NewOrder>, phone: string) => (await store.register({ ...request(), address: `河西区${street}1号`, ...over, citizen: { name: '李四', phone, confidential: false } }, undefined, 'test')).order.orderNo!;
      const a = await make({ category: 'water-outage', district: 'hexi' }, '13800000001');
      const b = await make({ category: 'gas-fault', district: 'nankai' }, '138-0000-0002');
      const c = await make({ category: 'water-outage', district: 'nankai', address: `南开区${street}3号` }, '13800000001');
      await store.applyStep(c, { step: 'dispatch', actor: 'worker', note: '派单', dedupKey: `dispatch:${c}` }, { status: 'dispatched', unitCode: 'water-group' });
      const list = async (q: Partial<OrderQuery>) => (await on.store().list({ address: street, limit: 50, ...q })).map((o) => o.orderNo);
      expect(await list({}), 'newest first').toEqual([c, b, a]);
      expect(await list({ phone: '13800000001' })).toEqual([c, a]);
      expect(await list({ phone: '138-0000-0002' }), 'as written').toEqual([b]);
      expect(await list({ categories: ['water-outage'] })).toEqual([c, a]);
      expect(await list({ categories: ['water-outage', 'gas-fault'], district: 'nankai' })).toEqual([c, b]);
      expect(await list({ categories: [] }), 'a group with no leaves').toEqual([]);
      expect(await list({ handledBy: 'water-group', status: 'dispatched' })).toEqual([c]);
      expect(await list({ address: `南开区${street}` })).toEqual([c]);
      expect(await list({ address: '%' }), 'a wildcard is a character').toEqual([]);
      const made = (await store.find(b))!.createdAt;
      expect(await list({ from: new Date(made.getTime() + 60_000) })).toEqual([]);
      expect(await list({ to: new Date(made.getTime() - 60_000) })).toEqual([]);
      expect(await list({ from: new Date(made.getTime() - 60_000), to: new Date(made.getTime() + 60_000) })).toEqual([c, b, a]);
      const first = await on.store().list({ address: street, limit: 2 });
      expect(first.map((o) => o.orderNo)).toEqual([c, b]);
      expect(await list({ limit: 2, beforeId: first[1]!.id }), 'the next page').toEqual([a]);
    });

    it('applies a step once: a retry with the same dedup key changes nothing and emits nothing twice', async () => {
      const { order } = await store.register(request(), undefined, 'test');
      const orderNo = order.orderNo!;
      const dedupKey = `dispatch:${orderNo}:${randomUUID()}`;
      const step = { step: 'dispatch' as const, actor: 'worker', note: '派单', dedupKey };
      const outbox = [{ channel: 'kafka' as const, destination: 'store-test', messageKey: 'water-group', payload: { orderNo }, dedupKey }];
      expect(await store.applyStep(orderNo, step, { status: 'dispatched', unitCode: 'water-group', increment: 'redoCount' }, outbox)).toBe('applied');
      expect(await store.applyStep(orderNo, step, { status: 'dispatched', increment: 'redoCount' }, outbox)).toBe('duplicate');
      const after = await store.find(orderNo);
      expect(after).toMatchObject({ status: 'dispatched', unitCode: 'water-group', redoCount: 1 });
      expect(await on.count('outbox', dedupKey)).toBe(1);
    });

    it('refuses a status change the transition table does not allow, and writes nothing of it', async () => {
      const { order } = await store.register(request(), undefined, 'test');
      const dedupKey = `close:${randomUUID()}`;
      await expect(store.applyStep(order.orderNo!, { step: 'close' as const, actor: 't', note: 'x', dedupKey }, {}, [], { transition: 'close' })).rejects.toBeInstanceOf(TransitionRefused);
      expect((await store.find(order.orderNo!))!.status).toBe('accepted');
      expect((await store.history(order.orderNo!)).map((h) => h.step)).toEqual(['accept']);
    });

    it('commits a decision on the locked order once: the order, its history, the outbox and the inbox in one transaction', async () => {
      const { order } = await store.register(request(), undefined, 'test');
      const orderNo = order.orderNo!;
      const dedupKey = `chase:${randomUUID()}`;
      const messageId = randomUUID();
      const decide = async (o: { chaseCount: number }, read: { steps(step: string): Promise<unknown[]> }) => ({
        entry: { step: 'chase' as const, actor: 'test', note: `催办第${o.chaseCount + 1}次`, detail: { before: (await read.steps('chase')).length } },
        patch: { increment: 'chaseCount' as const },
        outbox: [{ channel: 'kafka' as const, destination: 'store-test', payload: { orderNo }, dedupKey }],
      });
      expect(await store.commit(orderNo, dedupKey, decide, { inbox: { messageId, source: 'store-test' } })).toBe('accepted');
      expect(await store.commit(orderNo, dedupKey, decide), 'the same step again').toBe('duplicate');
      expect(await store.commit(orderNo, `chase:${randomUUID()}`, decide, { inbox: { messageId, source: 'store-test' } }), 'the same message again').toBe('duplicate');
      expect((await store.find(orderNo))!.chaseCount).toBe(1);
      expect((await store.history(orderNo)).map((h) => h.note)).toEqual([expect.any(String), '催办第1次']);
      expect(await on.count('outbox', dedupKey)).toBe(1);
      expect(await on.count('inbox', messageId)).toBe(1);
    });

    it('serializes concurrent decisions on one order: each reads what the one before wrote', async () => {
      const { order } = await store.register(request(), undefined, 'test');
      const orderNo = order.orderNo!;
      const seen: number[] = [];
      await Promise.all(
        Array.from({ length: 8 }, () =>
          store.commit(orderNo, `chase:${randomUUID()}`, (o) => {
            seen.push(o.chaseCount);
            return { entry: { step: 'chase' as const, actor: 'test', note: '催办' }, patch: { increment: 'chaseCount' } };
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
      await expect(store.commit(orderNo, dedupKey, () => ({ entry: { step: 'close' as const, actor: 't', note: 'x' }, outbox: [{ channel: 'kafka', destination: 'store-test', payload: {}, dedupKey }], opts: { transition: 'close' } }))).rejects.toBeInstanceOf(TransitionRefused);
      expect((await store.history(orderNo)).map((h) => h.step)).toEqual(['accept']);
      expect(await on.count('outbox', dedupKey)).toBe(0);
      expect(await on.count('inbox', dedupKey)).toBe(0);
    });

    it('writes nothing when the decision finds nothing to do, and a later decision on the same key is still taken', async () => {
      const { order } = await store.register(request(), undefined, 'test');
      const orderNo = order.orderNo!;
      const dedupKey = `overtaken:${randomUUID()}`;
      expect(await store.commit(orderNo, dedupKey, () => null, { inbox: { messageId: dedupKey, source: 'store-test' } })).toBe('unchanged');
      expect((await store.history(orderNo)).map((h) => h.step)).toEqual(['accept']);
      expect(await on.count('inbox', dedupKey)).toBe(0);
      expect(await store.commit(orderNo, dedupKey, () => ({ entry: { step: 'remind' as const, actor: 'hub', note: '提醒' } }))).toBe('accepted');
    });

    it('ties a system\'s case id to the order with the step that brings it, and refuses the step when the id is another order\'s, writing nothing', async () => {
      const [{ order: a }, { order: b }] = [await store.register(request(), undefined, 'test'), await store.register(request(), undefined, 'test')];
      const link = { system: 'store-cms', id: `CASE-${randomUUID()}` };
      const note = (dedupKey: string) => () => ({ entry: { step: 'unit-note' as const, actor: 'unit:water-group', note: '处理中' }, outbox: [{ channel: 'kafka' as const, destination: 'store-test', payload: {}, dedupKey }] });
      const first = `linked:${randomUUID()}`;
      expect(await store.commit(a.orderNo!, first, note(first), { inbox: { messageId: first, source: 'store-test', link } })).toBe('accepted');
      expect(await on.store().findByExternal(link.system, link.id)).toBe(a.orderNo);
      const second = `taken:${randomUUID()}`;
      await expect(store.commit(b.orderNo!, second, note(second), { inbox: { messageId: second, source: 'store-test', link } })).rejects.toBeInstanceOf(ExternalRefTaken);
      expect((await store.history(b.orderNo!)).map((h) => h.step)).toEqual(['accept']);
      expect(await on.count('outbox', second)).toBe(0);
      expect(await on.count('inbox', second)).toBe(0);
      expect(await on.store().findByExternal(link.system, link.id)).toBe(a.orderNo);
      // A step that is refused takes its id with it: nothing tied.
      const refused = { system: 'store-cms', id: `CASE-${randomUUID()}` };
      await expect(store.commit(b.orderNo!, `refused:${randomUUID()}`, () => ({ entry: { step: 'close' as const, actor: 't', note: 'x' }, opts: { transition: 'close' } }), { inbox: { messageId: randomUUID(), source: 'store-test', link: refused } })).rejects.toBeInstanceOf(TransitionRefused);
      expect(await on.store().findByExternal(refused.system, refused.id)).toBeNull();
    });

    it('counts the citizens\' notices each destination got since a time, and nothing else sent there', async () => {
      const { order } = await store.register(request(), undefined, 'test');
      const [phone, mail] = [`139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, `n-${randomUUID()}@example.invalid`];
      const since = new Date(Date.now() - 60_000);
      const m = (channel: 'sms' | 'email', destination: string, key: string) => ({ channel, destination, payload: {}, dedupKey: key });
      const key = randomUUID();
      expect(await store.commit(order.orderNo!, `notices:${key}`, () => ({ entry: { step: 'remind' as const, actor: 'hub', note: '提醒' }, outbox: [m('sms', phone, `notice:received:${key}:sms`), m('email', mail, `notice:received:${key}:email`), m('email', mail, `notice:closed:${key}:email`), m('email', mail, `chase:${key}:email`)] }))).toBe('accepted');
      const counted = await on.store().noticesSince([phone, mail, 'nobody@example.invalid'], since);
      expect(Object.fromEntries(counted)).toEqual({ [phone]: 1, [mail]: 2 });
      expect((await on.store().noticesSince([phone], new Date(Date.now() + 60_000))).size, 'none after a later time').toBe(0);
      expect((await on.store().noticesSince([], since)).size).toBe(0);
    });

    it('lists Open311 requests by date, state and category, newest first, at most the limit, never a confidential citizen\'s, with the fields they came with', async () => {
      const category = `o311-${randomUUID().slice(0, 8)}`;
      const made = async (title: string, confidential = false) => (await store.register({ ...request(title), category, citizen: { ...request().citizen, confidential } }, undefined, 'test')).order.orderNo!;
      const [a, b, c, d] = [await made('一'), await made('二'), await made('三', true), await made('四')];
      const fields = (n: number) => ({ serviceCode: 'pothole', lat: 39.1 + n / 1000, long: 117.2, addressId: n === 1 ? 'TJ-1' : null, zipcode: '300041', mediaUrl: n === 2 ? 'https://img.example.invalid/2.jpg' : null });
      const t0 = new Date('2026-11-01T00:00:00Z');
      const at = (ms: number) => new Date(t0.getTime() + ms);
      await on.store().recordOpen311(a, 'app-a', fields(1), at(1000));
      await on.store().recordOpen311(b, 'app-b', fields(2), at(2000));
      await on.store().recordOpen311(c, 'app-a', fields(3), at(3000));
      await on.store().recordOpen311(d, 'app-a', fields(4), at(40 * 86_400_000));
      await on.store().recordOpen311(a, 'app-b', fields(9), new Date());
      const list = async (q: Partial<Parameters<OrderStore['open311Requests']>[0]> = {}) =>
        (await on.store().open311Requests({ since: t0, until: at(60 * 86_400_000), limit: 1000, categories: [category], ...q })).map((r) => r.order.orderNo);
      expect(await list()).toEqual([d, b, a]);
      const first = (await on.store().open311Requests({ since: t0, until: at(60 * 86_400_000), limit: 1000, categories: [category] })).find((r) => r.order.orderNo === a)!;
      expect(first.fields).toEqual(fields(1));
      expect(await list({ until: at(86_400_000) })).toEqual([b, a]);
      expect(await list({ since: at(1500) })).toEqual([d, b]);
      expect(await list({ states: ['open'] })).toEqual([d, b, a]);
      expect(await list({ states: ['open', 'closed'] })).toEqual([d, b, a]);
      expect(await list({ states: ['closed'] })).toEqual([]);
      expect(await list({ limit: 2 })).toEqual([d, b]);
      expect(await list({ categories: [`${category}-x`] })).toEqual([]);
      expect(await list({ ids: [c, a], since: new Date(0), until: new Date(8.64e15) })).toEqual([a]);
    });

    it('writes nothing of a step whose order does not exist', async () => {
      const dedupKey = `ghost:${randomUUID()}`;
      await expect(store.applyStep('GD20990101999999', { step: 'close' as const, actor: 't', note: 'x', dedupKey }, { status: 'closed' })).rejects.toThrow(/does not exist/);
      expect(await on.count('history', dedupKey)).toBe(0);
    });
  });
}
