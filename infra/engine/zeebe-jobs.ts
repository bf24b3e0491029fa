/**
 * Runs the job workers on Zeebe: one per BPMN task type (workers/<type>.ts), each job through the
 * shared job loop (job-loop.ts), whose outcome this binding turns into Zeebe's complete, fail or
 * throw-error.
 */
import { fetchedVariables, jobRunner, type EngineBinding } from './job-loop.js';
import type { WorkerDefinition, WorkerDeps } from './job-contract.js';
import type { ZeebeClient } from './zeebe-client.js';

const ZEEBE: EngineBinding = { engine: 'zeebe', jobNoun: 'job', retryHow: "raise the job's retries" };
/** What the SDK wants back from a handler: the job's outcome was sent (or the engine refused it, which the loop logged). */
const ACKNOWLEDGED = 'JOB_ACTION_ACKNOWLEDGEMENT' as const;

export function startWorkers(
  zeebe: ZeebeClient,
  registry: Record<string, WorkerDefinition>,
  deps: WorkerDeps,
  opts: { maxJobsToActivate: number } = { maxJobsToActivate: 32 },
): { close: () => Promise<void> } {
  const handedBack = new Set<Promise<unknown>>();
  const handBack = (job: DroppedJob): void => {
    deps.log.info({ job: job.key }, 'a job received while stopping is handed back for another worker');
    const p = zeebe
      .failJob({ jobKey: job.key, retries: job.retries, retryBackOff: 0, errorMessage: 'handed back: the worker was stopping' })
      .catch((err: unknown) => deps.log.warn({ job: job.key, err }, 'a job received while stopping could not be handed back; it runs again after its timeout'))
      .finally(() => handedBack.delete(p));
    handedBack.add(p);
  };
  const workers = Object.entries(registry).map(([taskType, def]) => {
    const run = jobRunner(ZEEBE, taskType, def, deps);
    const worker = zeebe.createWorker({
      taskType,
      fetchVariable: fetchedVariables(def) as never,
      maxJobsToActivate: opts.maxJobsToActivate,
      // A job held by a worker that died goes back to the others after this long.
      timeout: 30_000,
      taskHandler: async (job) => {
        await run(
          {
            key: String(job.key),
            variables: job.variables as Record<string, unknown>,
            retries: job.retries,
            elementInstanceKey: String(job.elementInstanceKey),
            processInstanceKey: String(job.processInstanceKey),
            bpmnProcessId: job.bpmnProcessId,
            elementId: job.elementId,
            trailDetail: { jobKey: String(job.key), processVersion: job.processDefinitionVersion },
            spanAttributes: { 'zeebe.job.key': String(job.key) },
          },
          {
            complete: (variables) => job.complete(variables as never),
            fail: (f) => job.fail({ errorMessage: f.message, retries: f.retries, retryBackOff: f.backoffMs }),
            error: (code, message) => job.error({ errorCode: code, errorMessage: message, variables: {} }),
          },
        );
        return ACKNOWLEDGED;
      },
    });
    handBackWhenClosing(worker, handBack);
    return worker;
  });
  return {
    close: async () => {
      await Promise.all(workers.map((w) => closeAfterPollInFlight(w, CLOSE_GRACE_MS)));
      await Promise.all([...handedBack]);
    },
  };
}

/** How long a closing worker keeps its poll in flight open for jobs already on their way to it. */
export const CLOSE_GRACE_MS = 500;

/**
 * Closes a worker without dropping jobs on their way to it. The SDK's close cancels the poll in
 * flight at once: jobs the gateway had already sent on it, activated for this worker but not yet
 * read, are thrown away and wait out their 30 s timeout (the gateway takes back only what it
 * could not send). The cluster test saw orders 30 s late after some clean restarts of a hub. So
 * the worker first stops polling — its closing flag: no new poll, and what the poll in flight
 * brings is handed back (handBackWhenClosing) — keeps that poll open until it ends or `graceMs`
 * has passed, and only then closes. Leans on the SDK's `closing` flag and its `jobStream`, set
 * while a poll is open (8.8); a worker without the flag is closed at once, as before.
 */
export async function closeAfterPollInFlight(worker: { close(): Promise<unknown> }, graceMs: number): Promise<void> {
  const w = worker as { closing?: unknown; jobStream?: unknown; close(): Promise<unknown> };
  if (typeof w.closing === 'boolean') {
    w.closing = true;
    const until = Date.now() + graceMs;
    while (w.jobStream !== undefined && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  }
  await worker.close();
}

/** A job as it comes in the gateway's answer, before the SDK reads it. */
export interface DroppedJob {
  key: string;
  retries: number;
}

/**
 * The SDK drops the jobs a poll brings once its worker is closing ("they will have to be timed out
 * by the server", ZBWorkerBase.handleJobResponse): each such order would wait the job's 30 s
 * timeout, which the cluster test saw after every clean restart of a hub. They are handed back
 * instead — failed with their retries unchanged and no backoff — so that another worker takes them
 * at once. Leans on the SDK's `closing` flag and `handleJobResponse` (8.8): without them, jobs time
 * out as before.
 */
export function handBackWhenClosing(worker: object, handBack: (job: DroppedJob) => void): void {
  const w = worker as { closing?: unknown; handleJobResponse?: unknown };
  const original = w.handleJobResponse;
  if (typeof original !== 'function' || typeof w.closing !== 'boolean') return;
  w.handleJobResponse = (res: { jobs?: Array<{ key: unknown; retries: unknown }> }) => {
    if (w.closing === true) {
      for (const j of res.jobs ?? []) handBack({ key: String(j.key), retries: Number(j.retries) });
      return;
    }
    return (original as (r: unknown) => unknown).call(worker, res);
  };
}
