/**
 * 主办/协办 (DOMAIN.md §4): on a co-handled dispatch the helper units each give their part to the
 * order, once, by the lead's deadline; the lead's reply goes on to review once every helper has
 * answered or timed out (bpmn/handle-order.bpmn). A helper answers with the same …/reply a lead
 * uses: what it answers is recorded in the order's history, where the centre's reviewer reads it.
 */
import { helpersOf } from '../domain/access.js';
import { findUnit, type Catalog } from '../domain/catalog.js';
import { HELPING_STATUSES } from '../domain/order.js';
import { STEP_NOTES } from '../domain/text.js';
import type { InboxEntry, OrderStore } from './ports.js';
import { helperReplyMessage } from './engine-messages.js';
import { UnitActionRefused, type UnitReply } from './unit-actions.js';


export async function submitHelperReply(d: { store: OrderStore; catalog?: Catalog }, orderNo: string, reply: UnitReply, actor: string, inbox?: InboxEntry): Promise<'accepted' | 'duplicate'> {
  const dedupKey = `helper-reply:${reply.id}`;
  return d.store.withOrder(orderNo, async (o, tx) => {
    if (await tx.seen(dedupKey, inbox?.messageId)) return 'duplicate';
    if (!helpersOf(o).includes(reply.unit) || o.complainedUnit === reply.unit) throw new UnitActionRefused('NOT_YOUR_ORDER', `order ${orderNo} is not one ${reply.unitName} helps on`);
    if (!HELPING_STATUSES.includes(o.status)) throw new UnitActionRefused('NOT_AWAITING_REPLY', `order ${orderNo} is ${o.status}; its helpers' answers are no longer taken`);
    const mine = (h: { detail: string | null }) => {
      const x = JSON.parse(h.detail ?? '{}') as { unit?: string; dispatchSeq?: number };
      return x.unit === reply.unit && x.dispatchSeq === o.dispatchSeq;
    };
    if ((await tx.steps(orderNo, 'helper-reply')).some(mine)) throw new UnitActionRefused('HELPER_ANSWERED', `order ${orderNo}: ${reply.unitName} has answered its part on this dispatch already`);
    if ((await tx.steps(orderNo, 'helper-timeout')).some(mine)) throw new UnitActionRefused('HELPER_TIMED_OUT', `order ${orderNo}: ${reply.unitName}'s time to answer ran out; the lead's reply has gone on without it`);
    const unitName = (d.catalog && findUnit(d.catalog, reply.unit)?.name) ?? reply.unitName;
    await tx.apply(
      orderNo,
      { step: 'helper-reply', actor, note: STEP_NOTES.helperReply(unitName), detail: { unit: reply.unit, result: reply.result, handledBy: reply.handledBy, repliedAt: reply.repliedAt, dispatchSeq: o.dispatchSeq }, dedupKey },
      {},
      [helperReplyMessage(o.correlationId, o.dispatchSeq, reply.unit, reply.id)],
      { inbox },
    );
    return 'accepted';
  });
}
