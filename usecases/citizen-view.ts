/**
 * 市民自助查询 and 一事一评: a citizen looks up their own request by its number and the phone they
 * gave — its status, the unit, the time it is expected, the answer once closed, nothing of anyone
 * else — and, once it is closed, evaluates it once (好差评, five levels), counted in the statistics.
 * A wrong number and a wrong phone are refused alike (404): the lookup tells nobody whether an
 * order exists; each refusal counts against the caller's address (the gateway's failure limit).
 */
import { findUnit, type Catalog } from '../domain/catalog.js';
import { STATUSES, type OrderStatus } from '../domain/order.js';
import { HubError } from './errors.js';
import type { OrderStore } from './ports.js';

export class LookupRefused extends HubError {
  constructor(code: 'PROGRESS_NOT_FOUND' | 'EVALUATION_NOT_OPEN' | 'ALREADY_EVALUATED', message: string) {
    super(code, message, false);
  }
}

/** 好差评: the five levels of the national government-service evaluation, best first. */
export const RATINGS = { 5: '非常满意', 4: '满意', 3: '基本满意', 2: '不满意', 1: '非常不满意' } as const;

/** A phone as digits, without the country code: 138-0013-8000, +86 13800138000 and 13800138000 are one. */
export const phoneKey = (p: string): string => p.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');

export interface Progress {
  orderNo: string;
  status: string;
  acceptedAt: string;
  unit: string | null;
  /** The time the unit has until (its deadline), while it works on it. */
  expectedBy: string | null;
  closedAt: string | null;
  /** The unit's answer, once the order is closed. */
  answer: string | null;
  evaluation: { open: boolean; rating: number | null; label: string | null };
}

async function own(d: { store: OrderStore }, orderNo: string, phone: string) {
  const order = /^GD\d{14}$/.test(orderNo) ? await d.store.find(orderNo) : null;
  if (!order || phoneKey(order.citizenPhone) !== phoneKey(phone) || phoneKey(phone).length < 5) throw new LookupRefused('PROGRESS_NOT_FOUND', 'no order with this number and phone');
  return order;
}

export async function progressOf(d: { store: OrderStore; catalog: Catalog }, orderNo: string, phone: string): Promise<Progress> {
  const o = await own(d, orderNo, phone);
  const closed = o.status === 'closed';
  const reply = closed ? [...(await d.store.history(orderNo))].reverse().find((h) => h.step === 'reply') : undefined;
  const working = !closed && o.dueAt !== null;
  const rating = o.citizenRating ?? null;
  return {
    orderNo,
    status: STATUSES[o.status as OrderStatus]?.zh ?? o.status,
    acceptedAt: o.createdAt.toISOString(),
    unit: o.unitCode ? (findUnit(d.catalog, o.unitCode)?.name ?? null) : null,
    expectedBy: working ? o.dueAt!.toISOString() : null,
    closedAt: o.closedAt?.toISOString() ?? null,
    answer: reply ? String((JSON.parse(reply.detail ?? '{}') as { result?: string }).result ?? '') || null : null,
    evaluation: { open: closed && rating === null, rating, label: rating ? RATINGS[rating as keyof typeof RATINGS] : null },
  };
}

export async function evaluate(d: { store: OrderStore; catalog: Catalog; now: () => Date }, orderNo: string, phone: string, rating: 1 | 2 | 3 | 4 | 5, comment: string | undefined): Promise<Progress> {
  await own(d, orderNo, phone);
  const outcome = await d.store.commit(orderNo, `evaluation:${orderNo}`, (order) => {
    if (order.status !== 'closed') throw new LookupRefused('EVALUATION_NOT_OPEN', `order ${orderNo} is not closed yet; it is evaluated once closed`);
    if (order.citizenRating !== null) throw new LookupRefused('ALREADY_EVALUATED', `order ${orderNo} was evaluated already (一事一评)`);
    return {
      entry: { step: 'evaluation', actor: 'citizen', note: `市民评价：${RATINGS[rating]}${comment ? `（${comment}）` : ''}`, detail: { rating, comment: comment ?? null } },
      patch: { citizenRating: rating, citizenRatedAt: d.now(), citizenComment: comment ?? null },
    };
  });
  if (outcome === 'duplicate') throw new LookupRefused('ALREADY_EVALUATED', `order ${orderNo} was evaluated already (一事一评)`);
  return progressOf(d, orderNo, phone);
}
