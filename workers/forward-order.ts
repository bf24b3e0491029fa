/**
 * 转阅: the order is sent to a unit for reference, no reply due, and closes. By e-mail (the unit
 * systems' Kafka events are for orders they must answer); a confidential request goes as its summary.
 */
import { z } from 'zod';
import { findUnit } from '../domain/catalog.js';
import { forwardMail, STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { dispatchDecision } from './variables.js';
import { titleForUnit } from '../domain/masking.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), dispatch: dispatchDecision }),
  create: ({ store, catalog }) => async ({ orderNo, dispatch }, job) => {
    const order = await store.find(orderNo);
    if (!order) throw new Error(`order ${orderNo} is not in the database`);
    const unit = dispatch.unit ? findUnit(catalog, dispatch.unit) : undefined;
    if (!unit) throw new Error(`unit "${dispatch.unit}" is not in config/catalog.json; correct bpmn/dispatch.dmn`);
    const dedupKey = job.stepKey('forward');
    const description = order.citizenConfidential ? (order.unitSummary ?? '') : order.description;
    await store.applyStep(
      orderNo,
      { step: 'forward', actor: 'hub', note: STEP_NOTES.forward(unit.name), detail: { unit: unit.code }, dedupKey },
      { unitCode: unit.code },
      [{ channel: 'email', destination: unit.email, payload: { ...forwardMail({ orderNo, unitName: unit.name, title: titleForUnit(order, catalog.categories), description }), orderNo }, dedupKey: `${dedupKey}:email` }],
      { transition: 'forward' },
    );
    return {};
  },
});
