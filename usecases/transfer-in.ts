/**
 * 110转12345 (国办发〔2022〕12号): a matter an emergency line took that is 12345's. The transfer list
 * (bpmn/transfer-in.dmn, evaluated by the engine) decides: an item on it, or one the three-way
 * call gave to 12345, becomes a work order, made once per incident id however often the line
 * sends it, with the line's incident id kept on the order; anything else goes back to the line
 * with the reason (the first receiver keeps what stayed unclear). Either way the line is told, on
 * its handover topic, in the same transaction that records the outcome.
 */
import type { RepeatPolicy } from '../domain/repeats.js';
import { findPartner, type Catalog } from '../domain/catalog.js';
import { envelope, partnerTopics, type EventPayload } from '../domain/events.js';
import { IdempotencyConflict, type Decide, type OrderStore, type OutboxMessage, type TransferIn, type WorkOrderRow } from './ports.js';
import { HubError } from './errors.js';
import { acceptOrder } from './accept-order.js';

export const TRANSFER_DECISION = 'transfer-in';
/** The channel of an order made of a transfer (联动转办). */
export const TRANSFER_CHANNEL = 'transfer';

export class TransferRefused extends HubError {
  constructor(message: string) {
    super('TRANSFER_REFUSED', message, false);
  }
}

interface Decision {
  accepted: boolean;
  category: string | null;
  type: string | null;
  reason: string | null;
}

function decisionOf(out: Record<string, unknown> | null): Decision {
  if (!out) throw new TransferRefused(`bpmn/${TRANSFER_DECISION}.dmn matched no rule; its last row must be a fallback`);
  if (typeof out.accepted !== 'boolean') throw new TransferRefused(`bpmn/${TRANSFER_DECISION}.dmn gave no "accepted" (true or false)`);
  const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
  return { accepted: out.accepted, category: str(out.category), type: str(out.type), reason: str(out.reason) };
}

/** The district by its code or name, else the first district named in the address. */
export function districtOf(catalog: Catalog, given: string | undefined, address: string): string | null {
  const g = given?.trim();
  const byGiven = g ? catalog.districts.find((d) => d.code === g || d.name === g) : undefined;
  if (byGiven) return byGiven.code;
  return catalog.districts.find((d) => address.includes(d.name))?.code ?? null;
}

export async function takeTransfer(
  d: { store: OrderStore; catalog: Catalog; decide: Decide; sms?: boolean; /** 重复件: a transfer about an open order's matter is merged into it, as a call is. */ repeats?: RepeatPolicy },
  event: { id: string; correlationId?: string },
  t: EventPayload<'partner.transferred'>,
): Promise<{ outcome: 'accepted' | 'declined' | 'duplicate'; orderNo: string | null }> {
  const partner = findPartner(d.catalog, t.partner);
  if (!partner) throw new TransferRefused(`${t.partner} is not an emergency line in config/catalog.json (partners)`);
  const before = await d.store.transferOf(t.partner, t.incidentId);
  if (before) return { outcome: 'duplicate', orderNo: before.orderNo };

  const decision = decisionOf(await d.decide(TRANSFER_DECISION, { partner: t.partner, item: t.item, threeWayCall: t.threeWayCall ?? null }));
  const district = districtOf(d.catalog, t.district, t.address);
  const refusal = !decision.accepted ? decision.reason ?? '不在移交清单'
    : !district ? `无法确定所属区（${t.district ?? '未提供'}），请补充区县后重新转办`
    : null;
  const transfer: TransferIn = { partner: t.partner, partnerName: partner.name, incidentId: t.incidentId, item: t.item, threeWayCall: t.threeWayCall ?? null, reason: refusal ?? decision.reason };
  const answer = (orderNo: string | null, accepted: boolean): OutboxMessage => ({
    channel: 'kafka',
    destination: partnerTopics(t.partner).handover,
    messageKey: orderNo ?? `${t.partner}:${t.incidentId}`,
    payload: envelope('partner.transfer-answered', orderNo, { partner: t.partner, incidentId: t.incidentId, accepted, ...(transfer.reason ? { reason: transfer.reason } : {}) }, 'hub', { correlationId: event.correlationId }),
    dedupKey: `transfer-answer:${t.partner}:${t.incidentId}`,
  });

  if (refusal !== null) {
    const outcome = await d.store.declineTransfer(transfer, answer(null, false));
    return { outcome, orderNo: null };
  }
  if (!decision.category || !decision.type) throw new TransferRefused(`bpmn/${TRANSFER_DECISION}.dmn accepted item ${t.item} without a category and a request type`);
  try {
    const { order, created } = await acceptOrder(
      d,
      {
        channel: TRANSFER_CHANNEL,
        type: decision.type,
        category: decision.category,
        district: district!,
        title: t.title,
        description: t.description,
        address: t.address,
        urgent: false,
        citizen: { name: t.caller.name?.trim() || '来电人', phone: t.caller.phone, confidential: false },
        transfer,
      },
      `transfer:${t.partner}:${t.incidentId}`,
      `partner:${t.partner}`,
      (o) => [answer(o.orderNo!, true)],
    );
    await d.store.linkExternal(order.orderNo!, { system: t.partner, id: t.incidentId });
    return { outcome: created ? 'accepted' : 'duplicate', orderNo: order.orderNo };
  } catch (err) {
    // The line sent the incident again, changed: the first one made the order.
    if (err instanceof IdempotencyConflict) return { outcome: 'duplicate', orderNo: (await d.store.transferOf(t.partner, t.incidentId))?.orderNo ?? null };
    throw err;
  }
}

/**
 * 110转12345 to the end: how 12345 ended a matter an emergency line transferred — the unit's answer
 * as the order closed, or the operator's reason for cancelling it — for the line, on its handover
 * topic, in the step that ends the order. Null for an order that came some other way. A reopened
 * order (抽查) that closes again tells the line again, with the new answer.
 */
export async function transferConclusion(
  d: { store: Pick<OrderStore, 'externalRefs'>; catalog: Catalog },
  order: Pick<WorkOrderRow, 'orderNo' | 'channel' | 'correlationId' | 'redoCount'>,
  c: { outcome: 'closed' | 'cancelled'; result: string; unitName: string | null; satisfaction: string | null; at: Date },
): Promise<OutboxMessage | null> {
  if (order.channel !== TRANSFER_CHANNEL || !order.orderNo) return null;
  const ref = (await d.store.externalRefs(order.orderNo)).find((r) => findPartner(d.catalog, r.system));
  if (!ref) return null;
  const payload = { partner: ref.system, incidentId: ref.id, outcome: c.outcome, result: c.result.slice(0, 4000), unitName: c.unitName, satisfaction: c.satisfaction, concludedAt: c.at.toISOString() };
  return {
    channel: 'kafka',
    destination: partnerTopics(ref.system).handover,
    messageKey: order.orderNo,
    payload: envelope('partner.transfer-concluded', order.orderNo, payload, 'hub', { correlationId: order.correlationId }),
    dedupKey: `transfer-concluded:${ref.system}:${ref.id}:${c.outcome}:${order.redoCount}`,
  };
}
