import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../infra/config.js';
import { createDataSource, openDataSource } from '../../../infra/db/data-source.js';
import { SqlOrderStore } from '../../../infra/db/orders.js';
import { chinaDate } from '../../../domain/deadline.js';
import { describeOrderStore, request } from '../../support/order-store-contract.js';

const ds = createDataSource(loadConfig());
beforeAll(() => openDataSource(ds));
afterAll(async () => {
  // Its outbox rows name a topic that does not exist: the hub's relay must never see them.
  await ds.query("DELETE FROM outbox WHERE destination = 'store-test'");
  await ds.destroy();
});

const COUNT = {
  outbox: 'SELECT COUNT(*) AS n FROM outbox WHERE dedup_key = ?',
  inbox: 'SELECT COUNT(*) AS n FROM inbox WHERE message_id = ?',
  history: 'SELECT COUNT(*) AS n FROM order_history WHERE dedup_key = ?',
};
const sql = new SqlOrderStore(ds);
describeOrderStore('MySQL', { store: () => sql, count: async (what, key) => Number(((await ds.query(COUNT[what], [key])) as [{ n: string }])[0].n) });

describe('order store (MySQL): its own', () => {
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

});
