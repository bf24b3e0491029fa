/** 催办: the deadline has come without an answer; the unit is chased, and it counts against it. */
import { z } from 'zod';
import { defineWorker } from '../infra/engine/job-contract.js';
import { raiseAlarm } from '../usecases/chase-unit.js';
import { instant } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), dispatchSeq: z.number().int().min(1), dueAt: instant }),
  create: (deps) => async ({ orderNo, dispatchSeq, dueAt }) => {
    await raiseAlarm(deps, { kind: 'chase', orderNo, dispatchSeq, at: dueAt });
    return {};
  },
});
