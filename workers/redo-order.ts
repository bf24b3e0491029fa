/** 重办: the answer was rejected at review, or the citizen was unsatisfied; the order goes back to a unit (the model counts the redos). */
import { z } from 'zod';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), redoCount: z.number().int().min(0) }),
  outputs: z.object({ redoCount: z.number().int().min(1) }),
  create: ({ store }) => async ({ orderNo, redoCount }, job) => {
    await store.applyStep(orderNo, { step: 'redo', actor: 'hub', note: STEP_NOTES.redo, dedupKey: job.stepKey('redo') }, { increment: 'redoCount' }, [], { transition: 'redo' });
    return { redoCount: redoCount + 1 };
  },
});
