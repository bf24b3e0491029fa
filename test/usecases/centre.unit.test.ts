/**
 * The centre's own follow-up on the order store in memory: the alarms about a unit
 * (usecases/chase-unit.ts), chasing a person's task left open (chase-tasks.ts), an emergency
 * line's acknowledgement (emergency.ts), and 政务公开 (publish-order.ts). The rules are the core's
 * (test/domain/alarms.unit.test.ts); here: what one alarm writes, once, and what it leaves alone.
 */
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../domain/catalog.js';
import { chaseOverdueTasks } from '../../usecases/chase-tasks.js';
import { raiseAlarm } from '../../usecases/chase-unit.js';
import { acknowledgeHandover } from '../../usecases/emergency.js';
import { publishOrder, withdrawOrder } from '../../usecases/publish-order.js';
import { MemoryOrderStore } from '../support/memory-store.js';

const catalog = loadCatalog(path.resolve(import.meta.dirname, '../../config/catalog.json'));
const NOW = new Date('2026-12-07T02:00:00Z');
const DUE = new Date('2026-12-10T16:00:00Z');
const ORDER = 'GD20261207000006';

let store: MemoryOrderStore;
const deps = () => ({ store, catalog, now: () => NOW, log: { info: () => undefined, warn: () => undefined } });
beforeEach(() => {
  store = new MemoryOrderStore(() => NOW);
});

describe('催办 and 督办: the hub\'s alarms about a unit', () => {
  beforeEach(() => store.put({ orderNo: ORDER, status: 'acknowledged', unitCode: 'water-group', dispatchSeq: 2, dueAt: DUE, acknowledgedAt: NOW }));

  it('督办 counts against the unit, flags the order supervised and mails the unit and the duty leader; the same timer again changes nothing', async () => {
    const alarm = { orderNo: ORDER, kind: 'supervise' as const, dispatchSeq: 2, at: DUE };
    expect(await raiseAlarm(deps(), alarm)).toBe('raised');
    expect(await raiseAlarm(deps(), alarm)).toBe('duplicate');
    expect(store.order(ORDER)).toMatchObject({ chaseCount: 1, supervisedAt: NOW });
    expect(store.messages(ORDER).map((m) => m.destination).sort()).toEqual([catalog.centre.dutyLeaderEmail, catalog.units.find((u) => u.code === 'water-group')!.email].sort());
  });

  it('an alarm the unit has overtaken writes nothing: acknowledged already, answered, or another dispatch', async () => {
    expect(await raiseAlarm(deps(), { orderNo: ORDER, kind: 'chase-acknowledge', dispatchSeq: 2, at: NOW })).toBe('overtaken');
    expect(await raiseAlarm(deps(), { orderNo: ORDER, kind: 'chase', dispatchSeq: 1, at: DUE })).toBe('overtaken');
    store.state.orders[0]!.status = 'replied';
    expect(await raiseAlarm(deps(), { orderNo: ORDER, kind: 'chase', dispatchSeq: 2, at: DUE })).toBe('overtaken');
    expect(store.steps(ORDER)).toEqual([]);
    expect(store.order(ORDER).chaseCount).toBe(0);
  });
});

describe('a person\'s task left open past its deadline', () => {
  it('is chased once, to the duty leader, with a line in the order\'s history', async () => {
    store.put({ orderNo: ORDER, status: 'returned' });
    await store.withOrder(ORDER, (_o, tx) => tx.openTask({ orderNo: ORDER, kind: 'redispatch', role: 'dispatcher', detail: {}, dedupKey: 'task:1', dueAt: new Date(NOW.getTime() - 60_000) }));
    await store.withOrder(ORDER, (_o, tx) => tx.openTask({ orderNo: ORDER, kind: 'redispatch', role: 'dispatcher', detail: {}, dedupKey: 'task:2', dueAt: new Date(NOW.getTime() + 60_000) }));
    expect(await chaseOverdueTasks(deps())).toBe(1);
    expect(await chaseOverdueTasks(deps())).toBe(0);
    expect(store.steps(ORDER)).toEqual(['chase-task']);
    expect(store.messages(ORDER)).toEqual([expect.objectContaining({ channel: 'email', destination: catalog.centre.dutyLeaderEmail })]);
  });
});

describe('紧急移交: the emergency line acknowledges an order handed to it', () => {
  const ack = { id: 'ack-1', partner: 'fire-119', incidentId: 'HJ001' };
  beforeEach(() => store.put({ orderNo: ORDER, status: 'handed_over', partnerCode: 'fire-119' }));

  it('is recorded, handed to the process and the incident linked; a repeat is a duplicate; another line is refused', async () => {
    expect(await acknowledgeHandover(deps(), ORDER, ack, { messageId: 'm1', source: 'kafka' })).toBe('accepted');
    expect(await acknowledgeHandover(deps(), ORDER, ack, { messageId: 'm1', source: 'kafka' })).toBe('duplicate');
    await expect(acknowledgeHandover(deps(), ORDER, { ...ack, id: 'ack-2', partner: 'police-110' }, { messageId: 'm2', source: 'kafka' })).rejects.toMatchObject({ code: 'NOT_YOUR_ORDER' });
    expect(store.steps(ORDER)).toEqual(['partner-ack']);
    expect(await store.findByExternal('fire-119', 'HJ001')).toBe(ORDER);
  });

  it('a late acknowledgement, after the order moved on, is stale and moves nothing', async () => {
    store.state.orders[0]!.status = 'transferred';
    expect(await acknowledgeHandover(deps(), ORDER, ack, { messageId: 'm1', source: 'kafka' })).toBe('stale');
    expect(store.steps(ORDER)).toEqual([]);
  });
});

describe('政务公开: publishing a closed order', () => {
  beforeEach(() => store.put({ orderNo: ORDER, status: 'closed', citizenName: '王小明', citizenPhone: '13812345678', address: '河西区友谊路8号' }));

  it('publishes texts with the citizen\'s name taken out, and withdraws them once', async () => {
    await expect(publishOrder(deps(), ORDER, { summary: '王小明反映停水', answer: '已修复' }, 'publisher:1')).resolves.toMatchObject({ summary: expect.not.stringContaining('王小明') as string });
    expect(store.order(ORDER)).toMatchObject({ publishedBy: 'publisher:1' });
    await withdrawOrder(deps(), ORDER, 'publisher:1');
    expect(store.order(ORDER).publishedAt).toBeNull();
    await expect(withdrawOrder(deps(), ORDER, 'publisher:1')).rejects.toMatchObject({ code: 'NOT_PUBLISHED' });
  });

  it('never publishes an open order or a confidential one', async () => {
    store.state.orders[0]!.status = 'acknowledged';
    await expect(publishOrder(deps(), ORDER, { summary: '停水', answer: '已修复' }, 'p')).rejects.toMatchObject({ code: 'NOT_CLOSED' });
    Object.assign(store.state.orders[0]!, { status: 'closed', citizenConfidential: true });
    await expect(publishOrder(deps(), ORDER, { summary: '停水', answer: '已修复' }, 'p')).rejects.toMatchObject({ code: 'CONFIDENTIAL' });
    expect(store.steps(ORDER)).toEqual([]);
  });
});
