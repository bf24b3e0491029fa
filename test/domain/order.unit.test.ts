import { describe, expect, it } from 'vitest';
import { canApply, correlationKeys, formatOrderNo, ORDER_STATUSES, TRANSITIONS } from '../../domain/order.js';

describe('order statuses and transitions', () => {
  it('lets a reply, a return or an extension request in only while the unit holds the order, and none while an extension is being decided', () => {
    for (const t of ['return', 'requestExtension'] as const) expect(ORDER_STATUSES.filter((s) => canApply(t, s)), t).toEqual(['dispatched', 'acknowledged']);
    // A district may still answer itself while its street works on it (三级), not while it reviews the street's answer.
    expect(ORDER_STATUSES.filter((s) => canApply('reply', s))).toEqual(['dispatched', 'acknowledged', 'sub_dispatched']);
  });

  it('三级: a street answers only while it has the order; its district reviews each answer before one goes up', () => {
    expect(ORDER_STATUSES.filter((s) => canApply('subDispatch', s))).toEqual(['dispatched', 'acknowledged']);
    expect(ORDER_STATUSES.filter((s) => canApply('subReply', s))).toEqual(['sub_dispatched']);
    expect(ORDER_STATUSES.filter((s) => canApply('reportUp', s))).toEqual(['sub_replied']);
    expect(ORDER_STATUSES.filter((s) => canApply('returnToStreet', s))).toEqual(['sub_replied']);
  });

  it('sends a returned order on only by a dispatcher\'s decision or a supervisor\'s review', () => {
    expect(ORDER_STATUSES.filter((s) => canApply('dispatch', s))).not.toContain('returned');
    expect(canApply('redispatch', 'returned')).toBe(true);
    expect(canApply('reviewReturn', 'return_disputed')).toBe(true);
    expect(canApply('redispatch', 'return_disputed'), 'a disputed return waits for the review').toBe(false);
  });

  it('takes one callback per round: after it the order is no longer awaiting one', () => {
    expect(canApply('callback', 'awaiting_callback')).toBe(true);
    expect(canApply('callback', TRANSITIONS.callback.to)).toBe(false);
  });

  it('closes only an order answered, referred, forwarded or coordinated, or one whose callback was recorded', () => {
    expect(ORDER_STATUSES.filter((s) => canApply('close', s))).toEqual(['answered', 'referred', 'forwarded', 'coordinated', 'callback_done']);
  });

  it('names only known statuses', () => {
    for (const t of Object.values(TRANSITIONS)) {
      for (const s of [...t.from, t.to]) expect(ORDER_STATUSES).toContain(s);
    }
  });
});

describe('order numbers and correlation keys', () => {
  it('dates the order number in China: 16:30 UTC is already the next day', () => {
    expect(formatOrderNo(new Date('2026-11-25T16:30:00Z'), 42)).toBe('GD20261126000042');
    expect(formatOrderNo(new Date('2026-11-25T15:59:59Z'), 1234567)).toBe('GD20261125234567');
  });

  it('keys a unit\'s messages by correlation id and dispatch, callbacks by round, never by the order number', () => {
    const id = '3f1c0c1e-0000-4000-8000-000000000001';
    expect(correlationKeys.unit(id, 1)).not.toBe(correlationKeys.unit(id, 2));
    const keys = [correlationKeys.unit(id, 1), correlationKeys.acknowledge(id, 1), correlationKeys.extension(id, 1), correlationKeys.redispatch(id, 1), correlationKeys.returnReview(id, 1), correlationKeys.callback(id, 1), correlationKeys.assign(id)];
    expect(new Set(keys).size, 'every wait has a key of its own').toBe(keys.length);
    expect(correlationKeys.start(id)).toBe(id);
  });
});
