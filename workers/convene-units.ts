/**
 * 协调办理: the centre convenes several units (the dispatch DMN's "units"); each is mailed the
 * notice, and a supervisor's task (coordination) waits for the outcome, which closes the order.
 * 回避 holds here too: the unit complained about is never convened.
 */
import { z } from 'zod';
import { findUnit } from '../domain/catalog.js';
import { conveneMail, STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { dispatchDecision } from './variables.js';
import { titleForUnit } from '../domain/masking.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), dispatch: dispatchDecision }),
  create: ({ store, catalog }) => async ({ orderNo, dispatch }, job) => {
    const order = await store.find(orderNo);
    if (!order) throw new Error(`order ${orderNo} is not in the database`);
    const codes = (dispatch.units ?? '').split(',').map((c) => c.trim()).filter((c) => c && c !== order.complainedUnit);
    const units = codes.map((c) => findUnit(catalog, c));
    if (units.length === 0 || units.some((u) => !u)) throw new Error(`order ${orderNo}: the units to convene "${dispatch.units}" are not all in config/catalog.json; correct bpmn/dispatch.dmn`);
    const names = units.map((u) => u!.name);
    const description = order.citizenConfidential ? (order.unitSummary ?? '') : order.description;
    const dedupKey = job.stepKey('convene');
    await store.applyStep(
      orderNo,
      { step: 'convene', actor: 'hub', note: STEP_NOTES.convene(names), detail: { units: codes }, dedupKey },
      { unitCode: dispatch.unit && dispatch.unit !== order.complainedUnit ? dispatch.unit : codes[0]! },
      units.map((u) => ({ channel: 'email' as const, destination: u!.email, payload: { ...conveneMail({ orderNo, unitName: u!.name, title: titleForUnit(order, catalog.categories), description, units: names }), orderNo }, dedupKey: `${dedupKey}:email:${u!.code}` })),
      { transition: 'convene', openTask: { orderNo, kind: 'coordination', role: 'supervisor', detail: { units: codes, unitNames: names }, dedupKey: `task:${dedupKey}` } },
    );
    return {};
  },
});
