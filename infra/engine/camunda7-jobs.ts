/**
 * Runs the job workers on a Camunda 7-API engine (Camunda 7 CE, Operaton) as external-task
 * clients (camunda-external-task-client-js): one subscription per task type, the topic being the
 * task type, each task through the shared job loop (job-loop.ts), whose outcome this binding turns
 * into complete, handleFailure (retries left and a backoff; none left is an incident) or
 * handleBpmnError.
 */
import { Client, Variables, type Interceptor, type Task, type TaskService, type TypedValue as ClientTypedValue } from 'camunda-external-task-client-js';
import { DEFAULT_RETRIES, plainVariables, typedVariables, type TypedValue } from './camunda7-rest.js';
import type { Camunda7Api } from '../config.js';
import type { WorkerDefinition, WorkerDeps } from './job-contract.js';
import { fetchedVariables, jobRunner, type EngineBinding } from './job-loop.js';

const CAMUNDA7: EngineBinding = { engine: 'camunda7', jobNoun: 'external task', retryHow: "set the external task's retries" };
/**
 * The pause between two fetches. Each step of an order waits for the next fetch after the step
 * before it completed (the fetch itself long-polls), so the client's 300 ms default adds 300 ms to
 * every step; after a failed fetch (the engine unreachable) the pause grows, so that a stopped
 * engine is not asked, and logged, twenty times a second.
 */
const POLL_PAUSE_MS = 50;
const POLL_PAUSE_AFTER_ERROR_MS = 2_000;

export interface ExternalTaskOptions {
  /** The engine's REST API, …/engine-rest, and the credentials every request carries. */
  api: Camunda7Api;
  workerId: string;
  /** A task held by a worker that died goes back to the others after this long. */
  lockDurationMs?: number;
  maxTasks?: number;
  /** Long polling: how long one fetch waits for work; a closing client waits for its last fetch (at most this long). */
  asyncResponseTimeoutMs?: number;
}

/** The external-task client's requests with the hub's credentials (camunda7Api's headers). */
export const signedIn = (api: Camunda7Api): Interceptor =>
  ((request: { headers?: Record<string, string> }) => ({ ...request, headers: { ...request.headers, ...api.headers } })) as Interceptor;

export function startExternalTaskWorkers(
  registry: Record<string, WorkerDefinition>,
  deps: WorkerDeps,
  opts: ExternalTaskOptions,
): { close: () => Promise<void> } {
  const client = new Client({
    baseUrl: opts.api.url,
    // Every request of the client (fetch, complete, failure, extend lock) signs in as the hub.
    interceptors: signedIn(opts.api),
    workerId: opts.workerId,
    maxTasks: opts.maxTasks ?? 32,
    lockDuration: opts.lockDurationMs ?? 30_000,
    asyncResponseTimeout: opts.asyncResponseTimeoutMs ?? 10_000,
    interval: POLL_PAUSE_MS,
    // No `use: logger`: the client's console logger is not ours; its events go to the hub's log below.
  });
  const log = deps.log.child({ engine: 'camunda7' });
  // The client reads its options on every poll; the pause is set there (it has no setter).
  const onClient = client as unknown as { on(event: string, fn: (...args: unknown[]) => void): void; options: { interval: number } };
  onClient.on('poll:error', (err) => {
    onClient.options.interval = POLL_PAUSE_AFTER_ERROR_MS;
    log.warn({ err }, `fetching external tasks failed; polling again in ${POLL_PAUSE_AFTER_ERROR_MS / 1000} s`);
  });
  onClient.on('poll:success', () => {
    onClient.options.interval = POLL_PAUSE_MS;
  });
  // An outcome the engine refuses is logged by the job loop, with the order and the step.

  // The fetch waiting at the engine, if any. The engine keeps a long poll whose client went away
  // (it does not notice the closed connection) and locks the next task for it: that task would wait
  // out its whole lock. So a closing client lets its last fetch end, and gives back what it brought.
  let fetching: Promise<void> | undefined;
  let fetched = () => undefined as void;
  onClient.on('poll:start', () => {
    fetching = new Promise<void>((resolve) => (fetched = resolve));
  });
  for (const event of ['poll:success', 'poll:error']) onClient.on(event, () => fetched());
  let closing = false;

  const inFlight = new Set<Promise<void>>();
  for (const [taskType, def] of Object.entries(registry)) {
    const run = jobRunner(CAMUNDA7, taskType, def, deps);
    client.subscribe(taskType, { variables: fetchedVariables(def), lockDuration: opts.lockDurationMs ?? 30_000 }, ({ task, taskService }) => {
      const served = (closing ? giveBack(task, taskService, log) : serve(run, task, taskService)).finally(() => inFlight.delete(served));
      inFlight.add(served);
      return served;
    });
  }

  return {
    close: async () => {
      closing = true;
      client.stop();
      await fetching;
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** A task fetched while closing goes back to the engine at once, for another worker, not after its lock. */
async function giveBack(task: Task, taskService: TaskService, log: WorkerDeps['log']): Promise<void> {
  try {
    await taskService.unlock(task);
  } catch (err) {
    log.warn({ err, taskId: task.id, taskType: task.topicName }, 'a task fetched while the workers stopped could not be given back: another worker gets it once its lock runs out');
  }
}

function serve(run: ReturnType<typeof jobRunner>, task: Task, taskService: TaskService): Promise<void> {
  return run(
    {
      key: String(task.id),
      variables: plainVariables(task.variables.getAllTyped() as unknown as Record<string, TypedValue>),
      retries: (task as unknown as { retries: number | null }).retries ?? DEFAULT_RETRIES,
      elementInstanceKey: String(task.activityInstanceId),
      processInstanceKey: String(task.processInstanceId),
      bpmnProcessId: String(task.processDefinitionKey),
      elementId: String(task.activityId),
      // processDefinitionId is key:version:id: the version, as Zeebe's jobs give theirs.
      trailDetail: { taskId: String(task.id), processVersion: Number(String((task as unknown as { processDefinitionId?: string }).processDefinitionId ?? '').split(':')[1]) || null },
    },
    {
      // Objects go back as JSON-serialized Java maps, which the model's JUEL conditions can read.
      complete: (out) => taskService.complete(task, new Variables().setAllTyped(typedVariables(out) as unknown as Record<string, ClientTypedValue>)),
      fail: (f) => taskService.handleFailure(task, { errorMessage: f.message.slice(0, 600), errorDetails: f.message, retries: f.retries, retryTimeout: f.backoffMs }),
      error: (code, message) => taskService.handleBpmnError(task, code, message),
    },
  );
}
