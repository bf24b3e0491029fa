/**
 * 通报 on MySQL (infra/db/circulars.ts) under concurrent approvals: drafts sent at once get one
 * number each, in the year, with no gap and no repeat; one draft approved by several supervisors at
 * once is sent once — one number, one step per order, one mail per recipient.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/config.js';
import { CircularStore } from '../../../infra/db/circulars.js';
import { createDataSource, openDataSource } from '../../../infra/db/data-source.js';
import { SqlOrderStore } from '../../../infra/db/orders.js';
import { request } from '../../support/order-store-contract.js';

const ds = createDataSource(loadConfig());
beforeAll(() => openDataSource(ds));
afterAll(() => ds.destroy());
const circulars = new CircularStore(ds);
const at = new Date('2031-03-01T02:00:00Z');
const draft = (orders: string[] = []) => circulars.draft({ title: '并发测试通报', body: '并发测试：通报正文', periodLabel: '2031年2月', units: ['gas-group'], orders, by: 'test', at });
const sending = (c: { id: string; circularNo: string; orders: string[] }) => ({
  steps: c.orders.map((orderNo) => ({ orderNo, entry: { step: 'circular' as const, actor: 'test', note: c.circularNo, dedupKey: `circular:${c.id}:${orderNo}` } })),
  mails: [{ channel: 'email' as const, destination: 'unit@example.invalid', payload: { subject: c.circularNo, text: '通报', ref: `circular:${c.id}` }, dedupKey: `circular:${c.id}:email:unit` }],
});

describe('circulars approved at once (MySQL)', () => {
  it('numbers drafts sent together one each, 1 to n in their year', async () => {
    const drafts = await Promise.all(Array.from({ length: 12 }, () => draft()));
    const sent = await Promise.all(drafts.map((d) => circulars.send(d.id, 'supervisor:test', at, sending)));
    const numbers = sent.map((s) => (typeof s === 'string' ? s : s.circularNo));
    expect(numbers.map((n) => Number(/^通报〔2031〕(\d+)号$/.exec(String(n))?.[1])).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('sends a draft approved by several at once once: one number, one step per order, one mail', async () => {
    const { order: o } = await new SqlOrderStore(ds).register(request('通报并发'), undefined, 'test', () => []);
    const d = await draft([o.orderNo!]);
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => circulars.send(d.id, 'supervisor:test', at, sending)));
    expect(outcomes.filter((x) => typeof x !== 'string')).toHaveLength(1);
    expect(outcomes.filter((x) => x === 'not-draft')).toHaveLength(5);
    const [{ n }] = (await ds.query("SELECT COUNT(*) AS n FROM order_history WHERE order_no = ? AND step = 'circular'", [o.orderNo])) as [{ n: string | number }];
    expect(Number(n)).toBe(1);
    const [{ m }] = (await ds.query('SELECT COUNT(*) AS m FROM outbox WHERE aggregate_key = ?', [`circular:${d.id}`])) as [{ m: string | number }];
    expect(Number(m)).toBe(1);
    expect(await circulars.send('999999999', 'supervisor:test', at, sending)).toBe('not-found');
    expect(await circulars.edit(d.id, { title: '改', body: '改' }, 'x', at)).toBe('not-draft');
  });
});
