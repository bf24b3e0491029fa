/**
 * Runs the job workers on Zeebe: one per BPMN task type (workers/<type>.ts). This binding turns
 * a handler's outcome into exactly one of complete, fail (retries left and a backoff) or error (a
 * BPMN error code); errors.ts's jobOutcome decides which.
 */
import { z } from 'zod';
import { contextOf, inSpan, markError, SpanKind } from '../tracing.js';
import { invalidVariables, jobFailure } from './job-failure.js';
import { jobContext, type WorkerDefinition, type WorkerDeps } from './job-contract.js';
import { noTrail, type TrailKind } from '../db/trail.js';
import { countJob } from '../metrics.js';
import type { ZeebeClient } from './zeebe-client.js';

const RETRY_HOW = "raise the job's retries";

export function startWorkers(
  zeebe: ZeebeClient,
  registry: Record<string, WorkerDefinition>,
  deps: WorkerDeps,
  opts: { maxJobsToActivate: number } = { maxJobsToActivate: 32 },
): { close: () => Promise<void> } {
  const trail = deps.trail ?? noTrail;
  const workers = Object.entries(registry).map(([taskType, def]) => {
    const handle = def.create(deps);
    const log = deps.log.child({ taskType });
    const schema = def.variables as z.ZodObject;
    return zeebe.createWorker({
      taskType,
      fetchVariable: [...Object.keys(schema.shape ?? {}), 'traceparent'] as never,
      maxJobsToActivate: opts.maxJobsToActivate,
      // A job held by a worker that died goes back to the others after this long.
      timeout: 30_000,
      taskHandler: (job) => inSpan(`job ${taskType}`, { kind: SpanKind.CONSUMER, parent: contextOf((job.variables as Record<string, unknown>).traceparent), attributes: { 'hub.order_no': String((job.variables as Record<string, unknown>).orderNo ?? ''), 'hub.engine': 'zeebe', 'bpmn.process_id': job.bpmnProcessId, 'bpmn.element_id': job.elementId, 'zeebe.job.key': String(job.key) } }, async (span) => {
        const rawOrderNo = (job.variables as Record<string, unknown>).orderNo;
        const orderNo = String(rawOrderNo ?? '?');
        const where = `order ${orderNo}, step ${taskType} (job ${job.key})`;
        const started = Date.now();
        const note = (kind: TrailKind, detail: Record<string, unknown> = {}): void => {
          countJob(taskType, kind, Date.now() - started);
          span.setAttribute('hub.job.outcome', kind);
          if (kind === 'incident' || kind === 'job-failed') markError(span, String(detail.error ?? kind));
          trail.record({
            orderNo: typeof rawOrderNo === 'string' ? rawOrderNo : null,
            kind,
            component: taskType,
            elementInstanceKey: String(job.elementInstanceKey),
            detail: { engine: 'zeebe', jobKey: String(job.key), processInstanceKey: String(job.processInstanceKey), bpmnProcessId: job.bpmnProcessId, processVersion: job.processDefinitionVersion, elementId: job.elementId, ms: Date.now() - started, ...detail },
          });
        };
        const parsed = def.variables.safeParse(job.variables);
        if (!parsed.success) {
          const msg = invalidVariables(where, z.prettifyError(parsed.error), RETRY_HOW);
          log.error({ orderNo, jobKey: job.key }, msg);
          note('incident', { error: msg });
          return job.fail({ errorMessage: msg, retries: 0 });
        }
        try {
          const out = await handle(parsed.data, jobContext(taskType, orderNo, job.elementInstanceKey, job.processInstanceKey));
          log.debug({ orderNo, jobKey: job.key }, 'job completed');
          note('job-completed');
          return job.complete(out as never);
        } catch (err) {
          const outcome = jobFailure(where, err, job.retries, RETRY_HOW);
          if (outcome.kind === 'bpmn-error') {
            log.info({ orderNo, code: outcome.code }, `business outcome: ${outcome.message}`);
            note('job-error', { code: outcome.code, message: outcome.message });
            return job.error({ errorCode: outcome.code, errorMessage: outcome.message, variables: {} });
          }
          if (outcome.kind === 'retry') {
            log.warn({ orderNo, retries: outcome.retries, err }, 'retriable failure');
            note('job-failed', { error: outcome.message, retriesLeft: outcome.retries, backoffMs: outcome.backoffMs });
            return job.fail({ errorMessage: outcome.message, retries: outcome.retries, retryBackOff: outcome.backoffMs });
          }
          log.error({ orderNo, err }, 'job failed: incident');
          note('incident', { error: outcome.message });
          return job.fail({ errorMessage: outcome.message, retries: 0 });
        }
      }),
    });
  });
  return {
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
