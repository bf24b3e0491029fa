/**
 * 审核: the centre reviews the unit's answer. Where bpmn/review-policy.dmn asks for a person, a
 * supervisor's task is opened (the model waits for its decision); otherwise an answer with a
 * result passes on its own. Either way the step is in the history.
 */
import { z } from 'zod';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { unitReply } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), reply: unitReply, reviewPolicy: z.object({ manualReview: z.boolean() }), dispatchSeq: z.number().int().min(1) }),
  create: ({ store }) => async ({ orderNo, reply, reviewPolicy, dispatchSeq }, job) => {
    const dedupKey = job.stepKey('review');
    if (!reviewPolicy.manualReview) {
      await store.applyStep(orderNo, { step: 'review', actor: 'hub:auto-review', note: STEP_NOTES.review, detail: { replyId: reply.id }, dedupKey }, {}, [], { transition: 'review' });
      return {};
    }
    await store.applyStep(
      orderNo,
      { step: 'review-requested', actor: 'hub', note: STEP_NOTES.reviewRequested, detail: { replyId: reply.id, dispatchSeq }, dedupKey },
      {},
      [],
      {
        transition: 'review',
        openTask: { orderNo, kind: 'reply-review', role: 'supervisor', detail: { replyId: reply.id, unit: reply.unit, result: reply.result, handledBy: reply.handledBy, repliedAt: reply.repliedAt, dispatchSeq }, dedupKey: `task:${dedupKey}` },
      },
    );
    return {};
  },
});
