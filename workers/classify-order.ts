/**
 * 分类: records the dispatch decision the DMN made, after checking its unit exists, and the
 * process instance that carries the order (the first one only).
 */
import { z } from 'zod';
import { findUnit } from '../domain/catalog.js';
import { STEP_NOTES } from '../domain/text.js';
import { InstanceConflict } from '../infra/db/orders.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { BusinessError } from '../infra/errors.js';
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
      { step: 'classify', actor: 'dmn:dispatch', note: STEP_NOTES.classify(dispatch.mode, dispatch.unit), detail: dispatch, dedupKey: job.stepKey('classify') },
      { handlingMode: dispatch.mode, unitCode: dispatch.unit },
      [],
      { transition: 'classify', claimInstance: job.processInstanceKey },
    ).catch((err: unknown) => {
      // A second instance of one order (its start was delivered twice after the first ended):
      // the model ends it at once.
      if (err instanceof InstanceConflict) throw new BusinessError('DUPLICATE_INSTANCE', err.message);
      throw err;
    });
    return {};
  },
});
