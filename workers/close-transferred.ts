/** 已移交: the emergency line acknowledged; the hotline's part ends with the line's incident id recorded. */
import { z } from 'zod';
import { findPartner } from '../domain/catalog.js';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), emergencyTransfer: z.object({ partner: z.string() }), partnerAck: z.object({ partner: z.string(), incidentId: z.string() }).nullish() }),
  create: ({ store, catalog, now }) => async ({ orderNo, emergencyTransfer, partnerAck }, job) => {
    const name = findPartner(catalog, emergencyTransfer.partner)?.name ?? emergencyTransfer.partner;
    await store.applyStep(
      orderNo,
      { step: 'transferred', actor: 'hub', note: STEP_NOTES.transferred(name), detail: { partner: emergencyTransfer.partner, incidentId: partnerAck?.incidentId ?? null }, dedupKey: job.stepKey('transferred') },
      { closedAt: now() },
      [],
      { transition: 'transfer' },
    );
    return {};
  },
});
