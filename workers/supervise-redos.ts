/**
 * 督办 after redos: the policy's redos are used up and the answer still failed review, or the
 * citizen is still unsatisfied. The order is flagged and the duty leader e-mailed; the model
 * decides what follows (close as unsatisfied, or back to the unit under supervision).
 */
import { z } from 'zod';
import { findUnit } from '../domain/catalog.js';
import { redoSupervisionMail, STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { dutyLeaderEmail } from '../usecases/duty.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), redoCount: z.number().int().min(0) }),
  create: ({ store, catalog, now, rota }) => async ({ orderNo, redoCount }, job) => {
    const order = await store.find(orderNo);
    if (!order) throw new Error(`order ${orderNo} is not in the database`);
    const unitName = (order.unitCode && findUnit(catalog, order.unitCode)?.name) || order.unitCode || '';
    const dedupKey = job.stepKey('supervise-redos');
    const leader = await dutyLeaderEmail({ rota, catalog }, now());
    await store.applyStep(
      orderNo,
      { step: 'supervise-redos', actor: 'hub', note: STEP_NOTES.superviseRedos(redoCount), detail: { redoCount, unit: order.unitCode }, dedupKey },
      { supervisedAt: now() },
      [{ channel: 'email', destination: leader, payload: { ...redoSupervisionMail({ orderNo, unitName, title: order.title, redos: redoCount }), orderNo }, dedupKey: `${dedupKey}:email` }],
    );
    return {};
  },
});
