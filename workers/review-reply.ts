/**
 * 审核: the centre reviews the unit's answer. Where bpmn/review-policy.dmn asks for a person, or
 * the answer reads as not addressing the request (答非所问: too short, no shared terms, a template
 * phrase without an action — domain/reply-quality.ts), a supervisor's task is opened with the
 * reasons (the model waits for its decision); otherwise the answer passes on its own. Either way
 * the step is in the history.
 */
import { z } from 'zod';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { unitReply } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), reply: unitReply, reviewPolicy: z.object({ manualReview: z.boolean() }), dispatchSeq: z.number().int().min(1) }),
  // No null in it: a process variable the engines keep as given, on both (the score is in the step's detail).
  outputs: z.object({ replyReview: z.object({ manual: z.boolean(), reasons: z.array(z.string()) }) }),
  create: ({ store, replyQuality }) => async ({ orderNo, reply, reviewPolicy, dispatchSeq }, job) => {
    const dedupKey = job.stepKey('review');
    const order = await store.find(orderNo);
    const verdict = order && replyQuality ? replyQuality(`${order.title}\n${order.description}`, reply.result) : null;
    const manual = reviewPolicy.manualReview || !!verdict?.low;
    const replyReview = { manual, reasons: verdict?.low ? verdict.reasons : [] };
    if (!manual) {
      await store.applyStep(orderNo, { step: 'review', actor: 'hub:auto-review', note: STEP_NOTES.review, detail: { replyId: reply.id, quality: verdict?.score ?? null }, dedupKey }, {}, [], { transition: 'review' });
      return { replyReview };
    }
    await store.applyStep(
      orderNo,
      { step: 'review-requested', actor: 'hub', note: replyReview.reasons.length ? `${STEP_NOTES.reviewRequested}（答复质量：${replyReview.reasons.join('；')}）` : STEP_NOTES.reviewRequested, detail: { replyId: reply.id, dispatchSeq, quality: { score: verdict?.score ?? null, reasons: replyReview.reasons } }, dedupKey },
      {},
      [],
      {
        transition: 'review',
        openTask: { orderNo, kind: 'reply-review', role: 'supervisor', detail: { replyId: reply.id, unit: reply.unit, result: reply.result, handledBy: reply.handledBy, repliedAt: reply.repliedAt, dispatchSeq, qualityReasons: replyReview.reasons }, dedupKey: `task:${dedupKey}` },
      },
    );
    return { replyReview };
  },
});
