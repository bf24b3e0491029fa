import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config.js';
import type { NewOrder } from '../../infra/db/orders.js';
import { acceptOrder, submitCallback, submitReply } from '../../usecases/intake.js';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { createLogger } from '../../infra/log.js';
import { createZeebeClient } from '../../infra/engine/zeebe-client.js';

// The model and the job workers on the real Zeebe and MySQL, driven without the HTTP gateway.
const config = loadConfig({ ...process.env, HUB_ROLES: 'workers' });
const zeebe = createZeebeClient(config);
let hub: RunningHub;

beforeAll(async () => {
  hub = await startHub(config, createLogger('warn'));
});
afterAll(async () => {
  await hub?.close();
  await zeebe.close();
});

const order = (category: string, district = 'hexi', confidential = false): NewOrder => ({
  channel: 'phone',
  type: category === 'policy-consult' ? 'consultation' : 'help',
  category,
  district,
  title: `测试 ${category}`,
  description: '工作流测试用诉求',
  address: '河西区测试路1号',
  urgent: false,
  citizen: { name: '王五', phone: '13700137000', confidential },
});

const statusOf = async (orderNo: string): Promise<string | undefined> => (await hub.store.find(orderNo))?.status;

describe('work-order process with its workers (real Zeebe and MySQL)', () => {
  it('answers a policy consultation at once and closes it', async () => {
    const { order: o } = await acceptOrder({ store: hub.store, zeebe }, order('policy-consult'), undefined, 'test');
    await expect.poll(() => statusOf(o.orderNo!), { timeout: 20_000 }).toBe('closed');
    const steps = (await hub.store.history(o.orderNo!)).map((h) => h.step);
    expect(steps).toEqual(['accept', 'process-started', 'classify', 'answer', 'close']);
  });

  it('dispatches a water outage to the water group, with the confidential citizen masked, and closes after reply and callback', async () => {
    const deps = { store: hub.store, zeebe };
    const { order: o } = await acceptOrder(deps, order('water-outage', 'hexi', true), undefined, 'test');
    const orderNo = o.orderNo!;
    await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('dispatched');
    const dispatched = await hub.store.find(orderNo);
    expect(dispatched).toMatchObject({ unitCode: 'water-group', handlingMode: 'phone-dispatch' });
    expect(dispatched!.dueAt!.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);

    const [outbox] = await hub.store.ds.query(
      "SELECT payload FROM outbox WHERE channel = 'kafka' AND payload LIKE ?",
      [`%${orderNo}%`],
    );
    expect(outbox!.payload).not.toMatch(/王五|13700137000/);

    await submitReply(deps, orderNo, { id: randomUUID(), unit: 'water-group', unitName: '市水务集团', result: '已恢复供水', handledBy: '李工', repliedAt: new Date().toISOString() }, 'unit:water-group');
    await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('awaiting_callback');
    await submitCallback(deps, orderNo, randomUUID(), 'satisfied', '', 'callback-agent');
    await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe('closed');
    const steps = (await hub.store.history(orderNo)).map((h) => h.step);
    expect(steps).toEqual(['accept', 'process-started', 'classify', 'dispatch', 'reply', 'review', 'callback-requested', 'callback', 'close']);
  });
});
