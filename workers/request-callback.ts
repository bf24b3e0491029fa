/** 回访: the order waits for the callback to the citizen, whose satisfaction is recorded. */
import { z } from 'zod';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string() }),
  create: ({ store }) => async ({ orderNo }, job) => {
    await store.applyStep(orderNo, { step: 'callback-requested', actor: 'hub', note: STEP_NOTES.callbackRequested, dedupKey: job.stepKey('callback-requested') }, {}, [], { transition: 'requestCallback' });
    return {};
  },
});
