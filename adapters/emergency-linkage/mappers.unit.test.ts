/** The emergency linkage mappers, table-tested on the platform's messages, the ugly ones included. */
import { describe, expect, it } from 'vitest';
import { envelope, parseEnvelope } from '../../domain/events.js';
import { MappingError } from '../kit/types.js';
import { fromEvent, toCall } from './mappers.js';
import type { LinkageEvent } from './protocol.js';
import { settingsSchema } from './settings.js';

const s = settingsSchema.parse({ URL: 'http://127.0.0.1:9', CALLBACK_PORT: '9', CALLBACK_TOKEN: 't'.repeat(16) });
const receivedAt = new Date('2026-11-26T13:00:00Z');
const msg = (e: Partial<LinkageEvent> | string) => ({ body: Buffer.from(typeof e === 'string' ? e : JSON.stringify(e), 'utf8'), receivedAt });
const transfer: LinkageEvent = {
  eventId: 'T0001', type: 'transfer', line: '110', incidentId: 'JJ11020261126000123', item: '110-01-01', itemName: '生活噪声扰民', title: '楼上装修噪声',
  content: '楼上住户深夜装修，噪声扰民，非治安纠纷', location: '南开区鞍山西道100号3门', district: '南开区', callerName: '李女士', callerNumber: '13612345678', operator: '110接警员王', time: '2026-11-26 21:05:00',
};

describe('emergency linkage: what the hub sends the platform', () => {
  const handover = envelope('emergency.handover', 'GD20261126000001', {
    partner: 'medical-120', partnerName: '急救120', kind: 'medical', category: 'other', summary: '老人晕倒', location: '南开区鞍山西道100号', district: 'nankai', callbackNumber: '13612345678', attempt: 2, ackBy: '2026-11-26T13:00:30.000Z',
  }, 'hub');

  it('sends a hand-over to its line by number, the event id as the hand-over id (a repeat is the same hand-over)', () => {
    expect(toCall(handover, s)).toEqual({ kind: 'call', idempotent: true, call: { to: 'handovers', body: expect.objectContaining({ handoverId: handover.id, line: '120', caseNo: 'GD20261126000001', callbackNumber: '13612345678', attempt: 2 }) } });
  });

  it.each([
    ['an accepted transfer, with the 12345 order number', 'GD20261126000002', { accepted: true, reason: '移交清单事项 110-01-01' }, { accepted: true, caseNo: 'GD20261126000002', reason: '移交清单事项 110-01-01' }],
    ['a declined transfer, with no order and the reason', null, { accepted: false, reason: '不在移交清单，请经三方通话确认后再转' }, { accepted: false, caseNo: null, reason: '不在移交清单，请经三方通话确认后再转' }],
  ])('answers %s', (_what, orderNo, answer, body) => {
    const e = envelope('partner.transfer-answered', orderNo, { partner: 'police-110', incidentId: 'JJ1', ...answer }, 'hub');
    expect(toCall(e, s)).toEqual({ kind: 'call', idempotent: true, call: { to: 'transferAnswers', body: { answerId: e.id, line: '110', incidentId: 'JJ1', ...body } } });
  });

  it('refuses a line the platform does not reach, and skips events not for it', () => {
    expect(() => toCall(envelope('partner.transfer-answered', null, { partner: 'water-96655', incidentId: 'X', accepted: false }, 'hub'), s)).toThrow(MappingError);
    expect(toCall(envelope('unit.acknowledged', 'GD20261126000001', { unit: 'x', acknowledgedAt: '2026-11-26T13:00:00.000Z' }, 'hub'), s).kind).toBe('skip');
  });
});

