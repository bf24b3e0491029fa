/** 分类: records the dispatch decision the DMN made, after checking its unit exists. */
import { z } from 'zod';
import { findUnit } from '../domain/catalog.js';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-runtime.js';
import { dispatchDecision } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), dispatch: dispatchDecision }),
  create: ({ store, catalog }) => async ({ orderNo, dispatch }, job) => {
    if (dispatch.mode !== 'answer-now' && (!dispatch.unit || !findUnit(catalog, dispatch.unit))) {
      throw new Error(
        `the dispatch decision names unit "${dispatch.unit}", which config/catalog.json does not list; ` +
          'correct bpmn/dispatch.dmn or the catalog',
      );
    }
    await store.applyStep(
      orderNo,
      { step: 'classify', actor: 'dmn:dispatch', note: STEP_NOTES.classify(dispatch.mode, dispatch.unit), detail: dispatch, dedupKey: `classify:${job.elementInstanceKey}` },
      { handlingMode: dispatch.mode, unitCode: dispatch.unit },
    );
    return {};
  },
});
