/**
 * 重办: the answer was rejected at review, the citizen was unsatisfied, or a supervisor's spot
 * check failed it after closing (a new instance, `reopened`: this job claims it for the order);
 * the order goes back to a unit (the model counts the redos).
 */
import { z } from 'zod';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { BusinessError } from '../usecases/errors.js';
import { InstanceConflict } from '../usecases/ports.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), redoCount: z.number().int().min(0), reopened: z.boolean().default(false) }),
  outputs: z.object({ redoCount: z.number().int().min(1) }),
  errors: ['DUPLICATE_INSTANCE'],
  create: ({ store }) => async ({ orderNo, redoCount, reopened }, job) => {
    await store
      .applyStep(
        orderNo,
        { step: 'redo', actor: 'hub', note: reopened ? STEP_NOTES.reopenedRedo : STEP_NOTES.redo, dedupKey: job.stepKey('redo') },
        { increment: 'redoCount' },
        [],
        { transition: 'redo', claimInstance: job.processInstanceKey },
      )
      .catch((err: unknown) => {
        // A second start of one reopening (its message delivered twice): the model ends it at once.
        if (err instanceof InstanceConflict) throw new BusinessError('DUPLICATE_INSTANCE', err.message);
        throw err;
      });
    return { redoCount: redoCount + 1 };
  },
});
