/**
 * What a unit system's event on Kafka does, without Kafka (hub/inbound.ts applyEvent, on the order
 * store in memory): a unit ties its own case (an external reference) only to an order that is with
 * it; anything else is refused before a write. Read from Kafka and dead-lettered on the real stack:
 * test/gateway/orders.int.test.ts.
 */
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../domain/catalog.js';
import { envelope, partnerTopics, unitTopics } from '../../domain/events.js';
import { applyEvent } from '../../hub/inbound.js';
import { createLogger } from '../../infra/log.js';
import { MemoryOrderStore } from '../support/memory-store.js';

const catalog = loadCatalog(path.resolve(import.meta.dirname, '../../config/catalog.json'));
const NOW = new Date('2026-12-07T02:00:00Z');
const ORDER = 'GD20261207000001';
let store: MemoryOrderStore;
const deps = () => ({ store, catalog, now: () => NOW, log: createLogger('silent'), decide: async () => null });
const replied = (unit: string, ref: { system: string; id: string }) =>
  envelope('unit.replied', ORDER, { unit, result: '已处理', handledBy: '李工', repliedAt: NOW.toISOString(), ref }, unit, { id: `evt-${unit}-${ref.id}` });

beforeEach(() => {
  store = new MemoryOrderStore(() => NOW);
  store.put({ orderNo: ORDER, status: 'acknowledged', unitCode: 'water-group', dispatchSeq: 1 });
});

describe("a unit system's reference to its own case", () => {
  it("is not tied to another unit's order: the event is refused and nothing is written", async () => {
    const ref = { system: 'gas-cms', id: 'GAS-1' };
    await expect(applyEvent(replied('gas-group', ref), deps(), unitTopics('gas-group').replied)).rejects.toMatchObject({ code: 'EVENT_MISPLACED', message: expect.stringContaining(`order ${ORDER} is not with gas-group`) as string });
    expect(await store.findByExternal('gas-cms', 'GAS-1')).toBeNull();
    expect(store.steps(ORDER)).toEqual([]);
    // The water group's own reference is still free to be tied to it.
    expect(await applyEvent(replied('water-group', { system: 'gas-cms', id: 'GAS-1' }), deps(), unitTopics('water-group').replied)).toBe('accepted');
    expect(await store.findByExternal('gas-cms', 'GAS-1')).toBe(ORDER);
  });

  it("is tied to the order it is with, together with the unit's reply", async () => {
    expect(await applyEvent(replied('water-group', { system: 'water-cms', id: 'W-9' }), deps(), unitTopics('water-group').replied)).toBe('accepted');
    expect(await store.findByExternal('water-cms', 'W-9')).toBe(ORDER);
    expect(store.steps(ORDER)).toEqual(['reply']);
  });
});

describe("a unit system's reference that comes with a step the order refuses", () => {
  it('is not tied: the step and the reference are one write', async () => {
    store.put({ orderNo: 'GD20261207000002', status: 'closed', unitCode: 'water-group', dispatchSeq: 1 });
    const late = envelope('unit.returned', 'GD20261207000002', { unit: 'water-group', reason: '不属于本单位职责', returnedAt: NOW.toISOString(), ref: { system: 'water-cms', id: 'W-LATE' } }, 'water-group', { id: 'evt-late' });
    await expect(applyEvent(late, deps(), unitTopics('water-group').replied)).rejects.toBeDefined();
    expect(await store.findByExternal('water-cms', 'W-LATE')).toBeNull();
    expect(store.steps('GD20261207000002')).toEqual([]);
  });
});

