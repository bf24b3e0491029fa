/**
 * 督办单: a supervisor's written notice to the unit that owes an order — its number (the order's
 * n-th notice), the chases so far, the supervisor's opinion and the time to answer by — recorded
 * in the order's history, mailed to the unit and the duty leader, and flagging the order
 * supervised. Decided on the locked order: only an order its unit still owes, never twice for one
 * request (the Idempotency-Key), the answer to a repeat read back from the history.
 */
import { findUnit, type Catalog } from '../domain/catalog.js';
import { supervisionNoticeText } from '../domain/circulars.js';
import { titleForUnit } from '../domain/masking.js';
import { OWING_STATUSES } from '../domain/order.js';
import { chinaTime } from '../domain/text.js';
import { HubError } from './errors.js';
import type { DutyRota, OrderStore } from './ports.js';
import { dutyLeaderEmail } from './duty.js';

export class NoticeRefused extends HubError {
  constructor(code: 'NOT_AWAITING_REPLY' | 'REPLY_BY_PASSED', message: string) {
    super(code, message, false);
  }
}

export interface IssuedNotice {
  noticeNo: string;
  subject: string;
  text: string;
  replyBy: string;
  repeated: boolean;
}

export async function issueSupervisionNotice(
  d: { store: OrderStore; catalog: Catalog; now: () => Date; rota?: DutyRota },
  orderNo: string,
  req: { id: string; replyBy: Date; opinion: string },
  actor: string,
): Promise<IssuedNotice> {
  const dedupKey = `supervision-notice:${orderNo}:${req.id}`;
  let issued: Omit<IssuedNotice, 'repeated'> | undefined;
  const leader = await dutyLeaderEmail(d, d.now());
  const outcome = await d.store.commit(orderNo, dedupKey, async (order, read) => {
    if (!OWING_STATUSES.includes(order.status) || !order.unitCode) throw new NoticeRefused('NOT_AWAITING_REPLY', `order ${orderNo} is ${order.status}: no unit owes it an answer`);
    if (req.replyBy.getTime() <= d.now().getTime()) throw new NoticeRefused('REPLY_BY_PASSED', `replyBy ${req.replyBy.toISOString()} is not after now`);
    const unit = findUnit(d.catalog, order.unitCode);
    if (!unit) throw new Error(`order ${orderNo}: unit "${order.unitCode}" is not in config/catalog.json`);
    const noticeNo = `${orderNo}-${(await read.steps('supervision-notice')).length + 1}`;
    const notice = supervisionNoticeText({
      noticeNo,
      orderNo,
      unitName: unit.name,
      title: titleForUnit(order, d.catalog.categories),
      categoryName: d.catalog.categories.find((c) => c.code === order.category)?.name ?? order.category,
      districtName: d.catalog.districts.find((x) => x.code === order.district)?.name ?? order.district,
      dueAt: order.dueAt,
      chases: order.chaseCount,
      replyBy: req.replyBy,
      opinion: req.opinion,
      centreName: d.catalog.centre.name,
      issuedAt: d.now(),
    });
    issued = { noticeNo, ...notice, replyBy: req.replyBy.toISOString() };
    return {
      entry: { step: 'supervision-notice', actor, note: `督办单 ${noticeNo}：请${unit.name}于 ${chinaTime(req.replyBy)} 前办结反馈`, detail: { noticeNo, unit: unit.code, replyBy: req.replyBy.toISOString(), opinion: req.opinion, text: notice.text } },
      patch: order.supervisedAt ? {} : { supervisedAt: d.now() },
      outbox: [
        { channel: 'email' as const, destination: unit.email, payload: { ...notice, orderNo }, dedupKey: `${dedupKey}:email:unit` },
        // The leader reads the centre's copy: the same notice (the unit's view of the title is the safe one for both).
        { channel: 'email' as const, destination: leader, payload: { ...notice, orderNo }, dedupKey: `${dedupKey}:email:leader` },
      ],
    };
  });
  if (outcome === 'accepted' && issued) return { ...issued, repeated: false };
  const entry = await d.store.historyEntry(dedupKey);
  const detail = JSON.parse(entry?.detail ?? '{}') as { noticeNo: string; replyBy: string; text: string };
  return { noticeNo: detail.noticeNo, subject: `督办单 ${detail.noticeNo}：工单 ${orderNo}`, text: detail.text, replyBy: detail.replyBy, repeated: true };
}
