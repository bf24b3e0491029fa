/** 督办: still no answer after the chase; the second chase goes to the duty leader and the order is flagged. */
import { z } from 'zod';
import { defineWorker } from '../infra/engine/job-contract.js';
import { raiseAlarm } from '../usecases/chase-unit.js';
import { instant } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), dispatchSeq: z.number().int().min(1), escalateAt: instant }),
  create: (deps) => async ({ orderNo, dispatchSeq, escalateAt }) => {
    await raiseAlarm(deps, { kind: 'supervise', orderNo, dispatchSeq, at: escalateAt });
    return {};
  },
});
