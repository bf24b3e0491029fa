import { describe, expect, it } from 'vitest';
import {
  ACTING_STATUSES, canApply, correlationKeys, DONE_STATUSES, ENGINE_STATUSES, formatOrderNo, HELPING_STATUSES, isDone, OPEN_STATUSES, ORDER_STATUSES, OWING_STATUSES, phaseOf, STATUSES, TRANSITIONS,
  UNITS_INVOLVED_STATUSES, type OrderStatus, type Transition,
} from '../../domain/order.js';

const transitions = Object.entries(TRANSITIONS) as Array<[Transition, { from: readonly OrderStatus[]; to: OrderStatus }]>;

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

describe('phases: who moves an order on from each status', () => {
  it('gives every status a phase and a name of its own', () => {
    const names = ORDER_STATUSES.map((s) => STATUSES[s].zh);
    expect(new Set(names).size, `names: ${names.join(' ')}`).toBe(ORDER_STATUSES.length);
  });

  it.each([
    ['done: what an order does not leave', DONE_STATUSES, ['answered', 'closed', 'merged', 'transferred', 'cancelled']],
    ['owing: a unit owes the answer, chases apply and its deadline runs (a district whose street works on it too)', OWING_STATUSES, ['dispatched', 'acknowledged', 'extension_requested', 'sub_dispatched', 'sub_replied']],
    ['helping: helpers answer until the lead\'s reply has gone on', HELPING_STATUSES, ['dispatched', 'acknowledged', 'extension_requested', 'sub_dispatched', 'sub_replied', 'replied']],
    ['units involved: a cancellation tells them', UNITS_INVOLVED_STATUSES, ['dispatched', 'acknowledged', 'extension_requested', 'sub_dispatched', 'sub_replied', 'consulting', 'return_disputed', 'redoing']],
    ['engine: the process moves it on within seconds', ENGINE_STATUSES, ['accepted', 'assigned', 'referred', 'forwarded', 'coordinated', 'callback_done', 'redoing']],
    ['acting: a message delivered here starts a job at once', ACTING_STATUSES, ['accepted', 'assigned', 'referred', 'forwarded', 'coordinated', 'replied', 'callback_done', 'redoing']],
  ] as Array<[string, readonly OrderStatus[], OrderStatus[]]>)('derives %s', (_what, derived, expected) => {
    expect(derived).toEqual(expected);
  });

  it('lets a unit act (acknowledge, reply, return, ask for time, be on site, send it on) only where a unit owes the answer', () => {
    for (const t of ['acknowledge', 'reply', 'return', 'requestExtension', 'confirmOnSite', 'reportProgress', 'subDispatch', 'subReply'] as const) {
      for (const s of TRANSITIONS[t].from) expect(phaseOf(s), `${t} from ${s}`).toBe('unit');
    }
  });

  it('leaves a status that has ended only to close an order answered at once (当即答复: its process closes it), to reopen a closed one whose spot check failed and to split a merged call off (each a new instance)', () => {
    const leaving: Partial<Record<string, string[]>> = { close: ['answered'], reopen: ['closed'], split: ['merged'] };
    for (const [t, { from }] of transitions) expect(from.filter(isDone), t).toEqual(leaving[t] ?? []);
  });

  it('lets an operator cancel every open order and no ended one', () => {
    expect(ORDER_STATUSES.filter((s) => canApply('cancel', s))).toEqual(OPEN_STATUSES);
    expect(OPEN_STATUSES.some(isDone)).toBe(false);
  });

  it('has, from every open status, a way on other than cancelling', () => {
    for (const s of OPEN_STATUSES) {
      const ways = transitions.filter(([t, x]) => t !== 'cancel' && x.from.includes(s) && x.to !== s).map(([t]) => t);
      expect(ways, `from ${s}`).not.toEqual([]);
    }
  });

  it('reaches every status: from intake (accepted, or merged as a repeat call) or by a transition', () => {
    const reached = new Set<OrderStatus>(['accepted', 'merged', ...transitions.map(([, x]) => x.to)]);
    expect(ORDER_STATUSES.filter((s) => !reached.has(s))).toEqual([]);
  });

  it('does not know a made-up status, and calls it not done', () => {
    expect(isDone('finished')).toBe(false);
  });
});
