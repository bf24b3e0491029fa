/**
 * Runs the job workers on a Camunda 7-API engine (Camunda 7 CE, Operaton) as external-task
 * clients (camunda-external-task-client-js): one subscription per task type, the topic being the
 * task type. The same workers and the same outcome rules as the Zeebe binding (zeebe-jobs.ts):
 * errors.ts's jobOutcome turns a handler's end into exactly one of complete, handleFailure (retries
 * left and a backoff; none left is an incident) or handleBpmnError.
 */
import { Client, Variables, type Task, type TaskService, type TypedValue as ClientTypedValue } from 'camunda-external-task-client-js';
import { z } from 'zod';
import { invalidVariables, jobFailure } from './job-failure.js';
import { DEFAULT_RETRIES, plainVariables, typedVariables, type TypedValue } from './camunda7-rest.js';
import { jobContext, type WorkerDefinition, type WorkerDeps } from './job-contract.js';
import { noTrail, type TrailKind } from '../db/trail.js';
import { countJob } from '../metrics.js';
import { contextOf, inSpan, markError, SpanKind } from '../tracing.js';
import type { Span } from '@opentelemetry/api';

const RETRY_HOW = "set the external task's retries";

export interface ExternalTaskOptions {
  /** The engine's REST API, …/engine-rest. */
  baseUrl: string;
  workerId: string;
  /** A task held by a worker that died goes back to the others after this long. */
  lockDurationMs?: number;
  maxTasks?: number;
  /** Long polling: how long one fetch waits for work. */
  asyncResponseTimeoutMs?: number;
}

export function startExternalTaskWorkers(
  registry: Record<string, WorkerDefinition>,
  deps: WorkerDeps,
  opts: ExternalTaskOptions,
): { close: () => Promise<void> } {
  const client = new Client({
    baseUrl: opts.baseUrl,
    workerId: opts.workerId,
    maxTasks: opts.maxTasks ?? 32,
    lockDuration: opts.lockDurationMs ?? 30_000,
    asyncResponseTimeout: opts.asyncResponseTimeoutMs ?? 10_000,
    interval: 300,
    // No `use: logger`: the client's console logger is not ours; its events go to the hub's log below.
  });
  const log = deps.log.child({ engine: 'camunda7' });
  const onClient = client as unknown as { on(event: string, fn: (...args: unknown[]) => void): void };
  onClient.on('poll:error', (err) => log.warn({ err }, 'fetching external tasks failed; polling again'));
  for (const event of ['complete:error', 'handleFailure:error', 'handleBpmnError:error']) {
    onClient.on(event, (_task, err) => log.error({ err, event }, 'the engine refused the outcome of an external task; its lock runs out and it is fetched again'));
  }

  const trail = deps.trail ?? noTrail;
  const inFlight = new Set<Promise<void>>();
  for (const [taskType, def] of Object.entries(registry)) {
    const handle = def.create(deps);
    const tlog = log.child({ taskType });
    const schema = def.variables as z.ZodObject;
    client.subscribe(taskType, { variables: [...Object.keys(schema.shape ?? {}), 'traceparent'], lockDuration: opts.lockDurationMs ?? 30_000 }, ({ task, taskService }) => {
      const run = serve(task, taskService).finally(() => inFlight.delete(run));
      inFlight.add(run);
      return run;
    });

    function serve(task: Task, taskService: TaskService): Promise<void> {
      const variables = plainVariables(task.variables.getAllTyped() as unknown as Record<string, TypedValue>);
      return inSpan(`job ${taskType}`, { kind: SpanKind.CONSUMER, parent: contextOf(variables.traceparent), attributes: { 'hub.order_no': String(variables.orderNo ?? ''), 'hub.engine': 'camunda7', 'bpmn.process_id': task.processDefinitionKey, 'bpmn.element_id': task.activityId } }, (span) => serveIn(task, taskService, variables, span));
    }

    async function serveIn(task: Task, taskService: TaskService, variables: Record<string, unknown>, span: Span): Promise<void> {
      const orderNo = String(variables.orderNo ?? '?');
      const where = `order ${orderNo}, step ${taskType} (external task ${task.id})`;
      const retriesLeft = (task as unknown as { retries: number | null }).retries ?? DEFAULT_RETRIES;
      const started = Date.now();
      const note = (kind: TrailKind, detail: Record<string, unknown> = {}): void => {
        countJob(taskType, kind, Date.now() - started);
        span.setAttribute('hub.job.outcome', kind);
        if (kind === 'incident' || kind === 'job-failed') markError(span, String(detail.error ?? kind));
        trail.record({
          orderNo: typeof variables.orderNo === 'string' ? variables.orderNo : null,
          kind,
          component: taskType,
          elementInstanceKey: task.activityInstanceId,
          detail: { engine: 'camunda7', taskId: task.id, processInstanceKey: task.processInstanceId, bpmnProcessId: task.processDefinitionKey, elementId: task.activityId, ms: Date.now() - started, ...detail },
        });
      };
      const parsed = def.variables.safeParse(variables);
      if (!parsed.success) {
        const msg = invalidVariables(where, z.prettifyError(parsed.error), RETRY_HOW);
        tlog.error({ orderNo, taskId: task.id }, msg);
        note('incident', { error: msg });
        return taskService.handleFailure(task, { errorMessage: msg.slice(0, 600), errorDetails: msg, retries: 0, retryTimeout: 0 });
      }
      try {
        const out = await handle(parsed.data, jobContext(taskType, orderNo, task.activityInstanceId, task.processInstanceId));
        tlog.debug({ orderNo, taskId: task.id }, 'task completed');
        note('job-completed');
        // Objects go back as JSON-serialized Java maps, which the model's JUEL conditions can read.
        return taskService.complete(task, new Variables().setAllTyped(typedVariables(out) as unknown as Record<string, ClientTypedValue>));
      } catch (err) {
        const outcome = jobFailure(where, err, retriesLeft, RETRY_HOW);
        if (outcome.kind === 'bpmn-error') {
          tlog.info({ orderNo, code: outcome.code }, `business outcome: ${outcome.message}`);
          note('job-error', { code: outcome.code, message: outcome.message });
          return taskService.handleBpmnError(task, outcome.code, outcome.message);
        }
        if (outcome.kind === 'retry') {
          tlog.warn({ orderNo, retries: outcome.retries, err }, 'retriable failure');
          note('job-failed', { error: outcome.message, retriesLeft: outcome.retries, backoffMs: outcome.backoffMs });
          return taskService.handleFailure(task, { errorMessage: outcome.message.slice(0, 600), errorDetails: outcome.message, retries: outcome.retries, retryTimeout: outcome.backoffMs });
        }
        tlog.error({ orderNo, err }, 'task failed: incident');
        note('incident', { error: outcome.message });
        return taskService.handleFailure(task, { errorMessage: outcome.message.slice(0, 600), errorDetails: outcome.message, retries: 0, retryTimeout: 0 });
      }
    }
  }

  return {
    close: async () => {
      client.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}
