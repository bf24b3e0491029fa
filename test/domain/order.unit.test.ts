import { describe, expect, it } from 'vitest';
import { canApply, correlationKeys, formatOrderNo, ORDER_STATUSES, TRANSITIONS } from '../../domain/order.js';

describe('order statuses and transitions', () => {
  it('lets a reply in only while the order waits for one', () => {
    expect(ORDER_STATUSES.filter((s) => canApply('reply', s))).toEqual(['dispatched']);
  });

  it('takes one callback per round: after it the order is no longer awaiting one', () => {
    expect(canApply('callback', 'awaiting_callback')).toBe(true);
    expect(canApply('callback', TRANSITIONS.callback.to)).toBe(false);
  });

  it('closes only an answered order or one whose callback was recorded', () => {
    expect(ORDER_STATUSES.filter((s) => canApply('close', s))).toEqual(['answered', 'callback_done']);
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

  it('keys replies and callbacks by correlation id and round, never by the order number', () => {
    const id = '3f1c0c1e-0000-4000-8000-000000000001';
    expect(correlationKeys.reply(id, 0)).not.toBe(correlationKeys.reply(id, 1));
    expect(correlationKeys.callback(id, 0)).not.toBe(correlationKeys.reply(id, 0));
    expect(correlationKeys.start(id)).toBe(id);
  });
});
