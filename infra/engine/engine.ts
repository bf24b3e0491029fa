/**
 * The process engine the hub runs on (HUB_ENGINE), behind one face: deploy bpmn/, run the job
 * workers, deliver the outbox's engine messages, say whether it answers. Zeebe through
 * @camunda8/sdk; a Camunda 7-API engine (Camunda 7 CE, Operaton) through its REST API and
 * camunda-external-task-client-js. Gateway, use cases and adapters never know which.
 */
import os from 'node:os';
import { camunda7RestUrl, type Config } from '../config.js';
import type { Logger } from '../log.js';
import type { ChannelSender } from '../outbox/relay.js';
import { zeebeSender } from '../outbox/senders.js';
import { deployModels, type Deployed, type ModelResource } from './deploy.js';
import { DecisionFailed, type Decide, type IncidentRef, type WorkerDefinition, type WorkerDeps } from './job-contract.js';
import { describeError, isRetriable } from '../errors.js';
import { createZeebeClient } from './zeebe-client.js';
import { startWorkers } from './zeebe-jobs.js';

export interface Engine {
  name: Config['HUB_ENGINE'];
  /** Deploys models; resolves with the version the engine now runs of each process and decision. */
  deploy(resources: ModelResource[]): Promise<Deployed>;
  startWorkers(registry: Record<string, WorkerDefinition>, deps: WorkerDeps): { close: () => Promise<void> };
  /** The sender of the outbox's engine channel (starts, replies, callbacks). */
  messageSender(opts: { batchSize: number; timeoutMs: number }): ChannelSender;
  /** Resolves when the engine answers and can run instances; rejects saying why not. */
  check(): Promise<void>;
  /** Evaluates the latest deployed version of a decision on its own, outside any instance. */
  evaluateDecision: Decide;
  /**
   * Operators: runs a job that ended in an incident again, once its cause is fixed. Zeebe: the
   * failed element instance is replaced by a new one of the same element (process instance
   * modification: a bare broker cannot look its incident up); Camunda 7: the external task gets
   * its retries back, which resolves its incident.
   */
  retryJob(job: IncidentRef): Promise<void>;
  /**
   * Operators: ends a process instance (and the instances it called) where it stands; 'gone' when
   * the engine no longer has it (it ended, or was cancelled before).
   */
  cancelInstance(processInstanceKey: string, reason: string): Promise<'cancelled' | 'gone'>;
  /**
   * Process owners and operators: moves running instances of a process to the version of it the
   * engine runs now (`model`, as deployed), each element to the element of the same id, where the
   * engine allows it; each instance's outcome, the engine's refusal kept as it said it. Camunda 7
   * finds the instances itself (every version but the latest; only `instanceKeys` when given);
   * Zeebe, with no query API, takes the ones the hub knows (`instanceKeys`: its orders' root
   * instances) and says per instance whether its elements could be mapped.
   */
  migrateInstances(processId: string, model: string, instanceKeys?: string[]): Promise<MigrationOutcome[]>;
  close(): Promise<void>;
}

export interface MigrationOutcome {
  instance: string;
  ok: boolean;
  /** The engine's reason, when it refused. */
  error?: string;
}

/** The ids of a model's flow nodes (the elements an instance may wait in), for a same-id mapping. */
export const flowNodeIds = (xml: string): string[] =>
  [...xml.matchAll(/<bpmn:(?:serviceTask|receiveTask|userTask|sendTask|businessRuleTask|scriptTask|callActivity|subProcess|intermediateCatchEvent|boundaryEvent|eventBasedGateway|parallelGateway|inclusiveGateway)\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]!);

/** The process id of the work-order model: a Camunda 7 start is checked against its history. */
const PROCESS_ID = 'work-order';

