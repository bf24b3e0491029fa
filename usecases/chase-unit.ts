/**
 * 提醒/催办/督办: the hub's alarms about a unit that has not acknowledged or answered in time. Each
 * is recorded in the order's history (全程留痕) and mailed to the unit, supervision also to the
 * centre's duty leader; chases and supervision count against the unit (chase_count). The timer
 * instant is part of the step's key, so a timer that fires again after its wait was re-entered
 * (a rejected extension) records nothing twice; an alarm the unit has overtaken (it answered, or
 * acknowledged, meanwhile) records nothing at all.
 */
import { findUnit, type Catalog } from '../domain/catalog.js';
import { OWING_STATUSES } from '../domain/order.js';
import { alarmMail, ALARM_NAMES, chinaTime, STEP_NOTES } from '../domain/text.js';
import type { OrderStore, OutboxMessage } from '../infra/db/orders.js';

export type AlarmKind = keyof typeof ALARM_NAMES;


export async function raiseAlarm(
  d: { store: OrderStore; catalog: Catalog; now: () => Date },
  a: { kind: AlarmKind; orderNo: string; dispatchSeq: number; at: Date },
): Promise<'raised' | 'overtaken' | 'duplicate'> {
  const order = await d.store.find(a.orderNo);
  if (!order) throw new Error(`order ${a.orderNo} is not in the database`);
  if (order.dispatchSeq !== a.dispatchSeq || !OWING_STATUSES.includes(order.status)) return 'overtaken';
  if (a.kind === 'chase-acknowledge' && order.acknowledgedAt) return 'overtaken';
  if (a.kind === 'on-site-overdue' && order.onSiteAt) return 'overtaken';
  const unit = order.unitCode ? findUnit(d.catalog, order.unitCode) : undefined;
  if (!unit) throw new Error(`order ${a.orderNo}: unit "${order.unitCode}" is not in config/catalog.json`);
  const due = order.dueAt ? chinaTime(order.dueAt) : '';
  const dedupKey = `${a.kind}:${a.orderNo}:${a.dispatchSeq}:${a.at.toISOString()}`;
  const mail = (to: 'unit' | 'leader', address: string): OutboxMessage => ({
    channel: 'email',
    destination: address,
    payload: { ...alarmMail({ kind: a.kind, orderNo: a.orderNo, unitName: unit.name, title: order.title, due, to }), orderNo: a.orderNo },
    dedupKey: `${dedupKey}:email:${to}`,
  });
  const note = {
    'chase-acknowledge': STEP_NOTES.chaseAcknowledge(unit.name, chinaTime(a.at)),
    remind: STEP_NOTES.remind(unit.name, due),
    chase: STEP_NOTES.chase(unit.name),
    supervise: STEP_NOTES.supervise(unit.name),
    'on-site-overdue': STEP_NOTES.onSiteOverdue(unit.name, due),
    'chase-progress': STEP_NOTES.chaseProgress(unit.name),
  }[a.kind];
  const supervision = a.kind === 'supervise' || a.kind === 'on-site-overdue';
  const counted = a.kind !== 'remind';
  const outcome = await d.store.applyStep(
    a.orderNo,
    { step: a.kind, actor: 'hub', note, detail: { unit: unit.code, dispatchSeq: a.dispatchSeq, at: a.at.toISOString(), dueAt: order.dueAt?.toISOString() ?? null, counted }, dedupKey },
    { ...(counted ? { increment: 'chaseCount' as const } : {}), ...(supervision ? { supervisedAt: d.now() } : {}) },
    supervision ? [mail('unit', unit.email), mail('leader', d.catalog.centre.dutyLeaderEmail)] : [mail('unit', unit.email)],
  );
  return outcome === 'duplicate' ? 'duplicate' : 'raised';
}
