/**
 * 三级网络 (DOMAIN.md §2): a level-2 unit (a district government) may send an order it holds on to
 * one of its level-3 units (a street or town, 下派), and must review the street's answer before it
 * reports it up to the centre. The district stays the centre's unit: its deadline, its chases and
 * its supervision run on while the street works (bpmn/handle-order.bpmn), and it may still answer
 * itself. The street's answers and the district's reviews run in bpmn/street-handling.bpmn.
 */
import { findUnit, type Catalog } from '../domain/catalog.js';
import { canApply, roundOf } from '../domain/order.js';
import { requestForUnit, titleForUnit } from '../domain/masking.js';
import { chinaTime, dispatchMail, STEP_NOTES } from '../domain/text.js';
import type { InboxEntry, OrderStore } from './ports.js';
import { acknowledgeMessage, streetReplyMessage, subDispatchedMessage } from './engine-messages.js';
import { asUnit, UnitActionRefused, type UnitActor, type UnitReply } from './unit-actions.js';

interface Deps {
  store: OrderStore;
  catalog: Catalog;
  now: () => Date;
}

/**
 * 下派: the district names one of its own streets and, optionally, an earlier date by which the
 * street must answer it (by default the district's own deadline). Sending it on is also an
 * acknowledgement. A street the order complains about is never sent it (回避).
 */
export async function subDispatch(d: Deps, orderNo: string, who: UnitActor, ask: { unit: string; dueAt?: Date; instructions: string }): Promise<'accepted' | 'duplicate'> {
  return asUnit(d.store, orderNo, who, 'sub-dispatch', 'subDispatch', async (o, tx, dedupKey) => {
    const street = findUnit(d.catalog, ask.unit);
    if (!street || street.level !== 3 || street.parent !== who.unit) {
      throw new UnitActionRefused('NOT_YOUR_STREET', `"${ask.unit}" is not a level-3 unit of ${who.unitName}; GET /api/v1/catalog lists each street with its parent unit`);
    }
    if (o.complainedUnit === street.code) throw new UnitActionRefused('CONFLICT_OF_INTEREST', `order ${orderNo} complains about ${street.name}; it may not handle it (回避)`);
    const now = d.now();
    const due = ask.dueAt ?? o.dueAt;
    if (!due || due.getTime() <= now.getTime()) throw new UnitActionRefused('SUB_DUE_NOT_WITHIN', `order ${orderNo}: give the street a date after now${o.dueAt ? ` and by your own deadline, ${chinaTime(o.dueAt)}` : ''}`);
    if (o.dueAt && due.getTime() > o.dueAt.getTime()) throw new UnitActionRefused('SUB_DUE_NOT_WITHIN', `order ${orderNo} is due from ${who.unitName} by ${chinaTime(o.dueAt)}; the street's date must be no later`);
    const { description, address, citizen } = requestForUnit({
      description: o.description,
      address: o.address,
      unitSummary: o.unitSummary,
      districtName: d.catalog.districts.find((x) => x.code === o.district)?.name ?? o.district,
      citizen: { name: o.citizenName, phone: o.citizenPhone, confidential: o.citizenConfidential },
    });
    const mail = dispatchMail({ orderNo, unitName: street.name, title: titleForUnit(o, d.catalog.categories), description: ask.instructions ? `${description}\n${who.unitName}要求：${ask.instructions}` : description, address, due: chinaTime(due), mode: o.handlingMode ?? 'phone-dispatch', citizen });
    await tx.apply(
      orderNo,
      {
        step: 'sub-dispatch',
        actor: who.actor,
        note: STEP_NOTES.subDispatch(who.unitName, street.name, chinaTime(due)),
        detail: { unit: street.code, unitName: street.name, from: who.unit, dueAt: due.toISOString(), instructions: ask.instructions, dispatchSeq: o.dispatchSeq },
        dedupKey,
      },
      { subUnitCode: street.code, ...(o.acknowledgedAt ? {} : { acknowledgedAt: now }) },
      [
        subDispatchedMessage(o.correlationId, o.dispatchSeq, who.id, { unit: street.code, dueAt: due.toISOString() }),
        // Sending it on is acknowledging it: the acknowledge timer stops.
        ...(o.status === 'dispatched' ? [acknowledgeMessage(o.correlationId, o.dispatchSeq, `sub:${who.id}`)] : []),
        { channel: 'email', destination: street.email, payload: { ...mail, orderNo }, dedupKey: `${dedupKey}:email` },
      ],
      { transition: 'subDispatch' },
    );
  });
}

/**
 * The street's answer: it goes to its district for review (a task in the district's list), not to
 * the centre. The street answers only while the order is with it.
 */
export async function submitStreetReply(d: { store: OrderStore; catalog?: Catalog }, orderNo: string, reply: UnitReply, actor: string, inbox?: InboxEntry): Promise<'accepted' | 'duplicate'> {
  const dedupKey = `street-reply:${reply.id}`;
  return d.store.withOrder(orderNo, async (o, tx) => {
    if (await tx.seen(dedupKey, inbox?.messageId)) return 'duplicate';
    if (o.subUnitCode !== reply.unit || o.complainedUnit === reply.unit) throw new UnitActionRefused('NOT_YOUR_ORDER', `order ${orderNo} is not with ${reply.unitName}`);
    if (!canApply('subReply', o.status)) throw new UnitActionRefused('NOT_AWAITING_REPLY', `order ${orderNo} is ${o.status}; ${o.status === 'sub_replied' ? 'your answer waits for your district\'s review' : 'your district has it now'}`);
    const district = d.catalog ? findUnit(d.catalog, o.unitCode ?? '') : undefined;
    const districtName = district?.name ?? o.unitCode ?? '';
    const detail = { unit: reply.unit, unitName: reply.unitName, result: reply.result, handledBy: reply.handledBy, repliedAt: reply.repliedAt, replyId: reply.id, dispatchSeq: o.dispatchSeq, round: roundOf(o.redoCount) };
    await tx.apply(
      orderNo,
      { step: 'street-reply', actor, note: STEP_NOTES.streetReply(reply.unitName, districtName), detail, dedupKey },
      {},
      [streetReplyMessage(o.correlationId, o.dispatchSeq, reply.id)],
      { transition: 'subReply', inbox },
    );
    // The district reviews it before the deadline it answers to the centre by.
    await tx.openTask({ orderNo, kind: 'street-review', role: 'unit', unitCode: o.unitCode, detail, dedupKey: `task:${dedupKey}`, dueAt: o.dueAt });
    return 'accepted';
  });
}
