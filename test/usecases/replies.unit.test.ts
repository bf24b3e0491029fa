/**
 * A unit's answers through the use cases (submit-reply, co-handling, three-levels, unit-actions)
 * on the order store in memory: who may answer, what one answer writes in one go, and that a
 * repeat, a refusal or a race writes nothing twice. The rules themselves are the core's
 * (test/domain/unit-actions.unit.test.ts); the full path on both engines is test/workers/*.int.
 */
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../domain/catalog.js';
import { submitReply } from '../../usecases/submit-reply.js';
import { acknowledgeOrder, recordUnitNote, requestExtension, returnOrder, UnitActionRefused, type UnitReply } from '../../usecases/unit-actions.js';
import { subDispatch } from '../../usecases/three-levels.js';
import { MemoryOrderStore } from '../support/memory-store.js';

const catalog = loadCatalog(path.resolve(import.meta.dirname, '../../config/catalog.json'));
const NOW = new Date('2026-12-07T02:00:00Z');
const DUE = new Date('2026-12-16T10:00:00Z');
const ORDER = 'GD20261207000001';

let store: MemoryOrderStore;
const deps = () => ({ store, catalog, now: () => NOW });
const reply = (unit: string, id: string, unitName = unit): UnitReply => ({ id, unit, unitName, result: '已修复', handledBy: '李工', repliedAt: NOW.toISOString() });
const as = (unit: string, id: string) => ({ id, unit, unitName: unit, actor: `unit:${unit}` });

beforeEach(() => {
  store = new MemoryOrderStore(() => NOW);
});

