/**
 * Intake on the order store in memory: a call-taker's request (usecases/accept-order.ts) and an
 * emergency line's transfer (usecases/transfer-in.ts, 110转12345) — what is refused with what to
 * do, what one order's creation writes, and that a repeat makes no second order. The engine's
 * decision on a transfer is a fake here; on the engines it is test/scenario/integrations.int.
 */
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../domain/catalog.js';
import type { EventPayload } from '../../domain/events.js';
import { contactTokenHash, NOTICES_PER_DESTINATION_PER_DAY } from '../../domain/notices.js';
import { confirmEmail, emailTokenStatus } from '../../usecases/confirm-contact.js';
import { acceptOrder } from '../../usecases/accept-order.js';
import type { NewOrder } from '../../usecases/ports.js';
import { takeTransfer } from '../../usecases/transfer-in.js';
import { MemoryOrderStore } from '../support/memory-store.js';

const catalog = loadCatalog(path.resolve(import.meta.dirname, '../../config/catalog.json'));
const NOW = new Date('2026-12-07T02:00:00Z');
const request = (o: Partial<NewOrder> = {}): NewOrder => ({
  channel: 'phone', type: 'help', category: 'water-outage', district: 'hexi', title: '小区停水两天', description: '友谊路某小区自前天起停水', address: '河西区友谊路1号', urgent: false,
  citizen: { name: '张三', phone: '13800138000', confidential: false, email: 'zhang@example.cn' }, ...o,
});

let store: MemoryOrderStore;
beforeEach(() => {
  store = new MemoryOrderStore(() => NOW);
});

