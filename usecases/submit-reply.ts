/**
 * 反馈: a unit's reply, from HTTP or from Kafka. Checked, recorded and handed to the process in one
 * transaction on the locked order: a repeat of the same reply is answered as the first one was;
 * a reply from another unit, or to an order not waiting for one, is refused and changes nothing.
 */
import { canApply, roundOf } from '../domain/order.js';
import { STEP_NOTES } from '../domain/text.js';
import type { OrderStore } from '../infra/db/orders.js';
import { HubError } from '../infra/errors.js';
import { replyMessage } from './engine-messages.js';

export interface UnitReply {
  /** The reply's own id (event id, or derived from the Idempotency-Key): a repeat is applied once. */
  id: string;
  unit: string;
  unitName: string;
  result: string;
  handledBy: string;
  repliedAt: string;
}

export class ReplyRefused extends HubError {
  constructor(code: 'NOT_YOUR_ORDER' | 'NOT_AWAITING_REPLY', message: string) {
    super(code, message, false);
  }
}

export async function submitReply(
  deps: { store: OrderStore },
  orderNo: string,
  reply: UnitReply,
  actor: string,
  inbox?: { messageId: string; source: string },
): Promise<'accepted' | 'duplicate'> {
  const dedupKey = `reply:${reply.id}`;
  return deps.store.withOrder(orderNo, async (order, tx) => {
    if (await tx.seen(dedupKey, inbox?.messageId)) return 'duplicate';
    if (order.unitCode !== reply.unit) throw new ReplyRefused('NOT_YOUR_ORDER', `order ${orderNo} is assigned to ${order.unitCode ?? 'no unit'}, not ${reply.unit}`);
    if (!canApply('reply', order.status)) throw new ReplyRefused('NOT_AWAITING_REPLY', `order ${orderNo} is ${order.status}, not waiting for a reply`);
    const round = roundOf(order.redoCount);
    const variables = { id: reply.id, unit: reply.unit, result: reply.result, handledBy: reply.handledBy, repliedAt: reply.repliedAt, round };
    await tx.apply(
      orderNo,
      { step: 'reply', actor, note: STEP_NOTES.reply(reply.unitName), detail: { ...reply, round }, dedupKey },
      {},
      [replyMessage(order.correlationId, order.redoCount, reply.id, variables)],
      { transition: 'reply', inbox },
    );
    return 'accepted';
  });
}
