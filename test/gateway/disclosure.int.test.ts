/**
 * 政务公开 on the real stack: a closed order the centre publishes is read by anyone, without a key,
 * with the unit's answer and the satisfaction and nothing of the citizen (name, phone, address,
 * a person named in the texts); an open or confidential order is not published; a withdrawn one
 * is gone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { freePort } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';

let keys: TestKeys;
let hub: RunningHub;
let base: string;
let root: string;
const citizen = { name: '欧阳娜娜', phone: '13912345678' };

beforeAll(async () => {
  keys = await makeKeys();
  hub = await startHub(loadConfig({ ...process.env, PORT: String(await freePort()), OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false' }), createLogger('warn'));
  root = hub.url!;
  base = `${root}/api/v1`;
}, 120_000);
afterAll(async () => {
  await hub?.close();
});

const post = (p: string, body: unknown, token: string, method = 'POST') => fetch(`${base}${p}`, { method, headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });
const status = async (orderNo: string) => ((await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(keys.role.supervisor) })).json()) as { status: string }).status;

async function order(confidential: boolean): Promise<string> {
  const res = await post('/orders', {
    channel: 'phone', type: 'help', category: 'water-outage', title: `${citizen.name}反映停水`, description: `${citizen.name}（电话${citizen.phone}）反映友谊路8号楼停水`, district: 'hexi', address: '河西区友谊路8号楼3单元201室',
    citizen: { ...citizen, confidential }, ...(confidential ? { unitSummary: '河西区某小区停水' } : {}),
  }, keys.role['call-taker']);
  expect(res.status).toBe(201);
  return ((await res.json()) as { orderNo: string }).orderNo;
}

async function closed(orderNo: string): Promise<void> {
  await expect.poll(() => status(orderNo), { timeout: 20_000 }).toBe('dispatched');
  expect((await post(`/orders/${orderNo}/reply`, { result: `王工已上门为欧阳女士修复，并回电${citizen.phone}告知`, handledBy: '王建国' }, keys.unit['water-group']!)).status).toBe(202);
  await expect.poll(() => status(orderNo), { timeout: 20_000 }).toBe('awaiting_callback');
  expect((await post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied' }, keys.role['callback-agent'])).status).toBe(202);
  await expect.poll(() => status(orderNo), { timeout: 20_000 }).toBe('closed');
}

describe('public disclosure (政务公开)', () => {
  it('serves a published closed order to anyone, anonymised, with the answer and the satisfaction, until it is withdrawn', async () => {
    const orderNo = await order(false);
    expect((await post(`/orders/${orderNo}/publish`, { summary: '市民反映小区停水' }, keys.role.supervisor)).status, 'not closed yet').toBe(409);
    await closed(orderNo);
    expect((await post(`/orders/${orderNo}/publish`, { summary: '市民反映小区停水' }, keys.role['call-taker'])).status, 'only a supervisor publishes').toBe(403);
    const published = await post(`/orders/${orderNo}/publish`, { summary: `${citizen.name}反映河西区友谊路8号楼3单元201室停水，电话${citizen.phone}` }, keys.role.supervisor);
    expect(published.status).toBe(200);

    const read = await fetch(`${root}/public/v1/orders/${orderNo}`);
    expect(read.status, 'no key needed').toBe(200);
    const pub = (await read.json()) as Record<string, unknown>;
    expect(pub).toMatchObject({ orderNo, district: '河西区', unit: '市水务集团', satisfaction: '满意', category: { code: 'water-outage', name: '停水' } });
    const text = JSON.stringify(pub);
    for (const secret of [citizen.name, citizen.phone, '欧阳女士', '王工', '王建国', '友谊路8号楼', '201室']) expect(text, `the public page shows ${secret}`).not.toContain(secret);
    expect(pub.summary).toBe('诉求人反映（地址略）停水，电话***');
    expect(pub.answer).toBe('工作人员已上门为诉求人修复，并回电***告知');
    const list = (await (await fetch(`${root}/public/v1/orders?limit=100`)).json()) as { orders: Array<{ orderNo: string }> };
    expect(list.orders.map((o) => o.orderNo)).toContain(orderNo);

    expect((await post(`/orders/${orderNo}/publish`, {}, keys.role.supervisor, 'DELETE')).status).toBe(204);
    expect((await fetch(`${root}/public/v1/orders/${orderNo}`)).status).toBe(404);
  });

  it('never publishes a confidential order, nor one never published', async () => {
    const orderNo = await order(true);
    await closed(orderNo);
    const res = await post(`/orders/${orderNo}/publish`, { summary: '市民反映小区停水' }, keys.role.supervisor);
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CONFIDENTIAL');
    expect((await fetch(`${root}/public/v1/orders/${orderNo}`)).status).toBe(404);
    expect((await fetch(`${root}/public/v1/orders/GD20990101000001`)).status).toBe(404);
  });
});
