/**
 * Runs the job workers: one per BPMN task type (workers/<type>.ts). A handler receives parsed
 * variables and returns the variables to complete with; this runtime turns its outcome into
 * exactly one of complete, fail (retries left and a backoff) or error (a BPMN error code).
 */
import { z } from 'zod';
import type { Config } from '../config.js';
import type { OrderStore } from '../db/orders.js';
import type { Catalog } from '../../domain/catalog.js';
import { BusinessError, isTransient, RetriableError } from '../errors.js';
import type { Logger } from '../log.js';
import type { ZeebeClient } from './zeebe-client.js';

export interface WorkerDeps {
  store: OrderStore;
  catalog: Catalog;
  config: Config;
  log: Logger;
  now: () => Date;
}

export interface JobContext {
  taskType: string;
  /** Same for every retry of one task, new for every visit of the task (a redo dispatches anew). */
  elementInstanceKey: string;
  processInstanceKey: string;
}

export interface WorkerDefinition<S extends z.ZodType = z.ZodType> {
  /** The job variables the worker needs, validated before the handler runs. */
  variables: S;
  create(deps: WorkerDeps): (vars: z.output<S>, job: JobContext) => Promise<Record<string, unknown>>;
}

export const defineWorker = <S extends z.ZodType>(def: WorkerDefinition<S>): WorkerDefinition<S> => def;

/** Backoff for a retriable failure: 2 s, 4 s, 8 s ... capped at 5 minutes. */
export const retryBackoffMs = (retriesLeft: number, maxRetries = 5): number =>
  Math.min(300_000, 2000 * 2 ** Math.max(0, maxRetries - retriesLeft));

export function startWorkers(
  zeebe: ZeebeClient,
  registry: Record<string, WorkerDefinition>,
  deps: WorkerDeps,
): { close: () => Promise<void> } {
  const workers = Object.entries(registry).map(([taskType, def]) => {
    const handle = def.create(deps);
    const log = deps.log.child({ taskType });
    const schema = def.variables as z.ZodObject;
    return zeebe.createWorker({
      taskType,
      fetchVariable: Object.keys(schema.shape ?? {}) as never,
      maxJobsToActivate: 16,
      taskHandler: async (job) => {
        const orderNo = String((job.variables as Record<string, unknown>).orderNo ?? '?');
        const where = `order ${orderNo}, step ${taskType} (job ${job.key})`;
        const parsed = def.variables.safeParse(job.variables);
        if (!parsed.success) {
          const msg = `${where}: job variables are invalid: ${z.prettifyError(parsed.error)}. Fix the variables of the process instance, then raise the job's retries to resume.`;
          log.error({ orderNo, jobKey: job.key }, msg);
          return job.fail({ errorMessage: msg, retries: 0 });
        }
        try {
          const out = await handle(parsed.data, {
            taskType,
            elementInstanceKey: String(job.elementInstanceKey),
            processInstanceKey: String(job.processInstanceKey),
          });
          log.info({ orderNo, jobKey: job.key }, 'job completed');
          return job.complete(out as never);
        } catch (err) {
          if (err instanceof BusinessError) {
            log.info({ orderNo, code: err.code }, `business outcome: ${err.message}`);
            return job.error({ errorCode: err.code, errorMessage: err.message, variables: {} });
          }
          const message = (err as Error).message;
          if (err instanceof RetriableError || isTransient(err)) {
            const retries = Math.max(0, job.retries - 1);
            log.warn({ orderNo, retries, err: message }, 'retriable failure');
            return job.fail({
              errorMessage: `${where}: ${message}. Retrying by itself; if retries run out, check the dependency named here and raise the job's retries.`,
              retries,
              retryBackOff: retryBackoffMs(retries),
            });
          }
          log.error({ orderNo, err }, 'job failed: incident');
          return job.fail({
            errorMessage: `${where}: ${message}. This will not pass by retrying: fix the cause (data, model or code), then raise the job's retries.`,
            retries: 0,
          });
        }
      },
    });
  });
  return {
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
