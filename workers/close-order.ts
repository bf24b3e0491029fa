/** 办结: the order is closed. */
import { z } from 'zod';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string() }),
  create: ({ store, now }) => async ({ orderNo }, job) => {
    await store.applyStep(orderNo, { step: 'close', actor: 'hub', note: STEP_NOTES.close, dedupKey: job.stepKey('close') }, { closedAt: now() }, [], { transition: 'close' });
    return {};
  },
});
