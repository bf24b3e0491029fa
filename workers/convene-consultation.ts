/**
 * 疑难件：召集会诊. hard-case.dmn (or a supervisor at the return review) made the order a hard case:
 * it is marked as one with the reason (counted apart in the statistics), every unit that has had
 * it is convened, by e-mail, with the duty leader on duty (a leaders' consultation), and a
 * supervisor's task (consultation) waits for the decision: the lead unit and the longer deadline.
 * 回避 holds: the unit complained about is not convened.
 */
import { z } from 'zod';
import { findUnit } from '../domain/catalog.js';
import { consultationMail, STEP_NOTES } from '../domain/text.js';
import { titleForUnit } from '../domain/masking.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { dutyLeaderEmail } from '../usecases/duty.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), hardCase: z.object({ hardCase: z.literal(true), reason: z.string().min(1), workingDays: z.number().int().min(1) }) }),
  create: ({ store, catalog, now, rota }) => async ({ orderNo, hardCase }, job) => {
    const order = await store.find(orderNo);
    if (!order) throw new Error(`order ${orderNo} is not in the database`);
    // The units that have had it, in the order they got it.
    const dispatched = (await store.history(orderNo)).filter((h) => h.step === 'dispatch').map((h) => String((JSON.parse(h.detail ?? '{}') as { unit?: string }).unit ?? ''));
    const codes = [...new Set(dispatched)].filter((c) => c && c !== order.complainedUnit && findUnit(catalog, c));
    const units = codes.map((c) => findUnit(catalog, c)!);
    const names = units.map((u) => u.name);
    const reason = hardCase.reason.slice(0, 200);
    const dedupKey = job.stepKey('hard-case');
    const leader = await dutyLeaderEmail({ rota, catalog }, now());
    const mail = (unitName: string, title: string) => ({ ...consultationMail({ orderNo, unitName, title, reason, units: names }), orderNo });
    await store.applyStep(
      orderNo,
      { step: 'hard-case', actor: 'hub', note: STEP_NOTES.hardCase(reason, names), detail: { reason, units: codes, workingDays: hardCase.workingDays }, dedupKey },
      { hardCaseAt: now(), hardCaseReason: reason },
      [
        ...units.map((u) => ({ channel: 'email' as const, destination: u.email, payload: mail(u.name, titleForUnit(order, catalog.categories)), dedupKey: `${dedupKey}:email:${u.code}` })),
        { channel: 'email' as const, destination: leader, payload: mail('值班领导', titleForUnit(order, catalog.categories)), dedupKey: `${dedupKey}:email:leader` },
      ],
      { transition: 'consult', openTask: { orderNo, kind: 'consultation', role: 'supervisor', detail: { reason, workingDays: hardCase.workingDays, units: codes, unitNames: names }, dedupKey: `task:${dedupKey}` } },
    );
    return {};
  },
});
