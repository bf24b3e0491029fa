/** 审核: the centre reviews the unit's reply. Automatic in the walking skeleton: a reply with a result passes. */
import { z } from 'zod';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { unitReply } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), reply: unitReply }),
  create: ({ store }) => async ({ orderNo, reply }, job) => {
    await store.applyStep(orderNo, { step: 'review', actor: 'hub:auto-review', note: STEP_NOTES.review, detail: { replyId: reply.id }, dedupKey: job.stepKey('review') }, {}, [], { transition: 'review' });
    return { reviewApproved: true };
  },
});
