/**
 * 催报进展: an urgent order's unit, on site, has sent no progress report by the time one was due;
 * chased (counted against it), and the next report falls due one interval later (plan-progress).
 */
import { z } from 'zod';
import { defineWorker } from '../infra/engine/job-contract.js';
import { raiseAlarm } from '../usecases/chase-unit.js';
import { instant } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), dispatchSeq: z.number().int().min(1), progressDueAt: instant }),
  create: (deps) => async ({ orderNo, dispatchSeq, progressDueAt }) => {
    await raiseAlarm(deps, { kind: 'chase-progress', orderNo, dispatchSeq, at: progressDueAt });
    return {};
  },
});
