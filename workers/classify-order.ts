/**
 * 分类: records the dispatch decision the DMN made, after checking its unit exists, and the
 * process instance that carries the order (the first one only). 回避 is law, not a rule a process
 * owner may forget: when the DMN picks the very unit the request complains about, its supervising
 * unit (catalog) takes the order, and where there is none the model waits for a dispatcher
 * (`needsDispatcher`, the gateway after this task routes on it).
 */
import { z } from 'zod';
import { findUnit, recuse } from '../domain/catalog.js';
import { STEP_NOTES } from '../domain/text.js';
import { InstanceConflict } from '../usecases/ports.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { BusinessError } from '../usecases/errors.js';
import { dispatchDecision } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), dispatch: dispatchDecision, complainedUnit: z.string().nullish() }),
  outputs: z.object({ dispatch: dispatchDecision, handlingMode: dispatchDecision.shape.mode, needsDispatcher: z.boolean() }),
  errors: ['DUPLICATE_INSTANCE'],
  create: ({ store, catalog, decisions, catalogues }) => async ({ orderNo, dispatch, complainedUnit }, job) => {
    // 派单目录: which version of the catalogue placed the order — the one the engine evaluated, by the
    // mark its copy carries; a table deployed before the mark existed, what this hub deployed last.
    const evaluated = dispatch.catalogueStamp ? await catalogues?.catalogueVersionOf(dispatch.catalogueStamp) : null;
    const version = evaluated ?? decisions?.dispatch;
    const catalogueVersion = version ? `dispatch v${version}` : null;
    const needsUnit = dispatch.mode !== 'answer-now' && dispatch.mode !== 'refer' && dispatch.mode !== 'coordinate';
    if (needsUnit && (!dispatch.unit || !findUnit(catalog, dispatch.unit))) {
      throw new Error(
        `the dispatch decision names unit "${dispatch.unit}", which config/catalog.json does not list; ` +
          'correct bpmn/dispatch.dmn or the catalog',
      );
    }
    const { unit, recused } = needsUnit ? recuse(catalog, dispatch.unit, complainedUnit ?? null) : { unit: dispatch.unit, recused: false };
    const { catalogueStamp: _stamp, ...decision } = dispatch;
    const decided = { ...decision, unit };
    const needsDispatcher = needsUnit && unit === null;
    const name = (code: string | null) => (code ? (findUnit(catalog, code)?.name ?? code) : null);
    const note = recused ? `${STEP_NOTES.classify(dispatch.mode, name(unit))}；${STEP_NOTES.recused(name(complainedUnit ?? null)!, name(unit))}` : STEP_NOTES.classify(dispatch.mode, name(unit));
    await store.applyStep(
      orderNo,
      { step: 'classify', actor: 'dmn:dispatch', note, detail: { decision: dispatch, recused, unit, catalogueVersion }, dedupKey: job.stepKey('classify') },
      { handlingMode: dispatch.mode, unitCode: unit, catalogueVersion },
      [],
      { transition: needsDispatcher ? 'awaitAssignment' : 'classify', claimInstance: job.processInstanceKey },
    ).catch((err: unknown) => {
      // A second instance of one order (its start was delivered twice after the first ended):
      // the model ends it at once.
      if (err instanceof InstanceConflict) throw new BusinessError('DUPLICATE_INSTANCE', err.message);
      throw err;
    });
    return { dispatch: decided, handlingMode: decided.mode, needsDispatcher };
  },
});
