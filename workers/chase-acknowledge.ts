/** 签收超时: the unit has not acknowledged the order in time; it is chased once (unless it acknowledged meanwhile). */
import { z } from 'zod';
import { defineWorker } from '../infra/engine/job-contract.js';
import { raiseAlarm } from '../usecases/chase-unit.js';
import { instant } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), dispatchSeq: z.number().int().min(1), acknowledgeBy: instant }),
  create: (deps) => async ({ orderNo, dispatchSeq, acknowledgeBy }) => {
    await raiseAlarm(deps, { kind: 'chase-acknowledge', orderNo, dispatchSeq, at: acknowledgeBy });
    return {};
  },
});
