/**
 * The dashboard's figures of the moment (infra/db/statistics.ts statisticsNow) on MySQL: orders
 * taken today in China's day, open orders by every status an order leaves, and the overdue ones
 * among them. Orders are registered as the hub does and then put where each case needs them.
 * The counts by dimension over a period, through the gateway: test/gateway/statistics.int.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DONE_STATUSES, OPEN_STATUSES } from '../../../domain/order.js';
import { loadConfig } from '../../../infra/config.js';
import { createDataSource, openDataSource } from '../../../infra/db/data-source.js';
import { SqlOrderStore } from '../../../infra/db/orders.js';
import { statisticsNow } from '../../../infra/db/statistics.js';
import { request } from '../../support/order-store-contract.js';

const ds = createDataSource(loadConfig());
beforeAll(() => openDataSource(ds));
afterAll(() => ds.destroy());

const store = new SqlOrderStore(ds);
// 2026-12-06 09:30 in China; China's day began at 2026-12-05T16:00Z.
const now = new Date('2026-12-06T01:30:00Z');

async function order(status: string, createdAt: string, dueAt: string | null): Promise<void> {
  const { order: o } = await store.register(request(`看板 ${status}`), undefined, 'test', () => []);
  await ds.query('UPDATE work_order SET status = ?, created_at = ?, due_at = ? WHERE order_no = ?', [status, new Date(createdAt), dueAt ? new Date(dueAt) : null, o.orderNo]);
}

describe('the dashboard\'s figures of the moment (MySQL)', () => {
  it('counts today in China\'s day, every open status as open, and the open ones past their deadline as overdue', async () => {
    const before = await statisticsNow(ds, now);
    expect(before).toEqual({ today: 0, open: 0, overdue: 0 });
    await order('dispatched', '2026-12-05T16:00:00Z', '2026-12-06T01:29:59Z'); // today's first instant; overdue
    await order('dispatched', '2026-12-05T15:59:59Z', '2026-12-08T10:00:00Z'); // yesterday in China; not yet due
    await order('accepted', '2026-12-06T01:00:00Z', null); // today; no deadline yet
    await order('extension_requested', '2026-11-20T01:00:00Z', '2026-12-01T10:00:00Z'); // overdue
    await order('closed', '2026-12-06T00:00:00Z', '2026-12-01T10:00:00Z'); // done: not open, not overdue, but taken today
    await order('cancelled', '2026-11-01T00:00:00Z', '2026-11-05T00:00:00Z');
    await order('merged', '2026-11-01T00:00:00Z', null);
    expect(await statisticsNow(ds, now)).toEqual({ today: 3, open: 4, overdue: 2 });
  });

  it('sees every status an order can leave as open and no other', async () => {
    const at = await statisticsNow(ds, now);
    for (const s of OPEN_STATUSES) await order(s, '2026-11-01T00:00:00Z', null);
    for (const s of DONE_STATUSES) await order(s, '2026-11-01T00:00:00Z', null);
    expect((await statisticsNow(ds, now)).open - at.open).toBe(OPEN_STATUSES.length);
  });
});
