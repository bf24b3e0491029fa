/**
 * The process engine as the hub sees it, whichever runs the models (HUB_ENGINE): what a binding
 * (zeebe-engine.ts, camunda7-engine.ts) provides and what use cases, the gateway and the CLI call.
 * No engine's types here.
 */
import type { Config } from '../config.js';
import type { OutboxRow } from '../db/entities.js';
import type { EngineMessagePayload } from '../../usecases/ports.js';
import type { ChannelSender } from '../outbox/relay.js';
import type { Deployed, ModelResource } from './deploy.js';
import type { Decide, IncidentRef, WorkerDefinition, WorkerDeps } from './job-contract.js';
import type { MigrationOutcome } from '../../usecases/ports.js';

export type { MigrationOutcome };

export type { EngineMessagePayload } from '../../usecases/ports.js';

/**
 * The message an engine row carries, as the binding sends it. A start message takes the trace of
 * the change that wrote it (the row's traceparent) as a variable: every job of the instance, and
 * of those it calls, continues the intake's trace.
 */
export function engineMessageOf(row: Pick<OutboxRow, 'payload' | 'traceParent'>): EngineMessagePayload {
  const m = JSON.parse(row.payload) as EngineMessagePayload;
  if (!m.start || !row.traceParent || m.variables.traceparent !== undefined) return m;
  return { ...m, variables: { ...m.variables, traceparent: row.traceParent } };
}

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

/** The ids of a model's flow nodes (the elements an instance may wait in), for a same-id mapping. */
export const flowNodeIds = (xml: string): string[] =>
  [...xml.matchAll(/<bpmn:(?:serviceTask|receiveTask|userTask|sendTask|businessRuleTask|scriptTask|callActivity|subProcess|intermediateCatchEvent|boundaryEvent|eventBasedGateway|parallelGateway|inclusiveGateway)\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]!);

/** The process id of the work-order model: a Camunda 7 start is checked against its history. */
export const PROCESS_ID = 'work-order';
