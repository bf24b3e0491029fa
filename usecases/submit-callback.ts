/**
 * 回访: the citizen's satisfaction, recorded and handed to the process in one transaction
 * (OrderStore.commit; the rule is domain/centre-actions.ts). A repeat of the same callback is
 * answered as the first one was; a callback to an order that is not waiting for one is refused.
 */
import { decideCallback } from '../domain/centre-actions.js';
import { isRefused, type Satisfaction } from '../domain/order.js';
import type { OrderStore } from './ports.js';
import { HubError } from './errors.js';
import { callbackMessage } from './engine-messages.js';

export class CallbackRefused extends HubError {
  constructor(message: string) {
    super('NOT_AWAITING_CALLBACK', message, false);
  }
}

export async function submitCallback(
  deps: { store: OrderStore; now?: () => Date },
  orderNo: string,
  callbackId: string,
  satisfaction: Satisfaction,
  note: string,
  actor: string,
  resolved: boolean | null = null,
): Promise<'accepted' | 'duplicate'> {
  return deps.store.commit(orderNo, `callback:${callbackId}`, (order) => {
    const d = decideCallback({ ...order, orderNo }, { satisfaction, note, resolved });
    if (isRefused(d)) throw new CallbackRefused(d.reason);
    return {
      entry: { step: d.step, actor, note: d.note, detail: d.detail },
      // The callback reached the citizen on this phone: it is confirmed, and the close notice may go there.
      patch: { ...d.set, ...(order.citizenPhoneConfirmedAt ? {} : { citizenPhoneConfirmedAt: deps.now?.() ?? new Date() }) },
      outbox: [callbackMessage(order.correlationId, order.redoCount, callbackId, d.engine.satisfaction)],
      opts: { transition: d.transition },
    };
  });
}
