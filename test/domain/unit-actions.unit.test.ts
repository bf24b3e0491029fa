import { describe, expect, it } from 'vitest';
import { decideUnitAction, isRefusal, type PastStep, type UnitCommand, type UnitDecision, type UnitOrder } from '../../domain/unit-actions.js';

const now = new Date('2026-12-07T02:00:00Z'); // Monday 10:00 in China
const water = { unit: 'water-group', unitName: '水务集团' };
const held = (o: Partial<UnitOrder> = {}): UnitOrder => ({
  orderNo: 'GD20261207000001', status: 'dispatched', unitCode: 'water-group', handlingMode: 'phone-dispatch', dispatchSeq: 1,
  dueAt: new Date('2026-12-10T02:00:00Z'), acknowledgedAt: null, onSiteAt: null, ...o,
});
const decide = (o: UnitOrder, cmd: UnitCommand, history: PastStep[] = []) => decideUnitAction(o, water, cmd, { now, history });
const later = new Date('2026-12-14T02:00:00Z');

describe('what a unit may do with the order it holds (valid)', () => {
  it.each<[string, UnitOrder, UnitCommand, Partial<UnitDecision>]>([
    ['签收 a dispatched order: acknowledged now, the process told', held(), { kind: 'acknowledge' }, { transition: 'acknowledge', set: { acknowledgedAt: now }, engine: [{ send: 'acknowledge' }] }],
    ['退单 with a reason: counted, the process told, a dispatcher\'s task opened', held({ status: 'acknowledged' }), { kind: 'return', reason: '不属于本单位职责' }, { transition: 'return', increment: 'returnCount', engine: [{ send: 'return', reason: '不属于本单位职责' }] }],
    ['延期 before the deadline, for a later date: it also acknowledges an order not acknowledged yet', held(), { kind: 'requestExtension', dueAt: later, reason: '需协调施工队' }, { transition: 'requestExtension', increment: 'extensionCount', set: { acknowledgedAt: now }, engine: [{ send: 'extension-request' }] }],
    ['延期 of an acknowledged order keeps when it was acknowledged', held({ status: 'acknowledged', acknowledgedAt: new Date('2026-12-07T01:00:00Z') }), { kind: 'requestExtension', dueAt: later, reason: '需协调施工队' }, { set: {} }],
    ['到场 on an urgent dispatched order: on site and acknowledged at once', held({ handlingMode: 'urgent' }), { kind: 'confirmOnSite' }, { transition: 'confirmOnSite', set: { onSiteAt: now, acknowledgedAt: now }, engine: [{ send: 'on-site' }, { send: 'acknowledge', suffix: 'on-site' }] }],
    ['到场 on an urgent order acknowledged before: no second acknowledgement', held({ handlingMode: 'urgent', status: 'acknowledged', acknowledgedAt: now }), { kind: 'confirmOnSite' }, { engine: [{ send: 'on-site' }] }],
    ['进展 once on site', held({ handlingMode: 'urgent', status: 'acknowledged', onSiteAt: now }), { kind: 'reportProgress', note: '正在抢修', expectedAt: later }, { transition: 'reportProgress', engine: [{ send: 'progress' }] }],
  ])('%s', (_name, order, cmd, expected) => {
    const d = decide(order, cmd);
    expect(isRefusal(d), JSON.stringify(d)).toBe(false);
    expect(d).toMatchObject(expected);
  });

  it('records the return with the unit and the dispatch, in zh-CN; the model, not the return, opens the dispatcher\'s task', () => {
    const d = decide(held(), { kind: 'return', reason: '不属于本单位职责' }) as UnitDecision;
    expect(d.note).toContain('水务集团');
    expect(d.note).toContain('不属于本单位职责');
    expect(d.detail).toEqual({ unit: 'water-group', reason: '不属于本单位职责', dispatchSeq: 1 });
    expect(d.task).toBeUndefined();
  });

  it('gives the supervisor until the current deadline to decide an extension', () => {
    const d = decide(held(), { kind: 'requestExtension', dueAt: later, reason: '需协调施工队' }) as UnitDecision;
    expect(d.task).toMatchObject({ kind: 'extension-approval', role: 'supervisor', dueAt: held().dueAt });
    expect(d.detail).toMatchObject({ dueAt: later.toISOString(), currentDueAt: held().dueAt!.toISOString() });
  });

  it('marks an arrival after the 30 minutes as late, and still records it', () => {
    const d = decide(held({ handlingMode: 'urgent', dueAt: new Date(now.getTime() - 60_000) }), { kind: 'confirmOnSite' }) as UnitDecision;
    expect(d.detail).toMatchObject({ late: true });
  });
});

