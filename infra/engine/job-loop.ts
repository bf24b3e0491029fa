/**
 * The one job loop both engine bindings run (zeebe-jobs.ts, camunda7-jobs.ts): validate the job's
 * variables → run the worker → end the job in exactly one of complete, fail (retries left and a
 * backoff; none left is an incident) or a BPMN error the model catches (job-failure.ts decides
 * which). The order trail, the job metrics and the span record the outcome only once the engine
 * has accepted it: a completion the engine refuses (the job timed out and went to another worker,
 * Camunda 7's optimistic locking) is logged and leaves no entry for a job that will run again. An
 * outcome that did not reach the engine (a broker died under the call, its partition fails over)
 * is sent again a few times within seconds, not left to the job's 30 s timeout.
 */
import { z } from 'zod';
import { contextOf, inSpan, markError, SpanKind } from '../tracing.js';
import { invalidVariables, jobFailure } from './job-failure.js';
import { jobContext, type WorkerDefinition, type WorkerDeps } from './job-contract.js';
import { noTrail, type TrailKind } from '../db/trail.js';
import { countJob } from '../metrics.js';
import { isRetriable } from '../errors.js';
import type { Config } from '../config.js';

/** One job as an engine binding hands it over, in the engine's own keys made to strings. */
export interface EngineJob {
  /** The job's own key (Zeebe job key, Camunda 7 external task id): what messages and the trail name. */
  key: string;
  variables: Record<string, unknown>;
  /** Retries left, as the engine counts them. */
  retries: number;
  elementInstanceKey: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  /** What the trail keeps of the job besides the shared fields (the engine's own names for its keys). */
  trailDetail: Record<string, unknown>;
  /** Span attributes of the engine's own. */
  spanAttributes?: Record<string, string>;
}

/** How the engine takes each outcome: each call resolves once the engine has accepted it, and rejects when it refused. */
export interface JobActions {
  complete(variables: Record<string, unknown>): Promise<unknown>;
  fail(f: { message: string; retries: number; backoffMs: number }): Promise<unknown>;
  error(code: string, message: string): Promise<unknown>;
}

export interface EngineBinding {
  engine: Config['HUB_ENGINE'];
  /** How a job is named in messages: "job 123", "external task ab-12". */
  jobNoun: string;
  /** How an operator gives a job its retries back on this engine. */
  retryHow: string;
}

/** The variables a worker asks the engine for: its schema's keys and the trace context. */
export const fetchedVariables = (def: WorkerDefinition): string[] => [...Object.keys((def.variables as z.ZodObject).shape ?? {}), 'traceparent'];

/**
 * Pauses before each new try of an outcome the engine could not be reached for: 7.75 s in all,
 * room for a Zeebe partition to elect a new leader (a few seconds), well inside the job's timeout.
 */
export const OUTCOME_RETRY_MS = [250, 500, 1000, 2000, 4000];