describe('emergency linkage: what the platform sends the hub', () => {
  it('makes a transfer a partner.transferred event with no order yet, its time read as China time', () => {
    const [e] = fromEvent(msg(transfer), s);
    expect(parseEnvelope(JSON.stringify(e))).toEqual(e);
    expect(e).toMatchObject({ type: 'partner.transferred', orderNo: null, occurredAt: '2026-11-26T13:05:00.000Z' });
    expect(e!.payload).toEqual({
      partner: 'police-110', incidentId: 'JJ11020261126000123', item: '110-01-01', itemName: '生活噪声扰民', title: '楼上装修噪声', description: '楼上住户深夜装修，噪声扰民，非治安纠纷',
      address: '南开区鞍山西道100号3门', district: '南开区', caller: { name: '李女士', phone: '13612345678' }, transferredAt: '2026-11-26T13:05:00.000Z', by: '110接警员王',
    });
  });

  it('gives a transfer sent again (a new platform event, the same incident) the same event id', () => {
    const [a] = fromEvent(msg(transfer), s);
    const [b] = fromEvent(msg({ ...transfer, eventId: 'T0002', time: '2026-11-26 21:06:00' }), s);
    expect(b!.id).toBe(a!.id);
  });

  it.each([
    ['12345', 'hotline-takes'],
    ['first', 'partner-keeps'],
  ])('carries the three-way call\'s outcome "%s" as %s', (call, outcome) => {
    expect(fromEvent(msg({ ...transfer, threeWayCall: call }), s)[0]!.payload).toMatchObject({ threeWayCall: outcome });
  });

  it('takes a transfer with no title (its content is the title), no district and no caller name', () => {
    const { title: _t, district: _d, callerName: _c, ...bare } = transfer;
    expect(fromEvent(msg(bare), s)[0]!.payload).toMatchObject({ title: transfer.content, caller: { phone: '13612345678' } });
  });

  it.each([
    ['not JSON', '<xml/>', /not JSON/],
    ['no eventId', { ...transfer, eventId: '' }, /without eventId/],
    ['an unknown type', { ...transfer, type: 'cancel' }, /not taken here/],
    ['a line not reached through the platform', { ...transfer, line: '999' }, /line 999/],
    ['a transfer without its incident id', { ...transfer, incidentId: undefined }, /incidentId/],
    ['a transfer without its list item', { ...transfer, item: ' ' }, /item/],
    ['a transfer without the caller\'s number', { ...transfer, callerNumber: undefined }, /callerNumber/],
    ['an unknown three-way call outcome', { ...transfer, threeWayCall: 'maybe' }, /threeWayCall/],
    ['an acknowledgement without the hub\'s order number', { eventId: 'E1', type: 'ack', line: '120', incidentId: 'JJ1' }, /caseNo/],
  ])('refuses %s, saying why', (_what, e, reason) => {
    expect(() => fromEvent(msg(e as LinkageEvent), s)).toThrow(MappingError);
    expect(() => fromEvent(msg(e as LinkageEvent), s)).toThrow(reason);
  });

  it('makes an acknowledgement emergency.acknowledged, its id from the platform\'s event id', () => {
    const ack = { eventId: 'E9', type: 'ack', line: '120', caseNo: 'GD20261126000001', incidentId: 'JJ120X', operator: '120调度员', time: '2026-11-26T13:00:05Z' };
    const [a] = fromEvent(msg(ack), s);
    expect(a).toMatchObject({ type: 'emergency.acknowledged', orderNo: 'GD20261126000001', payload: { partner: 'medical-120', incidentId: 'JJ120X', acknowledgedAt: '2026-11-26T13:00:05.000Z' } });
    expect(fromEvent(msg(ack), s)[0]!.id).toBe(a!.id);
  });

  it('makes a line\'s result emergency.concluded (China local time read as such), and refuses one that says nothing', () => {
    const result = { eventId: 'R3', type: 'result', line: '119', caseNo: 'GD20261126000001', incidentId: 'JJ119X', result: '燃气泄漏已关阀处置，无人员伤亡', operator: '119指挥中心', time: '2026-11-26 21:40:00' };
    const [c] = fromEvent(msg(result), s);
    expect(c).toMatchObject({ type: 'emergency.concluded', orderNo: 'GD20261126000001', payload: { partner: 'fire-119', incidentId: 'JJ119X', result: '燃气泄漏已关阀处置，无人员伤亡', concludedAt: '2026-11-26T13:40:00.000Z', by: '119指挥中心' } });
    expect(parseEnvelope(JSON.stringify(c))).toMatchObject({ type: 'emergency.concluded' });
    expect(() => fromEvent(msg({ ...result, result: ' ' }), s)).toThrow(/result/);
    expect(() => fromEvent(msg({ ...result, incidentId: undefined }), s)).toThrow(/incidentId/);
  });
});

describe('emergency linkage: how 12345 ended a transfer', () => {
  it('reports a closed transfer to its line with the unit\'s answer, the event id as the result id', () => {
    const e = envelope('partner.transfer-concluded', 'GD20261126000002', { partner: 'police-110', incidentId: 'JJ1', outcome: 'closed', result: '已责令停止夜间施工', unitName: '南开区人民政府', satisfaction: 'satisfied', concludedAt: '2026-11-28T02:00:00.000Z' }, 'hub');
    expect(toCall(e, s)).toEqual({ kind: 'call', idempotent: true, call: { to: 'transferResults', body: { resultId: e.id, line: '110', incidentId: 'JJ1', caseNo: 'GD20261126000002', outcome: 'closed', result: '已责令停止夜间施工', unitName: '南开区人民政府', satisfaction: 'satisfied', time: '2026-11-28T02:00:00.000Z' } } });
  });

  it('refuses a line this platform does not reach', () => {
    const e = envelope('partner.transfer-concluded', 'GD20261126000002', { partner: 'police-999', incidentId: 'JJ1', outcome: 'cancelled', result: '重复受理', unitName: null, satisfaction: null, concludedAt: '2026-11-28T02:00:00.000Z' }, 'hub');
    expect(() => toCall(e, s)).toThrow(MappingError);
  });
});
