import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../infra/config.js';
import type { NewOrder } from '../../infra/db/orders.js';
import { acceptOrder } from '../../usecases/accept-order.js';
import { submitCallback } from '../../usecases/submit-callback.js';
import { submitReply } from '../../usecases/submit-reply.js';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { createLogger } from '../../infra/log.js';
import { loadCatalog } from '../../domain/catalog.js';
import { projectRoot } from '../../infra/config.js';
import path from 'node:path';

// The model and the job workers on the real Zeebe and MySQL, driven through the use cases without
// the HTTP gateway; the relay hands the messages to Zeebe.
const config = loadConfig({ ...process.env, HUB_ROLES: 'workers,adapters', OUTBOX_POLL_MS: '100' });
const catalog = loadCatalog(path.join(projectRoot, config.CATALOG_FILE));
let hub: RunningHub;

const logLines: string[] = [];
beforeAll(async () => {
  const sink = new Writable({ write: (chunk: Buffer, _enc, cb) => (logLines.push(chunk.toString()), cb()) });
  hub = await startHub(config, createLogger('info', sink));
});
afterAll(async () => {
  await hub?.close();
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
/** Waits for the order to reach `status`; when it does not, fails with what the hub logged of it. */
async function reaches(orderNo: string, status: string): Promise<void> {
  try {
    await expect.poll(() => statusOf(orderNo), { timeout: 20_000 }).toBe(status);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nthe hub's log of ${orderNo}:\n${logLines.filter((l) => l.includes(orderNo)).join('')}`, { cause: err });
  }
}

describe('work-order process with its workers (real Zeebe and MySQL)', () => {
  it('answers a policy consultation at once and closes it', async () => {
    const { order: o } = await acceptOrder({ store: hub.store, catalog }, order('policy-consult'), undefined, 'test');
    await reaches(o.orderNo!, 'closed');
    const steps = (await hub.store.history(o.orderNo!)).map((h) => h.step);
    expect(steps).toEqual(['accept', 'classify', 'answer', 'close']);
    expect((await hub.store.find(o.orderNo!))!.processInstanceKey).toMatch(/^\d+$/);
  });

  it('dispatches a water outage to the water group, with the confidential citizen masked, and closes after reply and callback', async () => {
    const deps = { store: hub.store, catalog };
    const { order: o } = await acceptOrder(deps, order('water-outage', 'hexi', true), undefined, 'test');
    const orderNo = o.orderNo!;
    await reaches(orderNo, 'dispatched');
    const dispatched = await hub.store.find(orderNo);
    expect(dispatched).toMatchObject({ unitCode: 'water-group', handlingMode: 'phone-dispatch' });
    expect(dispatched!.dueAt!.getTime()).toBeGreaterThan(Date.now() + 24 * 3600_000);

    const [outbox] = await hub.store.ds.query(
      "SELECT payload FROM outbox WHERE channel = 'kafka' AND payload LIKE ?",
      [`%${orderNo}%`],
    );
    expect(outbox!.payload).not.toMatch(/王五|13700137000/);

    await submitReply(deps, orderNo, { id: randomUUID(), unit: 'water-group', unitName: '市水务集团', result: '已恢复供水', handledBy: '李工', repliedAt: new Date().toISOString() }, 'unit:water-group');
    await reaches(orderNo, 'awaiting_callback');
    await submitCallback(deps, orderNo, randomUUID(), 'satisfied', '', 'callback-agent');
    await reaches(orderNo, 'closed');
    const steps = (await hub.store.history(orderNo)).map((h) => h.step);
    expect(steps).toEqual(['accept', 'classify', 'dispatch', 'reply', 'review', 'callback-requested', 'callback', 'close']);
  });

  it('ends a second instance of one order at once (its start delivered again after the first ended) and records nothing of it', async () => {
    const { order: o } = await acceptOrder({ store: hub.store, catalog }, order('policy-consult'), undefined, 'test');
    const orderNo = o.orderNo!;
    await reaches(orderNo, 'closed');
    const first = (await hub.store.find(orderNo))!.processInstanceKey;
    // As if a relay had died after publishing and before marking: the start goes out again.
    await hub.store.ds.query("UPDATE outbox SET sent_at = NULL WHERE channel = 'engine' AND aggregate_key = ?", [orderNo]);
    await expect.poll(() => logLines.find((l) => l.includes('DUPLICATE_INSTANCE') && l.includes(orderNo)), { timeout: 20_000 }).toBeDefined();
    expect((await hub.store.find(orderNo))!.processInstanceKey).toBe(first);
    expect((await hub.store.history(orderNo)).map((h) => h.step)).toEqual(['accept', 'classify', 'answer', 'close']);
  });
});