describe('反馈: the lead unit\'s reply', () => {
  beforeEach(() => store.put({ orderNo: ORDER, status: 'acknowledged', unitCode: 'water-group', dispatchSeq: 2, dueAt: DUE }));

  it('moves the order to replied and hands the reply to the process, keyed to this dispatch, in one write', async () => {
    expect(await submitReply(deps(), ORDER, reply('water-group', 'r1'), 'unit:water-group')).toBe('accepted');
    expect(store.order(ORDER)).toMatchObject({ status: 'replied', repliedAt: NOW });
    expect(store.steps(ORDER)).toEqual(['reply']);
    const [m] = store.messages(ORDER);
    expect(m).toMatchObject({ channel: 'engine', payload: { messageId: 'reply:r1', correlationKey: expect.stringContaining(':2') as string, variables: { reply: { result: '已修复', round: 1 } } } });
  });

  it('answers a repeat of the same reply as the first, and a repeat by message id too, writing nothing again', async () => {
    const inbox = { messageId: 'evt-1', source: 'kafka' };
    await submitReply(deps(), ORDER, reply('water-group', 'r1'), 'unit:water-group', inbox);
    expect(await submitReply(deps(), ORDER, reply('water-group', 'r1'), 'unit:water-group')).toBe('duplicate');
    expect(await submitReply(deps(), ORDER, reply('water-group', 'r2'), 'unit:water-group', inbox)).toBe('duplicate');
    expect(store.steps(ORDER)).toEqual(['reply']);
    expect(store.messages(ORDER)).toHaveLength(1);
  });

  it('refuses another unit, and a second reply with a new id, and writes nothing', async () => {
    await expect(submitReply(deps(), ORDER, reply('gas-group', 'x1'), 'unit:gas-group')).rejects.toMatchObject({ code: 'NOT_YOUR_ORDER' });
    await submitReply(deps(), ORDER, reply('water-group', 'r1'), 'unit:water-group');
    await expect(submitReply(deps(), ORDER, reply('water-group', 'r2'), 'unit:water-group')).rejects.toBeInstanceOf(UnitActionRefused);
    expect(store.steps(ORDER)).toEqual(['reply']);
  });

  it('takes one of two different replies sent at once; the other is refused, not applied twice', async () => {
    const out = await Promise.allSettled([submitReply(deps(), ORDER, reply('water-group', 'a'), 'u'), submitReply(deps(), ORDER, reply('water-group', 'b'), 'u')]);
    expect(out.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(store.steps(ORDER)).toEqual(['reply']);
    expect(store.messages(ORDER)).toHaveLength(1);
  });
});

describe('协办: a helper\'s part goes to the co-handling wait, not in place of the lead\'s reply', () => {
  beforeEach(() => store.put({ orderNo: ORDER, status: 'acknowledged', unitCode: 'water-group', helperUnits: 'gas-group,heating-group', dispatchSeq: 1, dueAt: DUE }));

  it('records the helper\'s part and tells the process; the order stays with the lead', async () => {
    expect(await submitReply(deps(), ORDER, reply('gas-group', 'h1'), 'unit:gas-group')).toBe('accepted');
    expect(store.order(ORDER).status).toBe('acknowledged');
    expect(store.steps(ORDER)).toEqual(['helper-reply']);
    expect(store.messages(ORDER)[0]).toMatchObject({ channel: 'engine', payload: { messageId: expect.stringContaining('h1') as string } });
  });

  it('takes a helper\'s part once per dispatch: a second part with a new id is refused', async () => {
    await submitReply(deps(), ORDER, reply('gas-group', 'h1'), 'u');
    await expect(submitReply(deps(), ORDER, reply('gas-group', 'h2'), 'u')).rejects.toMatchObject({ code: 'HELPER_ANSWERED' });
    expect(await submitReply(deps(), ORDER, reply('gas-group', 'h1'), 'u')).toBe('duplicate');
  });

  it('refuses a helper once its time ran out, and once the order has left the units and review', async () => {
    await store.applyStep(ORDER, { step: 'helper-timeout', actor: 'hub', note: '', detail: { unit: 'heating-group', dispatchSeq: 1 } });
    await expect(submitReply(deps(), ORDER, reply('heating-group', 'h3'), 'u')).rejects.toMatchObject({ code: 'HELPER_TIMED_OUT' });
    await store.applyStep(ORDER, { step: 'reply', actor: 'u', note: '' }, { status: 'awaiting_callback' });
    await expect(submitReply(deps(), ORDER, reply('gas-group', 'h4'), 'u')).rejects.toMatchObject({ code: 'NOT_AWAITING_REPLY' });
  });
});

describe('三级: a district sends it on to its street, and the street answers the district', () => {
  beforeEach(() => store.put({ orderNo: ORDER, status: 'dispatched', unitCode: 'heping-gov', dispatchSeq: 1, dueAt: DUE, district: 'heping' }));

  it('下派 to its own street acknowledges it, tells the process and mails the street, in one write', async () => {
    expect(await subDispatch(deps(), ORDER, as('heping-gov', 's1'), { unit: 'heping-nanshi', instructions: '请现场核查' })).toBe('accepted');
    expect(store.order(ORDER)).toMatchObject({ status: 'sub_dispatched', subUnitCode: 'heping-nanshi', acknowledgedAt: NOW });
    expect(store.messages(ORDER).map((m) => m.channel).sort()).toEqual(['email', 'engine', 'engine']);
  });

  it('refuses another district\'s street, a date past its own deadline, and a street the order complains about', async () => {
    await expect(subDispatch(deps(), ORDER, as('heping-gov', 's1'), { unit: 'hexi-youyi', instructions: '' })).rejects.toMatchObject({ code: 'NOT_YOUR_STREET' });
    await expect(subDispatch(deps(), ORDER, as('heping-gov', 's2'), { unit: 'heping-nanshi', dueAt: new Date(DUE.getTime() + 1), instructions: '' })).rejects.toMatchObject({ code: 'SUB_DUE_NOT_WITHIN' });
    store.state.orders[0]!.complainedUnit = 'heping-nanshi';
    await expect(subDispatch(deps(), ORDER, as('heping-gov', 's3'), { unit: 'heping-nanshi', instructions: '' })).rejects.toMatchObject({ code: 'CONFLICT_OF_INTEREST' });
    expect(store.steps(ORDER)).toEqual([]);
  });

  it('the street\'s reply goes to the district\'s review list, not to the centre; a second one waits for that review', async () => {
    await subDispatch(deps(), ORDER, as('heping-gov', 's1'), { unit: 'heping-nanshi', instructions: '' });
    expect(await submitReply(deps(), ORDER, reply('heping-nanshi', 'st1'), 'unit:heping-nanshi')).toBe('accepted');
    expect(store.order(ORDER).status).toBe('sub_replied');
    expect(await store.tasks({ unit: 'heping-gov', kind: 'street-review', limit: 10 })).toEqual([expect.objectContaining({ status: 'open', dueAt: DUE })]);
    await expect(submitReply(deps(), ORDER, reply('heping-nanshi', 'st2'), 'u')).rejects.toMatchObject({ code: 'NOT_AWAITING_REPLY' });
  });
});

describe('签收, 退单, 延期 and the unit\'s own notes', () => {
  beforeEach(() => store.put({ orderNo: ORDER, status: 'dispatched', unitCode: 'water-group', dispatchSeq: 1, dueAt: DUE }));

  it('签收 once: acknowledging again is a duplicate, whatever its id', async () => {
    expect(await acknowledgeOrder(deps(), ORDER, as('water-group', 'a1'))).toBe('accepted');
    expect(await acknowledgeOrder(deps(), ORDER, as('water-group', 'a2'))).toBe('duplicate');
    expect(store.order(ORDER)).toMatchObject({ status: 'acknowledged', acknowledgedAt: NOW });
    expect(store.messages(ORDER)).toHaveLength(1);
  });

  it('退单 returns the order to the centre (the model opens the dispatcher\'s task unless it is a hard case); the same unit cannot return it twice', async () => {
    expect(await returnOrder(deps(), ORDER, as('water-group', 'ret1'), '不属于本单位职责')).toBe('accepted');
    expect(store.order(ORDER)).toMatchObject({ status: 'returned', returnCount: 1 });
    expect(store.messages(ORDER).at(-1)).toMatchObject({ channel: 'engine', payload: { variables: expect.objectContaining({ returnCount: 1, flagged: false }) } });
    expect(await store.tasks({ status: 'open', limit: 10 })).toEqual([]);
    // Dispatched to it again, it may not hand it back a second time.
    await store.applyStep(ORDER, { step: 'dispatch', actor: 'hub', note: '' }, { status: 'dispatched', increment: 'dispatchSeq' });
    await expect(returnOrder(deps(), ORDER, as('water-group', 'ret2'), '还是不归我们')).rejects.toMatchObject({ code: 'RETURN_ALREADY_USED' });
  });

  it('延期 asks a supervisor (a task) and the order waits in extension_requested; a date before the deadline is refused', async () => {
    await expect(requestExtension(deps(), ORDER, as('water-group', 'e0'), { dueAt: new Date(DUE.getTime() - 3600_000), reason: '材料未到' })).rejects.toBeInstanceOf(UnitActionRefused);
    expect(await requestExtension(deps(), ORDER, as('water-group', 'e1'), { dueAt: new Date(DUE.getTime() + 5 * 86_400_000), reason: '需要采购配件' })).toBe('accepted');
    expect(store.order(ORDER).status).toBe('extension_requested');
    expect(await store.tasks({ kind: 'extension-approval', limit: 10 })).toHaveLength(1);
  });

  it('a unit\'s own note moves nothing, and only the unit holding the order writes one', async () => {
    expect(await recordUnitNote(deps(), ORDER, as('water-group', 'n1'), '已派维修班组')).toBe('accepted');
    expect(store.order(ORDER).status).toBe('dispatched');
    await expect(recordUnitNote(deps(), ORDER, as('gas-group', 'n2'), '...')).rejects.toMatchObject({ code: 'NOT_YOUR_ORDER' });
    expect(store.steps(ORDER)).toEqual(['unit-note']);
  });
});
