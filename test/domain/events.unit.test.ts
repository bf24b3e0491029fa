import { describe, expect, it } from 'vitest';
import { envelope, EventParseError, messageKeyOf, parseEnvelope } from '../../domain/events.js';

const reply = { unit: 'water-group', result: '已抢修恢复供水', handledBy: '王工', repliedAt: '2026-11-25T10:00:00+08:00' };

describe('canonical events', () => {
  it('round-trips an envelope through JSON', () => {
    const e = envelope('unit.replied', 'GD20261125000001', reply, 'test');
    expect(parseEnvelope(JSON.stringify(e))).toEqual(e);
    expect(e.version).toBe(1);
  });

  it.each([
    ['an empty message', null, /empty message/],
    ['text that is not JSON', '{"id": ', /not JSON/],
    ['an unknown event type', JSON.stringify({ ...envelope('unit.replied', 'GD20261125000001', reply, 't'), type: 'order.eaten' }), /bad envelope/],
    ['a malformed order number', JSON.stringify({ ...envelope('unit.replied', 'GD20261125000001', reply, 't'), orderNo: 'x1' }), /order number/],
    ['a version not spoken here', JSON.stringify({ ...envelope('unit.replied', 'GD20261125000001', reply, 't'), version: 2 }), /version 2/],
    ['an order event without an order number', JSON.stringify({ ...envelope('unit.replied', 'GD20261125000001', reply, 't'), orderNo: null }), /order number is required/],
    ['a payload missing its result', JSON.stringify({ ...envelope('unit.replied', 'GD20261125000001', reply, 't'), payload: { ...reply, result: '' } }), /bad unit.replied payload/],
  ])('rejects %s with a reason', (_what, raw, reason) => {
    expect(() => parseEnvelope(raw)).toThrow(EventParseError);
    expect(() => parseEnvelope(raw)).toThrow(reason);
  });

  it('takes a transfer from an emergency line without an order number (there is none yet), keyed by the line and its incident', () => {
    const t = envelope('partner.transferred', null, { partner: 'police-110', incidentId: 'JJ110202611260001', item: '110-01-01', title: '楼上噪声', description: '楼上深夜装修噪声扰民', address: '南开区鞍山西道100号', caller: { phone: '13612345678' }, transferredAt: '2026-11-26T02:00:00.000Z' }, 'emergency-linkage');
    const parsed = parseEnvelope(JSON.stringify(t));
    expect(parsed.orderNo).toBeNull();
    expect(messageKeyOf(parsed)).toBe('police-110:JJ110202611260001');
    const answered = envelope('partner.transfer-answered', 'GD20261126000001', { partner: 'police-110', incidentId: 'JJ110202611260001', accepted: true }, 'hub');
    expect(messageKeyOf(answered)).toBe('GD20261126000001');
  });
});
