/**
 * 提醒/催办/督办: the hub's alarms about a unit that has not acknowledged or answered in time. Each
 * is recorded in the order's history (全程留痕) and mailed to the unit, supervision also to the
 * centre's duty leader; chases and supervision count against the unit (chase_count). The rule is
 * domain/alarms.ts, decided on the locked order (OrderStore.commit): an alarm the unit has
 * overtaken (it answered, or acknowledged, meanwhile) records nothing at all. The timer instant is
 * part of the step's key, so a timer that fires again after its wait was re-entered (a rejected
 * extension) records nothing twice.
 */
import { decideAlarm, overtaken, type Alarm, type AlarmKind } from '../domain/alarms.js';
import { findUnit, type Catalog } from '../domain/catalog.js';
import { alarmMail, chinaTime } from '../domain/text.js';
import type { DutyRota, OrderStore } from './ports.js';
import { dutyLeaderEmail } from './duty.js';
import { titleForUnit } from '../domain/masking.js';

export type { AlarmKind };

export async function raiseAlarm(
  d: { store: OrderStore; catalog: Catalog; now: () => Date; rota?: DutyRota },
  a: Alarm & { orderNo: string },
): Promise<'raised' | 'overtaken' | 'duplicate'> {
  const dedupKey = `${a.kind}:${a.orderNo}:${a.dispatchSeq}:${a.at.toISOString()}`;
  const leader = await dutyLeaderEmail(d, d.now());
  const outcome = await d.store.commit(a.orderNo, dedupKey, (order) => {
    const held = { ...order, orderNo: a.orderNo };
    if (overtaken(held, a)) return null;
    const unit = order.unitCode ? findUnit(d.catalog, order.unitCode) : undefined;
    if (!unit) throw new Error(`order ${a.orderNo}: unit "${order.unitCode}" is not in config/catalog.json`);
    const decision = decideAlarm(held, unit, a)!; // not overtaken: checked above
    const due = order.dueAt ? chinaTime(order.dueAt) : '';
    return {
      entry: { step: decision.step, actor: 'hub', note: decision.note, detail: decision.detail },
      patch: { ...(decision.counted ? { increment: 'chaseCount' as const } : {}), ...(decision.supervision ? { supervisedAt: d.now() } : {}) },
      outbox: decision.mailTo.map((to) => ({
        channel: 'email' as const,
        destination: to === 'unit' ? unit.email : leader,
        payload: { ...alarmMail({ kind: a.kind, orderNo: a.orderNo, unitName: unit.name, title: to === 'unit' ? titleForUnit(order, d.catalog.categories) : order.title, due, to }), orderNo: a.orderNo },
        dedupKey: `${dedupKey}:email:${to}`,
      })),
    };
  });
  return outcome === 'accepted' ? 'raised' : outcome === 'unchanged' ? 'overtaken' : 'duplicate';
}
