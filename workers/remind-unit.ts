/** 提醒: the deadline is near; the unit is reminded (not counted against it). */
import { z } from 'zod';
import { defineWorker } from '../infra/engine/job-contract.js';
import { raiseAlarm } from '../usecases/chase-unit.js';
import { instant } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), dispatchSeq: z.number().int().min(1), remindAt: instant }),
  create: (deps) => async ({ orderNo, dispatchSeq, remindAt }) => {
    await raiseAlarm(deps, { kind: 'remind', orderNo, dispatchSeq, at: remindAt });
    return {};
  },
});
