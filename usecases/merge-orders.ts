/**
 * 合并与拆分 by the centre's hand (重复件): a dispatcher or supervisor finds that an open order is
 * the same matter as another open order — its instance is cancelled in the engine first, then in
 * one transaction the order becomes "merged" into the other (which counts the repeat and may be
 * reported up, usecases/repeats.ts), its open tasks leave the lists, its queued engine messages are
 * dropped and the units working on it are told (撤单通知). Or that a merged call is a matter of its
 * own after all: split off, it starts an instance of its own from the start, and the order it was
 * merged into counts one repeat fewer.
 */
import type { Catalog } from '../domain/catalog.js';
import { isDone } from '../domain/order.js';
import type { RepeatPolicy } from '../domain/repeats.js';
import { STEP_NOTES } from '../domain/text.js';
import { splitStartMessage } from './engine-messages.js';
import { HubError } from './errors.js';
import { cancelNotices, OrderDone, unitsAtWork } from './operations.js';
import { OrderNotFound, type DutyRota, type EngineControl, type IncidentReads, type OrderStore, type TrailLog } from './ports.js';
import { escalateRepeats } from './repeats.js';

export class MergeRefused extends HubError {
  constructor(code: 'SAME_ORDER' | 'TARGET_NOT_OPEN' | 'TARGET_MERGED' | 'NOT_MERGED', message: string) {
    super(code, message, false);
  }
}

interface Deps {
  store: OrderStore;
  ops: Pick<IncidentReads, 'rootInstance'>;
  engine: Pick<EngineControl, 'cancelInstance'>;
  trail: TrailLog;
  catalog: Catalog;
  now: () => Date;
  repeats?: RepeatPolicy;
  rota?: DutyRota;
}

export async function mergeOrder(d: Deps, orderNo: string, into: string, reason: string, by: { actor: string }): Promise<{ orderNo: string; into: string; instance: 'cancelled' | 'gone' | 'none'; unitsTold: string[]; escalated: string[] }> {
  if (orderNo === into) throw new MergeRefused('SAME_ORDER', `order ${orderNo} cannot be merged into itself`);
  const order = await d.store.find(orderNo);
  if (!order) throw new OrderNotFound(orderNo);
  if (isDone(order.status)) throw new OrderDone(orderNo, order.status);
  const target = await d.store.find(into);
  if (!target) throw new OrderNotFound(into);
  if (target.status === 'merged') throw new MergeRefused('TARGET_MERGED', `order ${into} was itself merged into ${target.mergedInto ?? 'another order'}: merge into that one`);
  if (isDone(target.status)) throw new MergeRefused('TARGET_NOT_OPEN', `order ${into} is ${target.status}: merge into an open order, or cancel this one with the reason`);
  const key = order.processInstanceKey ?? (await d.ops.rootInstance(orderNo));
  const instance = key ? await d.engine.cancelInstance(key, `merged into ${into}: ${reason}`) : 'none';
  const unitsTold = await d.store.withOrder(orderNo, async (o, tx) => {
    if (isDone(o.status)) throw new OrderDone(orderNo, o.status);
    const dropped = await tx.dropEngineMessages(orderNo);
    await tx.cancelTasks(orderNo, by.actor);
    const told = `已合并至工单 ${into} 办理`;
    const notices = cancelNotices(orderNo, o, await unitsAtWork(orderNo, o, tx), told, d.now(), d.catalog);
    await tx.apply(orderNo, { step: 'merged', actor: by.actor, note: STEP_NOTES.mergedByHand(into, reason), detail: { into, reason, instance, from: o.status, droppedMessages: dropped, unitsTold: notices.units, byHand: true } }, { mergedInto: into }, notices.messages, { transition: 'merge' });
    // The order it joins counts the repeat, in the same transaction.
    await tx.apply(into, { step: 'repeat-call', actor: by.actor, note: STEP_NOTES.mergedHere(orderNo, reason), detail: { orderNo, byHand: true } }, { increment: 'repeatCount' });
    return notices.units;
  });
  d.trail.record({ orderNo, kind: 'operator', component: 'work-order', detail: { action: 'merge', by: by.actor, into, reason, instance } });
  await d.trail.flush();
  const escalated = d.repeats ? await escalateRepeats({ ...d, policy: d.repeats }, into) : [];
  return { orderNo, into, instance, unitsTold, escalated };
}

export async function splitOrder(d: Pick<Deps, 'store' | 'now'>, orderNo: string, reason: string, by: { actor: string }): Promise<{ orderNo: string; from: string }> {
  const order = await d.store.find(orderNo);
  if (!order) throw new OrderNotFound(orderNo);
  if (order.status !== 'merged' || !order.mergedInto) throw new MergeRefused('NOT_MERGED', `order ${orderNo} is ${order.status}, not merged: there is nothing to split`);
  const from = order.mergedInto;
  const before = await d.store.find(from);
  await d.store.withOrder(orderNo, async (o, tx) => {
    if (o.status !== 'merged') throw new MergeRefused('NOT_MERGED', `order ${orderNo} is ${o.status}, not merged: there is nothing to split`);
    const splitId = `${orderNo}:${d.now().getTime()}`;
    // A new instance from the start; the process instance it had (merged by hand) is gone, so the new one claims the order.
    await tx.apply(orderNo, { step: 'split', actor: by.actor, note: STEP_NOTES.split(from, reason), detail: { from, reason } }, { mergedInto: null, processInstanceKey: null, unitCode: null, dueAt: null }, [splitStartMessage({ ...o, orderNo }, splitId)], { transition: 'split' });
    await tx.apply(from, { step: 'split', actor: by.actor, note: STEP_NOTES.splitOff(orderNo, reason), detail: { orderNo, reason } }, { repeatCount: Math.max(0, (before?.repeatCount ?? 1) - 1) });
  });
  return { orderNo, from };
}
