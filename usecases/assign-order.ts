/**
 * 人工派单: a dispatcher picks the unit for an order the rules could not place (回避 without a
 * supervising unit). Checked on the locked order, recorded, and handed to the waiting instance
 * in one transaction. The unit complained about is refused whatever the dispatcher says.
 */
import { findUnit, type Catalog } from '../domain/catalog.js';
import { decideAssign } from '../domain/centre-actions.js';
import { isRefused, type DispatchMode } from '../domain/order.js';
import type { OrderStore } from './ports.js';
import { HubError } from './errors.js';
import { UnknownCode } from './accept-order.js';
import { assignMessage } from './engine-messages.js';

export class AssignRefused extends HubError {
  constructor(code: 'NOT_AWAITING_ASSIGNMENT' | 'CONFLICT_OF_INTEREST', message: string) {
    super(code, message, false);
  }
}

export async function assignOrder(
  deps: { store: OrderStore; catalog: Catalog },
  orderNo: string,
  choice: { id: string; unit: string; mode: DispatchMode; reason: string },
  actor: string,
): Promise<'accepted' | 'duplicate'> {
  const unit = findUnit(deps.catalog, choice.unit);
  if (!unit) throw new UnknownCode('UNKNOWN_UNIT', `unit "${choice.unit}" is not in the catalog (GET /api/v1/catalog)`);
  return deps.store.commit(orderNo, `assign:${choice.id}`, (order) => {
    const d = decideAssign({ ...order, orderNo }, { unit: { code: unit.code, name: unit.name }, mode: choice.mode, reason: choice.reason });
    if (isRefused(d)) throw new AssignRefused(d.refused, d.reason);
    return {
      entry: { step: d.step, actor, note: d.note, detail: d.detail },
      patch: d.set,
      outbox: [assignMessage(order.correlationId, choice.id, d.engine)],
      opts: { transition: d.transition },
    };
  });
}