describe('what a unit may not do (invalid), and what it is told', () => {
  it.each<[string, UnitOrder, UnitCommand, PastStep[], string, RegExp]>([
    ['another unit\'s order', held({ unitCode: 'gas-group' }), { kind: 'acknowledge' }, [], 'NOT_YOUR_ORDER', /assigned to gas-group, not water-group/],
    ['an order no unit holds', held({ unitCode: null }), { kind: 'return', reason: 'x' }, [], 'NOT_YOUR_ORDER', /assigned to no unit/],
    ['anything while its extension request waits for the centre', held({ status: 'extension_requested' }), { kind: 'return', reason: 'x' }, [], 'EXTENSION_PENDING', /waits for the centre's decision/],
    ['签收 twice over a reply', held({ status: 'replied' }), { kind: 'acknowledge' }, [], 'NOT_AWAITING_REPLY', /is replied; a unit cannot acknowledge it now/],
    ['退单 once it has answered', held({ status: 'replied' }), { kind: 'return', reason: 'x' }, [], 'NOT_AWAITING_REPLY', /cannot return it/],
    ['退单 a second time', held(), { kind: 'return', reason: 'x' }, [{ step: 'return', detail: { unit: 'water-group', dispatchSeq: 1 } }], 'RETURN_ALREADY_USED', /only once/],
    ['延期 at or past the deadline', held({ dueAt: now }), { kind: 'requestExtension', dueAt: later, reason: 'x' }, [], 'EXTENSION_TOO_LATE', /before the deadline/],
    ['延期 of an order with no deadline', held({ dueAt: null }), { kind: 'requestExtension', dueAt: later, reason: 'x' }, [], 'EXTENSION_TOO_LATE', /no deadline/],
    ['延期 to a date not later than the deadline', held(), { kind: 'requestExtension', dueAt: held().dueAt!, reason: 'x' }, [], 'EXTENSION_NOT_LATER', /ask for a later date/],
    ['延期 twice on one dispatch', held(), { kind: 'requestExtension', dueAt: later, reason: 'x' }, [{ step: 'extension-request', detail: { unit: 'water-group', dispatchSeq: 1 } }], 'EXTENSION_ALREADY_REQUESTED', /once on this dispatch/],
    ['到场 on an order that is not urgent', held(), { kind: 'confirmOnSite' }, [], 'NOT_URGENT', /not urgent/],
    ['进展 on an order that is not urgent', held({ status: 'acknowledged' }), { kind: 'reportProgress', note: 'x' }, [], 'NOT_URGENT', /progress reports follow urgent orders/],
    ['进展 before being on site', held({ handlingMode: 'urgent', status: 'acknowledged' }), { kind: 'reportProgress', note: 'x' }, [], 'NOT_ON_SITE', /confirm you are on site first/],
  ])('refuses %s', (_name, order, cmd, history, code, why) => {
    const d = decide(order, cmd, history);
    expect(isRefusal(d) ? d.refused : 'decided').toBe(code);
    expect(isRefusal(d) ? d.reason : '').toMatch(why);
  });

  it('lets a unit ask for an extension again on the next dispatch (a redo)', () => {
    const d = decide(held({ dispatchSeq: 2 }), { kind: 'requestExtension', dueAt: later, reason: 'x' }, [{ step: 'extension-request', detail: { unit: 'water-group', dispatchSeq: 1 } }]);
    expect(isRefusal(d)).toBe(false);
  });

  it('lets another unit return an order the first one returned (after 改派)', () => {
    const d = decideUnitAction(held({ unitCode: 'gas-group' }), { unit: 'gas-group', unitName: '燃气集团' }, { kind: 'return', reason: 'x' }, { now, history: [{ step: 'return', detail: { unit: 'water-group' } }] });
    expect(isRefusal(d)).toBe(false);
  });
});
