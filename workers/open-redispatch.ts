/**
 * 改派任务: a returned order that hard-case.dmn did not make a hard case goes to a dispatcher. The
 * task carries the return as the unit made it (who, why, on which dispatch), read from the order's
 * last return; the model then waits for the dispatcher's decision (wait-redispatch). Opened here,
 * by the model, and not by the return itself, so that a hard case never shows a dispatcher a task
 * the process no longer waits for.
 */
import { z } from 'zod';
import { findUnit } from '../domain/catalog.js';
import { defineWorker } from '../infra/engine/job-contract.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string() }),
  create: ({ store, catalog }) => async ({ orderNo }, job) => {
    const last = (await store.history(orderNo)).findLast((h) => h.step === 'return');
    if (!last) throw new Error(`order ${orderNo} has no return to re-dispatch`);
    const r = JSON.parse(last.detail ?? '{}') as { unit?: string; reason?: string; dispatchSeq?: number };
    const detail = { returnedBy: r.unit ?? null, returnedByName: (r.unit && findUnit(catalog, r.unit)?.name) || r.unit || null, reason: r.reason ?? '', dispatchSeq: r.dispatchSeq ?? null };
    const dedupKey = `task:${job.stepKey('open-redispatch')}`;
    // The order locked: a job run twice (its completion lost) finds the task the first run opened.
    await store.withOrder(orderNo, async (_order, tx) => {
      if ((await store.tasks({ orderNo, kind: 'redispatch', status: 'open', limit: 1 })).length > 0) return;
      await tx.openTask({ orderNo, kind: 'redispatch', role: 'dispatcher', detail, dedupKey });
    });
    return {};
  },
});