/** A runner for one task type: hands each job to its worker and ends it on the engine. */
export function jobRunner(
  binding: EngineBinding,
  taskType: string,
  def: WorkerDefinition,
  deps: WorkerDeps,
  outcomeRetryMs: readonly number[] = OUTCOME_RETRY_MS,
): (job: EngineJob, act: JobActions) => Promise<void> {
  const handle = def.create(deps);
  const log = deps.log.child({ engine: binding.engine, taskType });
  const trail = deps.trail ?? noTrail;
  return (job, act) => {
    const rawOrderNo = job.variables.orderNo;
    const attributes = { 'hub.order_no': String(rawOrderNo ?? ''), 'hub.engine': binding.engine, 'bpmn.process_id': job.bpmnProcessId, 'bpmn.element_id': job.elementId, ...job.spanAttributes };
    return inSpan(`job ${taskType}`, { kind: SpanKind.CONSUMER, parent: contextOf(job.variables.traceparent), attributes }, async (span) => {
      const orderNo = String(rawOrderNo ?? '?');
      const where = `order ${orderNo}, step ${taskType} (${binding.jobNoun} ${job.key})`;
      const started = Date.now();
      /**
       * Ends the job on the engine; once it accepted, records the outcome, dated when the worker
       * reached it (what the order's timeline and the stuck detector compare with the order's steps).
       */
      const end = async (kind: TrailKind, action: () => Promise<unknown>, detail: Record<string, unknown> = {}): Promise<void> => {
        const at = new Date();
        for (let tries = 0; ; tries++) {
          try {
            await action();
            break;
          } catch (err) {
            // Sent again only when it may not have arrived; a second try of an outcome that did
            // arrive is refused (the job is gone), logged below, and the first one stands.
            const pause = outcomeRetryMs[tries];
            if (pause !== undefined && isRetriable(err)) {
              log.warn({ orderNo, job: job.key, outcome: kind, err, tries: tries + 1 }, `the outcome of ${where} did not reach the engine; sending it again`);
              await new Promise((r) => setTimeout(r, pause));
              continue;
            }
            log.error({ orderNo, job: job.key, outcome: kind, err }, `the engine refused the outcome of ${where}; the job runs again once its lock or timeout runs out`);
            return;
          }
        }
        countJob(taskType, kind, at.getTime() - started);
        span.setAttribute('hub.job.outcome', kind);
        if (kind === 'incident' || kind === 'job-failed') markError(span, String(detail.error ?? kind));
        trail.record({
          at,
          orderNo: typeof rawOrderNo === 'string' ? rawOrderNo : null,
          kind,
          component: taskType,
          elementInstanceKey: job.elementInstanceKey,
          detail: { engine: binding.engine, ...job.trailDetail, processInstanceKey: job.processInstanceKey, bpmnProcessId: job.bpmnProcessId, elementId: job.elementId, ms: at.getTime() - started, ...detail },
        });
      };
      const parsed = def.variables.safeParse(job.variables);
      if (!parsed.success) {
        const msg = invalidVariables(where, z.prettifyError(parsed.error), binding.retryHow);
        log.error({ orderNo, job: job.key }, msg);
        return end('incident', () => act.fail({ message: msg, retries: 0, backoffMs: 0 }), { error: msg });
      }
      let out: Record<string, unknown>;
      try {
        out = await handle(parsed.data, jobContext(taskType, orderNo, job.elementInstanceKey, job.processInstanceKey));
      } catch (err) {
        const outcome = jobFailure(where, err, job.retries, binding.retryHow);
        if (outcome.kind === 'bpmn-error' && !(def.errors ?? []).includes(outcome.code)) {
          const msg = `${where}: the worker threw BPMN error ${outcome.code}, which workers/${taskType}.ts does not declare (errors), so no model catches it for sure; declare it or fix the worker, then ${binding.retryHow}`;
          log.error({ orderNo, code: outcome.code }, msg);
          return end('incident', () => act.fail({ message: msg, retries: 0, backoffMs: 0 }), { error: msg });
        }
        if (outcome.kind === 'bpmn-error') {
          log.info({ orderNo, code: outcome.code }, `business outcome: ${outcome.message}`);
          return end('job-error', () => act.error(outcome.code, outcome.message), { code: outcome.code, message: outcome.message });
        }
        if (outcome.kind === 'retry') {
          log.warn({ orderNo, retries: outcome.retries, err }, 'retriable failure');
          return end('job-failed', () => act.fail({ message: outcome.message, retries: outcome.retries, backoffMs: outcome.backoffMs }), { error: outcome.message, retriesLeft: outcome.retries, backoffMs: outcome.backoffMs });
        }
        log.error({ orderNo, err }, 'job failed: incident');
        return end('incident', () => act.fail({ message: outcome.message, retries: 0, backoffMs: 0 }), { error: outcome.message });
      }
      const declared = (def.outputs ?? z.object({})).strict().safeParse(out);
      if (!declared.success) {
        const msg = `${where}: the worker completed with variables workers/${taskType}.ts does not declare (outputs): ${z.prettifyError(declared.error)}; fix the worker or its outputs, then ${binding.retryHow}`;
        log.error({ orderNo, job: job.key }, msg);
        return end('incident', () => act.fail({ message: msg, retries: 0, backoffMs: 0 }), { error: msg });
      }
      log.debug({ orderNo, job: job.key }, 'job completed');
      return end('job-completed', () => act.complete(out));
    });
  };
}