describe("a unit system's photos (数字城管's 处置 and 结案)", () => {
  const links: Array<{ orderNo: string; url: string; unitCode?: string; replyId?: string; name: string }> = [];
  const attachments = { addLink: async (a: (typeof links)[number]) => void links.push(a) };
  const withPhotos = (id: string) =>
    envelope('unit.replied', ORDER, { unit: 'water-group', result: '已更换水表', handledBy: '李工', repliedAt: NOW.toISOString(), media: [{ url: 'http://cms.example/p/%E5%90%8E.jpg' }] }, 'water-group', { id });
  beforeEach(() => void links.splice(0));

  it('are kept as the unit\'s links with its reply, and again when the reply is read again (a crash between the two)', async () => {
    expect(await applyEvent(withPhotos('evt-photo'), { ...deps(), attachments }, unitTopics('water-group').replied)).toBe('accepted');
    expect(await applyEvent(withPhotos('evt-photo'), { ...deps(), attachments }, unitTopics('water-group').replied)).toBe('duplicate');
    expect(links).toEqual([
      { orderNo: ORDER, url: 'http://cms.example/p/%E5%90%8E.jpg', name: '后.jpg', unitCode: 'water-group', replyId: 'evt-photo', addedBy: 'unit:water-group' },
      { orderNo: ORDER, url: 'http://cms.example/p/%E5%90%8E.jpg', name: '后.jpg', unitCode: 'water-group', replyId: 'evt-photo', addedBy: 'unit:water-group' },
    ]);
  });

  it('are not kept with a step that is refused', async () => {
    const note = envelope('unit.progressed', 'GD20261207000009', { unit: 'water-group', note: '处置', at: NOW.toISOString(), media: [{ url: 'http://cms.example/p/1.jpg' }] }, 'water-group', { id: 'evt-none' });
    await expect(applyEvent(note, { ...deps(), attachments }, unitTopics('water-group').replied)).rejects.toBeDefined();
    expect(links).toEqual([]);
  });
});

describe('a unit\'s event an operator mended from a dead letter', () => {
  it('is the unit\'s step in the history, naming the operator who corrected it', async () => {
    expect(await applyEvent(replied('water-group', { system: 'water-cms', id: 'W-10' }), deps(), unitTopics('water-group').replied, 'cli:zhang@ops-1')).toBe('accepted');
    expect((await store.history(ORDER)).map((h) => [h.step, h.actor])).toEqual([['reply', 'unit:water-group（cli:zhang@ops-1 更正）']]);
  });

  it('is the unit\'s own step when nobody corrected it', async () => {
    await applyEvent(replied('water-group', { system: 'water-cms', id: 'W-11' }), deps(), unitTopics('water-group').replied);
    expect((await store.history(ORDER)).map((h) => h.actor)).toEqual(['unit:water-group']);
  });
});

describe('an emergency line\'s result (处警结果) on its events topic', () => {
  const HANDED = 'GD20261207000009';
  const result = (partner: string, id: string) => envelope('emergency.concluded', HANDED, { partner, incidentId: 'JJ119-7', result: '已关阀处置，无人员伤亡', concludedAt: '2026-12-07T03:00:00.000Z', by: '119指挥中心' }, 'emergency-linkage', { id });

  it('closes the loop in the history of the order handed to that line, once; the order stays transferred', async () => {
    store.put({ orderNo: HANDED, status: 'transferred', partnerCode: 'fire-119', unitCode: null });
    expect(await applyEvent(result('fire-119', 'r-1'), deps(), partnerTopics('fire-119').events)).toBe('accepted');
    expect(await applyEvent(result('fire-119', 'r-1'), deps(), partnerTopics('fire-119').events)).toBe('duplicate');
    expect((await store.history(HANDED)).map((h) => [h.step, h.actor, h.note])).toEqual([['partner-concluded', 'partner:fire-119', '消防119指挥中心反馈处置结果（接警编号 JJ119-7）：已关阀处置，无人员伤亡']]);
    expect(store.order(HANDED).status).toBe('transferred');
    expect(await store.findByExternal('fire-119', 'JJ119-7')).toBe(HANDED);
  });

  it('is refused from another line, or on another line\'s topic, before a write', async () => {
    store.put({ orderNo: HANDED, status: 'transferred', partnerCode: 'fire-119', unitCode: null });
    await expect(applyEvent(result('police-110', 'r-2'), deps(), partnerTopics('police-110').events)).rejects.toMatchObject({ code: 'NOT_YOUR_ORDER' });
    await expect(applyEvent(result('fire-119', 'r-3'), deps(), partnerTopics('police-110').events)).rejects.toMatchObject({ code: 'EVENT_MISPLACED' });
    expect(store.steps(HANDED)).toEqual([]);
  });
});