describe('受理: a call-taker\'s request becomes a work order', () => {
  const deps = (o: object = {}) => ({ store, catalog, now: () => NOW, sms: true, ...o });

  it('makes the order with its process start and the citizen\'s receipts, in one write', async () => {
    const { order, created } = await acceptOrder(deps(), request(), 'key-1', 'call-taker:1');
    expect(created).toBe(true);
    expect(order.orderNo).toMatch(/^GD20261207\d{6}$/);
    expect(store.steps(order.orderNo!)).toEqual(['accept']);
    expect(store.messages(order.orderNo!).map((m) => m.channel).sort()).toEqual(['email', 'engine', 'sms']);
  });

  it('writes to a contact given through an app only once confirmed: one mail asking, and the link in it confirms the address', async () => {
    let link = '';
    const { order } = await acceptOrder(deps({ confirmUrl: (t: string) => (link = `https://12345.example.gov.cn/public/v1/contact/confirm?token=${t}`) }), request({ channel: 'app' }), undefined, 'integration:city-app');
    const sent = store.messages(order.orderNo!).filter((m) => m.channel !== 'engine');
    expect(sent.map((m) => m.channel), 'no SMS to a number nobody heard').toEqual(['email']);
    expect((sent[0]!.payload as { text: string }).text).toContain(link);
    const token = new URL(link).searchParams.get('token')!;
    expect(store.order(order.orderNo!)).toMatchObject({ citizenPhoneConfirmedAt: null, citizenEmailConfirmedAt: null, citizenEmailToken: contactTokenHash(token) });
    expect(JSON.stringify(store.order(order.orderNo!)), 'the token itself is not kept').not.toContain(token);

    // Opening the link only asks; it changes nothing (mail scanners open links on their own).
    expect(await emailTokenStatus({ store }, token)).toEqual({ outcome: 'pending', orderNo: order.orderNo });
    expect(store.order(order.orderNo!).citizenEmailConfirmedAt).toBeNull();
    expect(await emailTokenStatus({ store }, 'A'.repeat(32))).toEqual({ outcome: 'unknown' });
    expect(await confirmEmail({ store, now: () => NOW }, 'A'.repeat(32))).toEqual({ outcome: 'unknown' });
    expect(await confirmEmail({ store, now: () => NOW }, token)).toEqual({ outcome: 'confirmed', orderNo: order.orderNo });
    expect(await confirmEmail({ store, now: () => NOW }, token)).toEqual({ outcome: 'already', orderNo: order.orderNo });
    expect(store.order(order.orderNo!).citizenEmailConfirmedAt).toEqual(NOW);
    expect(store.steps(order.orderNo!)).toEqual(['accept', 'contact-confirm']);
    expect(await emailTokenStatus({ store }, token)).toEqual({ outcome: 'already', orderNo: order.orderNo });
  });

  it('takes a phone call\'s contact as confirmed: the call-taker heard it', async () => {
    const { order } = await acceptOrder(deps({ confirmUrl: () => 'unused' }), request(), undefined, 'call-taker:1');
    expect(store.order(order.orderNo!)).toMatchObject({ citizenPhoneConfirmedAt: NOW, citizenEmailConfirmedAt: NOW, citizenEmailToken: null });
  });

  it('takes every request but writes a receipt to one number or address only a few times a day, however many orders name it', async () => {
    const made = [];
    for (let i = 0; i < NOTICES_PER_DESTINATION_PER_DAY + 2; i++) {
      const { order } = await acceptOrder(deps(), request({ category: i % 2 ? 'water-outage' : 'noise', district: i % 3 ? 'hexi' : 'nankai', title: `第${i}件` }), undefined, 'integration:city-app');
      made.push(order.orderNo!);
    }
    const receipts = made.map((o) => store.messages(o).filter((m) => m.channel !== 'engine').length);
    expect(receipts).toEqual([...Array(NOTICES_PER_DESTINATION_PER_DAY).fill(2), 0, 0]);
    expect(made.every((o) => store.messages(o).some((m) => m.channel === 'engine')), 'every order starts its process').toBe(true);
  });

  it.each([
    ['a category not in the catalog', { category: 'no-such' }, 'UNKNOWN_CATEGORY'],
    ['a group of categories', { category: 'public-utilities' }, 'UNKNOWN_CATEGORY'],
    ['a district not in the catalog', { district: 'atlantis' }, 'UNKNOWN_DISTRICT'],
    ['a complained-about unit not in the catalog', { complainedUnit: 'no-such-unit' }, 'UNKNOWN_UNIT'],
    ['a knowledge-base entry that does not exist', { knowledgeEntryId: '99' }, 'UNKNOWN_KNOWLEDGE_ENTRY'],
  ])('refuses %s with what to do, and makes nothing', async (_what, o, code) => {
    await expect(acceptOrder(deps({ knowledge: { find: async () => null } }), request(o as Partial<NewOrder>), undefined, 'call-taker:1')).rejects.toMatchObject({ code });
    expect(store.state.orders).toEqual([]);
  });

  it('the same Idempotency-Key answers with the first order; with another request it is refused', async () => {
    const first = await acceptOrder(deps(), request(), 'key-1', 'call-taker:1');
    expect(await acceptOrder(deps(), request(), 'key-1', 'call-taker:1')).toEqual({ order: expect.objectContaining({ orderNo: first.order.orderNo }) as object, created: false });
    await expect(acceptOrder(deps(), request({ title: '另一件事' }), 'key-1', 'call-taker:1')).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(store.state.orders).toHaveLength(1);
  });

  it('重复件: the same caller on the same matter at the same place is merged into the open order, which counts it', async () => {
    const repeats = { sameCaller: { windowMs: 24 * 3600_000, minAddressSimilarity: 0.6 }, otherCallers: null, escalation: [] };
    const first = await acceptOrder(deps({ repeats }), request(), undefined, 'call-taker:1');
    const again = await acceptOrder(deps({ repeats }), request({ address: '河西区友谊路1号楼' }), undefined, 'call-taker:2');
    expect(again.order).toMatchObject({ status: 'merged', mergedInto: first.order.orderNo });
    expect(store.order(first.order.orderNo!).repeatCount).toBe(1);
    expect(store.steps(first.order.orderNo!)).toEqual(['accept', 'repeat-call']);
    // A merged call starts no process and sends no receipt.
    expect(store.messages(again.order.orderNo!)).toEqual([]);
  });

  it('重复件 across callers: another phone on the same matter at the same place, or within the radius on the map, is merged; farther away it is an order of its own', async () => {
    const repeats = { sameCaller: { windowMs: 72 * 3600_000, minAddressSimilarity: 0.7 }, otherCallers: { windowMs: 24 * 3600_000, minAddressSimilarity: 0.85, radiusMeters: 100 }, escalation: [] };
    const first = await acceptOrder(deps({ repeats }), request({ location: { lat: 39.1201, lng: 117.2001 } }), undefined, 'call-taker:1');
    const neighbour = await acceptOrder(deps({ repeats }), request({ citizen: { name: '李四', phone: '13900139001', confidential: false }, address: '河西区友谊路1号3单元' }), undefined, 'call-taker:2');
    expect(neighbour.order).toMatchObject({ status: 'merged', mergedInto: first.order.orderNo });
    // Written differently, but 50 m away by the app's point.
    const byMap = await acceptOrder(deps({ repeats }), request({ citizen: { name: '王五', phone: '13900139002', confidential: false }, address: '友谊路与永安道交口东北角', location: { lat: 39.12055, lng: 117.2001 } }), undefined, 'app');
    expect(byMap.order).toMatchObject({ status: 'merged', mergedInto: first.order.orderNo });
    const farther = await acceptOrder(deps({ repeats }), request({ citizen: { name: '赵六', phone: '13900139003', confidential: false }, address: '友谊路与永安道交口东北角', location: { lat: 39.1301, lng: 117.2001 } }), undefined, 'app');
    expect(farther.order.status).toBe('accepted');
    expect(store.order(first.order.orderNo!).repeatCount).toBe(2);
  });

  it('层级上报: at the policy\'s counts the unit is supervised (counted against it) and the duty leader told, then the leaders; each level once', async () => {
    const repeats = { sameCaller: { windowMs: 72 * 3600_000, minAddressSimilarity: 0.7 }, otherCallers: null, escalation: [{ repeats: 2, level: 'supervision' as const }, { repeats: 3, level: 'leaders' as const }] };
    const first = await acceptOrder(deps({ repeats }), request(), undefined, 'call-taker:1');
    const no = first.order.orderNo!;
    store.state.orders.find((o) => o.orderNo === no)!.status = 'acknowledged';
    Object.assign(store.state.orders.find((o) => o.orderNo === no)!, { unitCode: 'water-group', dispatchSeq: 1 });
    await acceptOrder(deps({ repeats }), request(), undefined, 'call-taker:2');
    expect(store.steps(no)).toEqual(['accept', 'repeat-call']);
    await acceptOrder(deps({ repeats }), request(), undefined, 'call-taker:3');
    expect(store.steps(no)).toEqual(['accept', 'repeat-call', 'repeat-call', 'repeat-supervision']);
    expect(store.order(no)).toMatchObject({ chaseCount: 1, supervisedAt: NOW });
    expect(store.state.history.at(-1)).toMatchObject({ note: '同一事项已重复来电2次，转督办：市水务集团，已报值班领导', detail: expect.stringContaining('"counted":true') as string });
    expect(store.messages(no).filter((m) => m.dedupKey.startsWith('repeat-supervision')).map((m) => m.destination)).toEqual([catalog.units.find((u) => u.code === 'water-group')!.email, catalog.centre.dutyLeaderEmail]);
    await acceptOrder(deps({ repeats }), request(), undefined, 'call-taker:4');
    await acceptOrder(deps({ repeats }), request(), undefined, 'call-taker:5');
    expect(store.steps(no).filter((s) => s.startsWith('repeat-') && s !== 'repeat-call')).toEqual(['repeat-supervision', 'repeat-leaders']);
    expect(store.state.history.find((h) => h.step === 'repeat-leaders')?.note).toBe('同一事项已重复来电3次，层级上报中心领导');
  });
});

