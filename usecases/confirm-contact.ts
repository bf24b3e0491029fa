/**
 * 确认邮箱: a citizen opens the link in the one mail sent to an address nobody at the centre heard
 * given (domain/notices.ts) and presses the button on the page it shows. Opening the link changes
 * nothing (mail scanners open links on their own); the button confirms the address on the order,
 * recorded in its history, and the close notice may then be written there. Pressing it again
 * changes nothing.
 */
import { contactTokenHash } from '../domain/notices.js';
import type { OrderStore } from './ports.js';

/** A token as the hub makes them (24 random bytes, base64url): anything else is looked up nowhere. */
const TOKEN = /^[A-Za-z0-9_-]{32}$/;

/** What a link's token stands for, without changing anything: an address waiting, one confirmed already, or nothing. */
export async function emailTokenStatus(deps: { store: OrderStore }, token: string): Promise<{ outcome: 'pending' | 'already' | 'unknown'; orderNo?: string }> {
  if (!TOKEN.test(token)) return { outcome: 'unknown' };
  const orderNo = await deps.store.orderByContactToken(contactTokenHash(token));
  const order = orderNo ? await deps.store.find(orderNo) : null;
  if (!orderNo || !order) return { outcome: 'unknown' };
  return { outcome: order.citizenEmailConfirmedAt ? 'already' : 'pending', orderNo };
}

export async function confirmEmail(deps: { store: OrderStore; now?: () => Date }, token: string): Promise<{ outcome: 'confirmed' | 'already' | 'unknown'; orderNo?: string }> {
  if (!TOKEN.test(token)) return { outcome: 'unknown' };
  const orderNo = await deps.store.orderByContactToken(contactTokenHash(token));
  if (!orderNo) return { outcome: 'unknown' };
  const now = deps.now?.() ?? new Date();
  const r = await deps.store.commit(orderNo, `contact-confirm:${orderNo}`, (o) =>
    o.citizenEmailConfirmedAt ? null : { entry: { step: 'contact-confirm', actor: 'citizen', note: '市民确认了接收通知的邮箱' }, patch: { citizenEmailConfirmedAt: now } },
  );
  return { outcome: r === 'accepted' ? 'confirmed' : 'already', orderNo };
}
