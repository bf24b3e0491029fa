/**
 * 紧急联动: what an emergency line sends back. Its acknowledgement of a hand-over is recorded with
 * its incident id (kept on the order, to find it by either number) and handed to the waiting
 * process (wait-partner-ack in bpmn/emergency-handover.bpmn). An acknowledgement of any attempt
 * counts; a repeat, or one after the order was transferred, changes nothing. Only the line the
 * order went to may acknowledge it, or report how it ended (处警结果), which closes the loop in
 * the order's history.
 */
import { findPartner, type Catalog } from '../domain/catalog.js';
import { STEP_NOTES } from '../domain/text.js';
import type { InboxEntry, OrderStore } from './ports.js';
import { partnerAcknowledgedMessage } from './engine-messages.js';
import { UnitActionRefused } from './unit-actions.js';

export async function acknowledgeHandover(
  d: { store: OrderStore; catalog: Catalog },
  orderNo: string,
  ack: { id: string; partner: string; incidentId: string; by?: string },
  inbox: InboxEntry,
): Promise<'accepted' | 'duplicate' | 'stale'> {
  const name = findPartner(d.catalog, ack.partner)?.name ?? ack.partner;
  const dedupKey = `partner-ack:${ack.id}`;
  const outcome = await d.store.withOrder(orderNo, async (o, tx) => {
    if (await tx.seen(dedupKey, inbox.messageId)) return 'duplicate' as const;
    if (o.partnerCode !== ack.partner) throw new UnitActionRefused('NOT_YOUR_ORDER', `order ${orderNo} was handed to ${o.partnerCode ?? 'no emergency line'}, not ${ack.partner}`);
    if (o.status !== 'handed_over') return 'stale' as const;
    await tx.apply(
      orderNo,
      { step: 'partner-ack', actor: `partner:${ack.partner}`, note: STEP_NOTES.partnerAck(name, ack.incidentId), detail: { partner: ack.partner, incidentId: ack.incidentId, by: ack.by ?? null }, dedupKey },
      {},
      [partnerAcknowledgedMessage(o.correlationId, ack.id, { partner: ack.partner, incidentId: ack.incidentId })],
      { transition: 'partnerAcknowledge', inbox },
    );
    return 'accepted' as const;
  });
  if (outcome !== 'duplicate') await d.store.linkExternal(orderNo, { system: ack.partner, id: ack.incidentId });
  return outcome;
}

/**
 * 处警结果: what the line did with the matter it took. Recorded once per event in the order's
 * history (the order stays transferred: the hotline's part ended with the hand-over); only the line
 * the order went to may report it, and a result before its acknowledgement is kept too.
 */
export async function recordPartnerConclusion(
  d: { store: OrderStore; catalog: Catalog },
  orderNo: string,
  c: { id: string; partner: string; incidentId: string; result: string; concludedAt: Date; by?: string },
  inbox: InboxEntry,
): Promise<'accepted' | 'duplicate'> {
  const name = findPartner(d.catalog, c.partner)?.name ?? c.partner;
  const dedupKey = `partner-concluded:${c.id}`;
  const outcome = await d.store.withOrder(orderNo, async (o, tx) => {
    if (await tx.seen(dedupKey, inbox.messageId)) return 'duplicate' as const;
    if (o.partnerCode !== c.partner) throw new UnitActionRefused('NOT_YOUR_ORDER', `order ${orderNo} was handed to ${o.partnerCode ?? 'no emergency line'}, not ${c.partner}`);
    await tx.apply(
      orderNo,
      { step: 'partner-concluded', actor: `partner:${c.partner}`, note: STEP_NOTES.partnerConcluded(name, c.incidentId, c.result), detail: { partner: c.partner, incidentId: c.incidentId, result: c.result, concludedAt: c.concludedAt.toISOString(), by: c.by ?? null }, dedupKey, occurredAt: c.concludedAt },
      {},
      [],
      { inbox },
    );
    return 'accepted' as const;
  });
  if (outcome === 'accepted') await d.store.linkExternal(orderNo, { system: c.partner, id: c.incidentId });
  return outcome;
}
