/**
 * 紧急件 进展: when the next progress report of an urgent order is due — the policy's interval after
 * the latest of: the unit on site, its last report, the last chase for one. An instant anchored on
 * what happened (as every other timer of the order), not on when the engine got here.
 */
import { z } from 'zod';
import { timerDate } from '../domain/deadline.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { handlingPolicy, timerInstant } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), dispatchSeq: z.number().int().min(1), policy: handlingPolicy }),
  outputs: z.object({ progressDueAt: timerInstant }),
  create: ({ store }) => async ({ orderNo, dispatchSeq, policy }) => {
    const order = await store.find(orderNo);
    if (!order) throw new Error(`order ${orderNo} is not in the database`);
    const ofThisDispatch = (h: { detail: string | null }) => (JSON.parse(h.detail ?? '{}') as { dispatchSeq?: number }).dispatchSeq === dispatchSeq;
    const history = (await store.history(orderNo)).filter((h) => ['on-site', 'progress', 'chase-progress'].includes(h.step) && ofThisDispatch(h));
    // A chase counts from the instant it was due, so that a late worker does not push the next one out.
    const times = history.map((h) => (h.step === 'chase-progress' ? Date.parse((JSON.parse(h.detail ?? '{}') as { at: string }).at) : h.occurredAt.getTime()));
    const base = Math.max(order.onSiteAt?.getTime() ?? 0, ...times);
    if (!base) throw new Error(`order ${orderNo}: no on-site confirmation to count progress reports from`);
    return { progressDueAt: timerDate(new Date(base + (policy.progressMinutes ?? 60) * 60_000)) };
  },
});
