/**
 * 反馈: a unit's reply, from HTTP or from Kafka. Checked, recorded and handed to the process in one
 * transaction on the locked order: a repeat of the same reply is answered as the first one was;
 * a reply from another unit, or to an order not waiting for one, is refused and changes nothing.
 * A street's reply to an order its district sent on to it goes to the district (three-levels.ts);
 * a helper unit's to the co-handling wait (co-handling.ts).
 */
import { roundOf } from '../domain/order.js';
import { STEP_NOTES } from '../domain/text.js';
import type { InboxEntry, OrderStore } from './ports.js';
import type { Catalog } from '../domain/catalog.js';
import { replyMessage } from './engine-messages.js';
import { helpersOf } from '../domain/access.js';
import { submitHelperReply } from './co-handling.js';
import { submitStreetReply } from './three-levels.js';
import { asUnit, type UnitReply } from './unit-actions.js';

export type { UnitReply } from './unit-actions.js';

export { UnitActionRefused as ReplyRefused } from './unit-actions.js';

export async function submitReply(
  deps: { store: OrderStore; catalog?: Catalog; now?: () => Date },
  orderNo: string,
  reply: UnitReply,
  actor: string,
  inbox?: InboxEntry,
): Promise<'accepted' | 'duplicate'> {
  // 三级: a street's answer goes to its district for review, not to the centre.
  const current = await deps.store.find(orderNo);
  if (current?.subUnitCode === reply.unit && current.unitCode !== reply.unit) return submitStreetReply(deps, orderNo, reply, actor, inbox);
  // 协办: a helper's part is recorded for the lead's reply to wait for, not taken as the reply.
  if (current && helpersOf(current).includes(reply.unit) && current.unitCode !== reply.unit) return submitHelperReply(deps, orderNo, reply, actor, inbox);
  return asUnit(
    deps.store,
    orderNo,
    { id: reply.id, unit: reply.unit, unitName: reply.unitName, actor },
    'reply',
    'reply',
    async (order, tx, dedupKey) => {
      const round = roundOf(order.redoCount);
      const variables = { id: reply.id, unit: reply.unit, result: reply.result, handledBy: reply.handledBy, repliedAt: reply.repliedAt, round };
      await tx.apply(
        orderNo,
        { step: 'reply', actor, note: STEP_NOTES.reply(reply.unitName), detail: { ...reply, round, dispatchSeq: order.dispatchSeq }, dedupKey },
        { repliedAt: deps.now?.() ?? new Date() },
        [replyMessage(order.correlationId, order.dispatchSeq, reply.id, variables)],
        { transition: 'reply', inbox },
      );
    },
    inbox,
  );
}
