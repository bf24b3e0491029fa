/**
 * 政务公开: the centre publishes a closed order for the public, with a summary it writes and the
 * unit's answer, both anonymised (domain/disclosure.ts) and checked once more for the citizen's
 * name and phone; or withdraws it. A confidential request (保密件) is never published.
 */
import { anonymise, leaks } from '../domain/disclosure.js';
import { STEP_NOTES } from '../domain/text.js';
import type { OrderStore } from './ports.js';
import { HubError } from './errors.js';

export class PublishRefused extends HubError {
  constructor(code: 'NOT_CLOSED' | 'CONFIDENTIAL' | 'PERSONAL_DATA_LEFT' | 'NOT_PUBLISHED', message: string) {
    super(code, message, false);
  }
}

export async function publishOrder(
  d: { store: OrderStore; now: () => Date },
  orderNo: string,
  text: { summary: string; answer?: string },
  actor: string,
): Promise<{ summary: string; answer: string }> {
  const lastReply = [...(await d.store.history(orderNo))].reverse().find((h) => h.step === 'reply');
  return d.store.withOrder(orderNo, async (order, tx) => {
    if (order.status !== 'closed') throw new PublishRefused('NOT_CLOSED', `order ${orderNo} is ${order.status}; only a closed order is published`);
    if (order.citizenConfidential) throw new PublishRefused('CONFIDENTIAL', `order ${orderNo} is confidential (保密件) and is never published`);
    const subject = { name: order.citizenName, phone: order.citizenPhone, address: order.address };
    const answerSource = text.answer ?? String((JSON.parse(lastReply?.detail ?? '{}') as { result?: string }).result ?? '');
    const summary = anonymise(text.summary, subject);
    const answer = anonymise(answerSource, subject);
    const left = [...leaks(summary, subject), ...leaks(answer, subject)];
    if (left.length > 0) throw new PublishRefused('PERSONAL_DATA_LEFT', `order ${orderNo}: the texts still contain ${left.join(' and ')}; rewrite them`);
    await tx.apply(
      orderNo,
      { step: 'publish', actor, note: STEP_NOTES.published, detail: { summary, answer }, dedupKey: `publish:${orderNo}:${d.now().getTime()}` },
      { publishedAt: d.now(), publishedBy: actor, publicSummary: summary, publicAnswer: answer },
    );
    return { summary, answer };
  });
}

export async function withdrawOrder(d: { store: OrderStore; now: () => Date }, orderNo: string, actor: string): Promise<void> {
  await d.store.withOrder(orderNo, async (order, tx) => {
    if (!order.publishedAt) throw new PublishRefused('NOT_PUBLISHED', `order ${orderNo} is not published`);
    await tx.apply(orderNo, { step: 'unpublish', actor, note: STEP_NOTES.unpublished, dedupKey: `unpublish:${orderNo}:${d.now().getTime()}` }, { publishedAt: null, publishedBy: null, publicSummary: null, publicAnswer: null });
  });
}
