/**
 * 人工派单: a dispatcher picks the unit for an order the rules could not place (回避 without a
 * supervising unit). Checked on the locked order, recorded, and handed to the waiting instance
 * in one transaction. The unit complained about is refused whatever the dispatcher says.
 */
import { findUnit, type Catalog } from '../domain/catalog.js';
import { canApply, MODE_LIMITS, type DispatchMode } from '../domain/order.js';
import { STEP_NOTES } from '../domain/text.js';
import type { OrderStore } from '../infra/db/orders.js';
import { HubError } from '../infra/errors.js';
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
  const dedupKey = `assign:${choice.id}`;
  return deps.store.withOrder(orderNo, async (order, tx) => {
    if (await tx.seen(dedupKey)) return 'duplicate';
    if (!canApply('assign', order.status)) throw new AssignRefused('NOT_AWAITING_ASSIGNMENT', `order ${orderNo} is ${order.status}; only an order waiting for a dispatcher is assigned by hand`);
    if (order.complainedUnit === unit.code) {
      throw new AssignRefused('CONFLICT_OF_INTEREST', `order ${orderNo} complains about ${unit.name}; it may not handle it (回避). Choose another unit`);
    }
    const dispatch = { mode: choice.mode, unit: unit.code, ...MODE_LIMITS[choice.mode] };
    await tx.apply(
      orderNo,
      { step: 'assign', actor, note: STEP_NOTES.assign(unit.name, choice.mode), detail: { ...dispatch, reason: choice.reason }, dedupKey },
      { handlingMode: choice.mode, unitCode: unit.code },
      [assignMessage(order.correlationId, choice.id, dispatch)],
      { transition: 'assign' },
    );
    return 'accepted';
  });
}
