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
import { statisticsCounts, statisticsNow } from '../../../infra/db/statistics.js';
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

/** A history entry as the hub writes it (domain/text.ts STEP_NAMES), at a given instant. */
async function step(orderNo: string, code: string, detail: Record<string, unknown>, at: string): Promise<void> {
  await ds.query('INSERT INTO order_history (order_no, step, actor, note, detail, occurred_at) VALUES (?, ?, ?, ?, ?, ?)', [orderNo, code, 'hub', code, JSON.stringify(detail), new Date(at)]);
}

describe('the assessment\'s counts of replies, redos, chases and supervision (MySQL)', () => {
  it('counts a redo against the unit whose reply it rejected, each counted alarm as a chase (not the reminder), chased or supervised dispatches once each, and spot checks against the unit whose answer was checked', async () => {
    // A month of its own, so that the other tests' orders are not in it.
    const from = new Date('2026-09-30T16:00:00Z');
    const to = new Date('2026-10-31T16:00:00Z');
    const placed = async (district: string): Promise<string> => {
      const { order: o } = await store.register({ ...request('考核计数'), district }, undefined, 'test', () => []);
      await ds.query('UPDATE work_order SET created_at = ? WHERE order_no = ?', [new Date('2026-10-10T02:00:00Z'), o.orderNo]);
      return o.orderNo!;
    };
    const a = await placed('heping');
    // Gas: chased twice on its first dispatch (催签收, 催办) and supervised (督办); reminded (提醒, not counted); replied, the reply redone, replied again.
    await step(a, 'dispatch', { unit: 'gas-group', dispatchSeq: 1 }, '2026-10-10T02:01:00Z');
    await step(a, 'chase-acknowledge', { unit: 'gas-group', dispatchSeq: 1, counted: true }, '2026-10-10T05:00:00Z');
    await step(a, 'remind', { unit: 'gas-group', dispatchSeq: 1, counted: false }, '2026-10-12T02:00:00Z');
    await step(a, 'chase', { unit: 'gas-group', dispatchSeq: 1, counted: true }, '2026-10-13T02:00:00Z');
    await step(a, 'supervise', { unit: 'gas-group', dispatchSeq: 1, counted: true }, '2026-10-14T02:00:00Z');
    await step(a, 'reply', { unit: 'gas-group', dispatchSeq: 1 }, '2026-10-14T03:00:00Z');
    await step(a, 'redo', {}, '2026-10-15T03:00:00Z');
    await step(a, 'dispatch', { unit: 'gas-group', dispatchSeq: 2 }, '2026-10-15T03:00:01Z');
    await step(a, 'chase', { unit: 'gas-group', dispatchSeq: 2, counted: true }, '2026-10-16T03:00:00Z');
    await step(a, 'reply', { unit: 'gas-group', dispatchSeq: 2 }, '2026-10-16T04:00:00Z');
    // Water: returned by gas, then an urgent order's 未到场督办 against water; its reply redone, though the order is in another district's count.
    const b = await placed('hexi');
    await step(b, 'dispatch', { unit: 'gas-group', dispatchSeq: 1 }, '2026-10-10T02:01:00Z');
    await step(b, 'return', { unit: 'gas-group', dispatchSeq: 1 }, '2026-10-10T03:00:00Z');
    await step(b, 'dispatch', { unit: 'water-group', dispatchSeq: 2 }, '2026-10-10T04:00:00Z');
    await step(b, 'on-site-overdue', { unit: 'water-group', dispatchSeq: 2, counted: true }, '2026-10-10T06:00:00Z');
    await step(b, 'reply', { unit: 'water-group', dispatchSeq: 2 }, '2026-10-11T04:00:00Z');
    await step(b, 'redo', {}, '2026-10-12T04:00:00Z');
    // 抽查: gas's last answer on a passed, then water's on a failed check (its redo follows), then passed.
    await step(a, 'spot-check', { unit: 'gas-group', passed: true }, '2026-10-17T04:00:00Z');
    await step(b, 'reply', { unit: 'water-group', dispatchSeq: 3 }, '2026-10-13T04:00:00Z');
    await step(b, 'spot-check', { unit: 'water-group', passed: false }, '2026-10-14T04:00:00Z');
    await step(b, 'redo', {}, '2026-10-14T04:00:01Z');
    await step(b, 'spot-check', { unit: 'water-group', passed: true }, '2026-10-16T04:00:00Z');

    const byUnit = await statisticsCounts(ds, 'unit', from, to, new Date('2026-11-01T00:00:00Z'));
    expect(byUnit.get('gas-group')).toMatchObject({ dispatches: 3, returns: 1, replies: 2, redos: 1, chases: 4, chasedDispatches: 2, supervisedDispatches: 1 });
    expect(byUnit.get('gas-group')).toMatchObject({ spotChecks: 1, spotChecksFailed: 0 });
    expect(byUnit.get('water-group')).toMatchObject({ dispatches: 1, returns: 0, replies: 2, redos: 2, chases: 1, chasedDispatches: 1, supervisedDispatches: 1, spotChecks: 2, spotChecksFailed: 1 });
    const byDistrict = await statisticsCounts(ds, 'district', from, to, new Date('2026-11-01T00:00:00Z'));
    expect(byDistrict.get('heping')).toMatchObject({ volume: 1, dispatches: 2, replies: 2, redos: 1, chases: 4, chasedDispatches: 2, supervisedDispatches: 1 });
    expect(byDistrict.get('hexi')).toMatchObject({ volume: 1, dispatches: 2, returns: 1, replies: 2, redos: 2, chases: 1, chasedDispatches: 1, supervisedDispatches: 1, spotChecks: 2, spotChecksFailed: 1 });
    expect(await statisticsCounts(ds, 'unit', new Date('2026-08-31T16:00:00Z'), from), 'orders accepted in another month are not counted').toEqual(new Map());
  });
});
