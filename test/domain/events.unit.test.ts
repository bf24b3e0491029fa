import { describe, expect, it } from 'vitest';
import { envelope, EventParseError, parseEnvelope } from '../../domain/events.js';

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
    ['a payload missing its result', JSON.stringify({ ...envelope('unit.replied', 'GD20261125000001', reply, 't'), payload: { ...reply, result: '' } }), /bad unit.replied payload/],
  ])('rejects %s with a reason', (_what, raw, reason) => {
    expect(() => parseEnvelope(raw)).toThrow(EventParseError);
    expect(() => parseEnvelope(raw)).toThrow(reason);
  });
});
