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
  const workers = Object.entries(registry).map(([taskType, def]) => {
    const run = jobRunner(ZEEBE, taskType, def, deps);
    return zeebe.createWorker({
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
  });
  return {
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