describe('110转12345: a transfer from an emergency line', () => {
  const transfer = (o: Partial<EventPayload<'partner.transferred'>> = {}): EventPayload<'partner.transferred'> => ({
    partner: 'police-110', incidentId: 'JJ20261207001', item: 'noise', title: '楼上装修噪音', description: '夜间施工噪音扰民', address: '河西区友谊路2号', caller: { phone: '13900139000' }, transferredAt: NOW.toISOString(), ...o,
  });
  let decision: Record<string, unknown> | null;
  const deps = () => ({ store, catalog, decide: async () => decision });
  const event = { id: 'evt-1' };

  beforeEach(() => {
    decision = { accepted: true, category: 'water-outage', type: 'help', reason: null };
  });

  it('an item on the transfer list becomes an order, answered to the line in the same write and linked to its incident', async () => {
    const out = await takeTransfer(deps(), event, transfer());
    expect(out.outcome).toBe('accepted');
    expect(store.order(out.orderNo!)).toMatchObject({ channel: 'transfer', district: 'hexi' });
    expect(store.messages(out.orderNo!).filter((m) => m.channel === 'kafka')).toEqual([expect.objectContaining({ dedupKey: 'transfer-answer:police-110:JJ20261207001', payload: expect.objectContaining({ payload: expect.objectContaining({ accepted: true }) as object }) as object })]);
    expect(await store.findByExternal('police-110', 'JJ20261207001')).toBe(out.orderNo);
    expect(await takeTransfer(deps(), event, transfer())).toEqual({ outcome: 'duplicate', orderNo: out.orderNo });
    expect(store.state.orders).toHaveLength(1);
  });

  it('a transfer that repeats a call on an open order is merged into it, and still answered to the line, once', async () => {
    const repeats = { sameCaller: { windowMs: 24 * 3600_000, minAddressSimilarity: 0.6 }, otherCallers: null, escalation: [] };
    const open = await acceptOrder({ store, catalog, repeats }, { channel: 'phone', type: 'help', category: 'water-outage', district: 'hexi', title: '楼上装修噪音', description: '夜间施工', address: '河西区友谊路2号', urgent: false, citizen: { name: '来电人', phone: '13900139000', confidential: false } }, undefined, 'call-taker:1');
    const out = await takeTransfer({ ...deps(), repeats }, event, transfer());
    expect(out.outcome).toBe('accepted');
    expect(store.order(out.orderNo!)).toMatchObject({ status: 'merged', mergedInto: open.order.orderNo });
    const answers = () => store.messages().filter((m) => m.dedupKey === 'transfer-answer:police-110:JJ20261207001');
    expect(answers().map((m) => (m.payload as { payload: { accepted: boolean } }).payload.accepted)).toEqual([true]);
    // A merged call starts no process and sends no receipt: the answer is all that goes.
    expect(store.messages(out.orderNo!).map((m) => m.channel)).toEqual(['kafka']);
    expect(await takeTransfer({ ...deps(), repeats }, event, transfer())).toEqual({ outcome: 'duplicate', orderNo: out.orderNo });
    expect(answers()).toHaveLength(1);
  });

  it('an item off the list, or one with no district to be found, is declined with the reason and no order', async () => {
    decision = { accepted: false, reason: '刑事案件不转办' };
    expect(await takeTransfer(deps(), event, transfer())).toEqual({ outcome: 'declined', orderNo: null });
    decision = { accepted: true, category: 'water-outage', type: 'help', reason: null };
    expect(await takeTransfer(deps(), event, transfer({ incidentId: 'JJ2', address: '某地', district: undefined }))).toEqual({ outcome: 'declined', orderNo: null });
    expect(store.state.orders).toEqual([]);
    expect(store.state.transfers.map((t) => [t.incidentId, t.accepted, t.reason])).toEqual([['JJ20261207001', false, '刑事案件不转办'], ['JJ2', false, expect.stringContaining('无法确定所属区') as string]]);
    expect(store.messages().map((m) => (m.payload as { payload: { accepted: boolean } }).payload.accepted)).toEqual([false, false]);
  });

  it('a transfer list that matches no rule, or accepts without a category, is refused as a model to correct', async () => {
    decision = null;
    await expect(takeTransfer(deps(), event, transfer())).rejects.toMatchObject({ code: 'TRANSFER_REFUSED' });
    decision = { accepted: true, category: null, type: null };
    await expect(takeTransfer(deps(), event, transfer())).rejects.toThrow(/without a category/);
    await expect(takeTransfer(deps(), event, transfer({ partner: 'police-999' }))).rejects.toThrow(/not an emergency line/);
    expect(store.state.orders).toEqual([]);
  });
});
