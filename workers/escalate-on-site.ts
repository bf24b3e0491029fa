/** 紧急件: the unit has not confirmed it is on site by the deadline; supervision at once (the duty leader is e-mailed, the order flagged). */
import { z } from 'zod';
import { defineWorker } from '../infra/engine/job-contract.js';
import { raiseAlarm } from '../usecases/chase-unit.js';
import { instant } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), dispatchSeq: z.number().int().min(1), dueAt: instant }),
  create: (deps) => async ({ orderNo, dispatchSeq, dueAt }) => {
    await raiseAlarm(deps, { kind: 'on-site-overdue', orderNo, dispatchSeq, at: dueAt });
    return {};
  },
});
