/**
 * 协办超时: a helper unit gave no answer by the lead's deadline. It is recorded and the helper told;
 * the lead's reply no longer waits for it. A helper whose answer came in as the timer fired is
 * left as it is: its answer stands.
 */
import { z } from 'zod';
import { findUnit } from '../domain/catalog.js';
import { chinaTime, STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { instant } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), helper: z.string(), dispatchSeq: z.number().int(), helpersDueAt: instant }),
  create: ({ store, catalog }) => async ({ orderNo, helper, dispatchSeq, helpersDueAt }, job) => {
    const unit = findUnit(catalog, helper);
    if (!unit) throw new Error(`helper unit "${helper}" is not in config/catalog.json`);
    const ofThisHelper = (h: { detail: string | null }) => {
      const d = JSON.parse(h.detail ?? '{}') as { unit?: string; dispatchSeq?: number };
      return d.unit === helper && d.dispatchSeq === dispatchSeq;
    };
    const dedupKey = job.stepKey('helper-timeout');
    const note = STEP_NOTES.helperTimeout(unit.name, chinaTime(helpersDueAt));
    // Decided on the locked order: a helper's answer committed first stands, and one that comes
    // after this is refused (usecases/co-handling.ts); never both.
    await store.commit(orderNo, dedupKey, async (_order, read) =>
      (await read.steps('helper-reply')).some(ofThisHelper)
        ? null
        : {
            entry: { step: 'helper-timeout', actor: 'hub', note, detail: { unit: helper, dispatchSeq } },
            outbox: [{ channel: 'email', destination: unit.email, payload: { subject: `【12345热线】工单 ${orderNo} 协办意见已逾期`, text: `${unit.name}：\n\n${note}。\n\n12345政务服务便民热线`, orderNo }, dedupKey: `${dedupKey}:email` }],
          },
    );
    return {};
  },
});
