/**
 * 回访: the citizen's satisfaction, recorded and handed to the process in one transaction. A
 * repeat of the same callback is answered as the first one was; a callback to an order that is
 * not waiting for one is refused.
 */
import { canApply, type Satisfaction } from '../domain/order.js';
import { STEP_NOTES } from '../domain/text.js';
import type { OrderStore } from '../infra/db/orders.js';
import { HubError } from '../infra/errors.js';
import { callbackMessage } from './engine-messages.js';

export class CallbackRefused extends HubError {
  constructor(message: string) {
    super('NOT_AWAITING_CALLBACK', message, false);
  }
}

export async function submitCallback(
  deps: { store: OrderStore },
  orderNo: string,
  callbackId: string,
  satisfaction: Satisfaction,
  note: string,
  actor: string,
): Promise<'accepted' | 'duplicate'> {
  const dedupKey = `callback:${callbackId}`;
  return deps.store.withOrder(orderNo, async (order, tx) => {
    if (await tx.seen(dedupKey)) return 'duplicate';
    if (!canApply('callback', order.status)) throw new CallbackRefused(`order ${orderNo} is ${order.status}, not waiting for a callback`);
    await tx.apply(
      orderNo,
      { step: 'callback', actor, note: STEP_NOTES.callback(satisfaction), detail: { satisfaction, note }, dedupKey },
      { satisfaction },
      [callbackMessage(order.correlationId, order.redoCount, callbackId, satisfaction)],
      { transition: 'callback' },
    );
    return 'accepted';
  });
}