export async function createEngine(config: Config, log: Logger): Promise<Engine> {
  if (config.HUB_ENGINE === 'camunda7') {
    // Loaded only for this engine: a Zeebe hub carries neither the converter nor the REST client.
    const [{ startExternalTaskWorkers }, { deployModelsCamunda7 }, { camunda7CancelInstance, camunda7Check, camunda7Migrate, camunda7EvaluateDecision, camunda7RetryTask, camunda7Sender }] = await Promise.all([
      import('./camunda7-jobs.js'),
      import('./camunda7-deploy.js'),
      import('./camunda7-rest.js'),
    ]);
    const rest = camunda7RestUrl(config);
    return {
      name: 'camunda7',
      deploy: (resources) => deployModelsCamunda7(rest, resources, log),
      startWorkers: (registry, deps) => startExternalTaskWorkers(registry, deps, { baseUrl: rest, workerId: `hub-${os.hostname()}-${process.pid}` }),
      messageSender: (o) => camunda7Sender(rest, { processId: PROCESS_ID, batchSize: Math.min(o.batchSize, 32), concurrency: 8, timeoutMs: o.timeoutMs }),
      check: () => camunda7Check(rest, config.ENGINE_TIMEOUT_MS),
      evaluateDecision: (id, vars) => camunda7EvaluateDecision(rest, id, vars, config.ENGINE_TIMEOUT_MS),
      retryJob: (job) => camunda7RetryTask(rest, job, config.ENGINE_TIMEOUT_MS),
      cancelInstance: (key, reason) => camunda7CancelInstance(rest, key, reason, config.ENGINE_TIMEOUT_MS),
      migrateInstances: (processId, _model, keys) => camunda7Migrate(rest, processId, config.ENGINE_TIMEOUT_MS, keys),
      close: async () => undefined,
    };
  }
  const zeebe = createZeebeClient(config);
  return {
    name: 'zeebe',
    deploy: (resources) => deployModels(zeebe, resources, log),
    startWorkers: (registry, deps) => startWorkers(zeebe, registry, deps),
    // Zeebe answers a publish once it has committed it (a few hundred ms under load) but takes
    // many at once: 4 loops of 8 keep about 32 in flight without waiting on the slowest of a big batch.
    messageSender: (o) => zeebeSender(zeebe, { batchSize: Math.min(o.batchSize, 8), concurrency: 8, loops: 4, timeoutMs: o.timeoutMs }),
    check: async () => {
      const t = await zeebe.topology();
      if (!t || !t.brokers?.length) throw new Error('no broker in the topology');
      const leaders = t.brokers.flatMap((b) => b.partitions ?? []).filter((p) => String(p.role) === 'LEADER' || String(p.role) === '0');
      if (leaders.length < (t.partitionsCount ?? 1)) throw new Error(`${leaders.length} of ${t.partitionsCount} partitions have a leader`);
    },
    evaluateDecision: async (decisionId, variables) => {
      let res: Awaited<ReturnType<typeof zeebe.evaluateDecision>>;
      try {
        res = await zeebe.evaluateDecision({ decisionId, variables: variables as never });
      } catch (err) {
        if (isRetriable(err)) throw err;
        throw new DecisionFailed(decisionId, (err as Error).message);
      }
      if (res.failureMessage) throw new DecisionFailed(decisionId, res.failureMessage);
      const out = JSON.parse(res.decisionOutput) as Record<string, unknown> | null;
      return out;
    },
    retryJob: async (job) => {
      await zeebe.modifyProcessInstance({
        processInstanceKey: job.processInstanceKey,
        activateInstructions: [{ elementId: job.elementId, ancestorElementInstanceKey: '-1', variableInstructions: [] }],
        terminateInstructions: [{ elementInstanceKey: job.elementInstanceKey }],
      });
    },
    cancelInstance: async (key) => {
      try {
        await zeebe.cancelProcessInstance(key);
        return 'cancelled';
      } catch (err) {
        // NOT_FOUND (gRPC 5): the broker has no such instance running.
        if ((err as { code?: number }).code === 5 || /NOT_FOUND/.test(String((err as Error).message))) return 'gone';
        throw err;
      }
    },
    migrateInstances: async (processId, model, instanceKeys) => {
      // Deploying the model as it runs gives its definition key (unchanged content keeps its version).
      const res = (await zeebe.deployResource({ name: `${processId}.bpmn`, process: Buffer.from(model, 'utf8') })) as unknown as { deployments: Array<{ process?: { bpmnProcessId: string; processDefinitionKey: string } }> };
      const target = res.deployments.find((d) => d.process?.bpmnProcessId === processId)?.process?.processDefinitionKey;
      if (!target) throw new Error(`the model given is not process ${processId}`);
      const mappingInstructions = flowNodeIds(model).map((id) => ({ sourceElementId: id, targetElementId: id }));
      const out: MigrationOutcome[] = [];
      for (const key of instanceKeys ?? []) {
        try {
          await zeebe.migrateProcessInstance({ processInstanceKey: key, migrationPlan: { targetProcessDefinitionKey: String(target), mappingInstructions } });
          out.push({ instance: key, ok: true });
        } catch (err) {
          if (isRetriable(err)) throw err;
          out.push({ instance: key, ok: false, error: describeError(err) });
        }
      }
      return out;
    },
    close: async () => {
      await zeebe.close();
    },
  };
}
