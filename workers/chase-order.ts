/** 催办: the unit's deadline has come without a reply; the chase is recorded (全程留痕). */
import { z } from 'zod';
import { findUnit } from '../domain/catalog.js';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), unit: z.string() }),
  create: ({ store, catalog }) => async ({ orderNo, unit }, job) => {
    const name = findUnit(catalog, unit)?.name ?? unit;
    await store.applyStep(orderNo, { step: 'chase', actor: 'hub', note: STEP_NOTES.chase(name), dedupKey: job.stepKey('chase') }, { increment: 'chaseCount' });
    return {};
  },
});
