/** 当即答复: the call-taker answered from the knowledge base; nothing is dispatched. */
import { z } from 'zod';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string() }),
  create: ({ store }) => async ({ orderNo }, job) => {
    await store.applyStep(orderNo, { step: 'answer', actor: 'hotline', note: STEP_NOTES.answer, dedupKey: job.stepKey('answer') }, {}, [], { transition: 'answer' });
    return {};
  },
});
