/** 引导: the caller is told which unit or hotline to turn to (the dispatch DMN's advice); the order closes with that advice. */
import { z } from 'zod';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { dispatchDecision } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), dispatch: dispatchDecision }),
  create: ({ store }) => async ({ orderNo, dispatch }, job) => {
    const advice = dispatch.advice ?? '';
    await store.applyStep(orderNo, { step: 'refer', actor: 'dmn:dispatch', note: STEP_NOTES.refer(advice), detail: { advice }, dedupKey: job.stepKey('refer') }, {}, [], { transition: 'refer' });
    return {};
  },
});
