/**
 * 市民自助查询 and 一事一评: a citizen looks up their own request by its number and the phone they
 * gave — its status, the unit, the time it is expected, the answer once closed, nothing of anyone
 * else — and, once it is closed, evaluates it once (好差评, five levels), counted in the statistics.
 * A wrong number and a wrong phone are refused alike (404): the lookup tells nobody whether an
 * order exists; each refusal counts against the caller's address (the gateway's failure limit).
 *
 * By SMS: the closing notice's link opens the order it closed (its token is the credential), and
 * a citizen who lost the number asks for a one-time code on their mobile, which shows every order
 * that phone gave. A code goes only to a phone that gave an order, and the answer is the same
 * whether one went: the form tells nobody which numbers called.
 */
import { findUnit, type Catalog } from '../domain/catalog.js';
import { CODE_TTL_MINUTES, codeSms, contactTokenHash, newCode } from '../domain/notices.js';
import { STATUSES, type OrderStatus } from '../domain/order.js';
import { HubError } from './errors.js';
import type { OrderStore, WorkOrderRow } from './ports.js';
import type { OutboxMessage } from '../domain/outgoing.js';

export class LookupRefused extends HubError {
  constructor(code: 'PROGRESS_NOT_FOUND' | 'EVALUATION_NOT_OPEN' | 'ALREADY_EVALUATED' | 'CODE_NOT_VALID', message: string) {
    super(code, message, false);
  }
}

/** One-time codes (市民自助查询 by SMS): kept as their hashes, each with its expiry and wrong tries. */
export interface CitizenCodes {
  /** Keeps a code and its SMS (in the outbox, one transaction), unless the phone was sent `perHour` codes in the last hour: false then. */
  issue(c: { phone: string; codeHash: string; expiresAt: Date; sms: OutboxMessage }, perHour: number): Promise<boolean>;
  /** True once when this is the phone's newest code, unexpired and unused; a wrong code is a try against it, and `maxTries` void it. */
  redeem(phone: string, codeHash: string, maxTries: number): Promise<boolean>;
}

/** Codes one phone is sent in an hour, and wrong tries one code takes before it is void. */
export const CODES_PER_HOUR = 3;
export const CODE_TRIES = 5;
/** The orders one code shows, newest first. */
export const ORDERS_PER_CODE = 20;

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

/** What proves an order is the citizen's: its number and the phone given, or the token of the closing SMS's link. */
export type Credential = { orderNo: string; phone: string } | { token: string };

async function own(d: { store: OrderStore }, who: Credential): Promise<WorkOrderRow & { orderNo: string }> {
  if ('token' in who) {
    const orderNo = /^[0-9A-Za-z]{8}$/.test(who.token) ? await d.store.orderByRatingToken(contactTokenHash(who.token)) : null;
    const order = orderNo ? await d.store.find(orderNo) : null;
    if (!order) throw new LookupRefused('PROGRESS_NOT_FOUND', 'no order with this link');
    return { ...order, orderNo: orderNo! };
  }
  const { orderNo, phone } = who;
  const order = /^GD\d{14}$/.test(orderNo) ? await d.store.find(orderNo) : null;
  if (!order || phoneKey(order.citizenPhone) !== phoneKey(phone) || phoneKey(phone).length < 5) throw new LookupRefused('PROGRESS_NOT_FOUND', 'no order with this number and phone');
  return { ...order, orderNo };
}

export async function progressOf(d: { store: OrderStore; catalog: Catalog }, who: Credential): Promise<Progress> {
  return progressFor(d, await own(d, who));
}

async function progressFor(d: { store: OrderStore; catalog: Catalog }, o: WorkOrderRow & { orderNo: string }): Promise<Progress> {
  const orderNo = o.orderNo;
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

export async function evaluate(d: { store: OrderStore; catalog: Catalog; now: () => Date }, who: Credential, rating: 1 | 2 | 3 | 4 | 5, comment: string | undefined): Promise<Progress> {
  const { orderNo } = await own(d, who);
  const outcome = await d.store.commit(orderNo, `evaluation:${orderNo}`, (order) => {
    if (order.status !== 'closed') throw new LookupRefused('EVALUATION_NOT_OPEN', `order ${orderNo} is not closed yet; it is evaluated once closed`);
    if (order.citizenRating !== null) throw new LookupRefused('ALREADY_EVALUATED', `order ${orderNo} was evaluated already (一事一评)`);
    return {
      entry: { step: 'evaluation', actor: 'citizen', note: `市民评价：${RATINGS[rating]}${comment ? `（${comment}）` : ''}`, detail: { rating, comment: comment ?? null } },
      patch: { citizenRating: rating, citizenRatedAt: d.now(), citizenComment: comment ?? null },
    };
  });
  if (outcome === 'duplicate') throw new LookupRefused('ALREADY_EVALUATED', `order ${orderNo} was evaluated already (一事一评)`);
  return progressOf(d, who);
}

/** A mobile number as the SMS gateway takes it (11 digits), or null for anything else. */
const mobile = (phone: string): string | null => (/^1[3-9]\d{9}$/.test(phoneKey(phone)) ? phoneKey(phone) : null);

/**
 * Sends a one-time code to a mobile that gave an order, at most CODES_PER_HOUR an hour; says
 * nothing of whether one went (nor why not).
 */
export async function sendCode(d: { store: OrderStore; codes: CitizenCodes; now: () => Date }, phone: string): Promise<void> {
  const to = mobile(phone);
  if (!to || (await d.store.list({ phone: to, limit: 1 })).length === 0) return;
  const code = newCode();
  const expiresAt = new Date(d.now().getTime() + CODE_TTL_MINUTES * 60_000);
  await d.codes.issue({ phone: to, codeHash: contactTokenHash(`${to}:${code}`), expiresAt, sms: { channel: 'sms', destination: to, payload: { text: codeSms(code) }, dedupKey: `code:${contactTokenHash(`${to}:${code}`)}` } }, CODES_PER_HOUR);
}

/** The orders a phone gave, newest first, by the code sent to it (once); a wrong or spent code is refused as a wrong phone is. */
export async function progressByCode(d: { store: OrderStore; catalog: Catalog; codes: CitizenCodes }, phone: string, code: string): Promise<Progress[]> {
  const to = mobile(phone);
  if (!to || !/^\d{6}$/.test(code) || !(await d.codes.redeem(to, contactTokenHash(`${to}:${code}`), CODE_TRIES))) throw new LookupRefused('CODE_NOT_VALID', 'this code is wrong, used or expired; ask for a new one');
  const orders = await d.store.list({ phone: to, limit: ORDERS_PER_CODE });
  return Promise.all(orders.map((o) => progressFor(d, { ...o, orderNo: o.orderNo! })));
}
