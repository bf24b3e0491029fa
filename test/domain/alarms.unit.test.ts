import { describe, expect, it } from 'vitest';
import { decideAlarm, type AlarmKind, type AlarmOrder } from '../../domain/alarms.js';
import { OWING_STATUSES, STATUSES, type OrderStatus } from '../../domain/order.js';

const gas = { code: 'gas-group', name: '市燃气集团' };
const at = new Date('2026-12-08T02:00:00Z');
const held = (o: Partial<AlarmOrder> = {}): AlarmOrder => ({
  orderNo: 'GD20261207000001', status: 'dispatched', dispatchSeq: 2, unitCode: 'gas-group', dueAt: new Date('2026-12-10T16:00:00Z'), acknowledgedAt: null, onSiteAt: null, ...o,
});
const KINDS: AlarmKind[] = ['chase-acknowledge', 'remind', 'chase', 'supervise', 'on-site-overdue', 'chase-progress'];

describe('an alarm about a unit that owes the order something', () => {
  it.each<[AlarmKind, boolean, boolean, RegExp]>([
    ['chase-acknowledge', true, false, /^催签收：市燃气集团未在/],
    ['remind', false, false, /市燃气集团/],
    ['chase', true, false, /市燃气集团/],
    ['supervise', true, true, /市燃气集团/],
    ['on-site-overdue', true, true, /市燃气集团/],
    ['chase-progress', true, false, /市燃气集团/],
  ])('%s: counted %s, supervision %s, recorded in zh-CN', (kind, counted, supervision, note) => {
    const d = decideAlarm(held(), gas, { kind, dispatchSeq: 2, at });
    expect(d).toMatchObject({ step: kind, counted, supervision, mailTo: supervision ? ['unit', 'leader'] : ['unit'], detail: { unit: 'gas-group', dispatchSeq: 2, at: at.toISOString(), counted } });
    expect(d!.note).toMatch(note);
  });

  it.each(Object.keys(STATUSES).filter((s) => !OWING_STATUSES.includes(s as OrderStatus)) as OrderStatus[])('records nothing once the order is %s (the unit owes nothing)', (status) => {
    for (const kind of KINDS) expect(decideAlarm(held({ status }), gas, { kind, dispatchSeq: 2, at }), kind).toBeNull();
  });

  it.each(OWING_STATUSES)('raises the chase on an order that is %s', (status) => {
    expect(decideAlarm(held({ status }), gas, { kind: 'chase', dispatchSeq: 2, at })).not.toBeNull();
  });

  it('records nothing for an earlier dispatch: the order went to another unit or round since the timer was set', () => {
    for (const kind of KINDS) expect(decideAlarm(held({ dispatchSeq: 3 }), gas, { kind, dispatchSeq: 2, at }), kind).toBeNull();
  });

  it('does not chase an acknowledgement already given, nor supervise an arrival already made; other alarms still hold', () => {
    const acknowledged = held({ status: 'acknowledged', acknowledgedAt: at });
    expect(decideAlarm(acknowledged, gas, { kind: 'chase-acknowledge', dispatchSeq: 2, at })).toBeNull();
    expect(decideAlarm(acknowledged, gas, { kind: 'chase', dispatchSeq: 2, at })).not.toBeNull();
    const onSite = held({ status: 'acknowledged', acknowledgedAt: at, onSiteAt: at });
    expect(decideAlarm(onSite, gas, { kind: 'on-site-overdue', dispatchSeq: 2, at })).toBeNull();
    expect(decideAlarm(onSite, gas, { kind: 'chase-progress', dispatchSeq: 2, at })).not.toBeNull();
  });
});
