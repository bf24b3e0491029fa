/**
 * The Zeebe binding of the engine port (Camunda 8, through @camunda8/sdk's gRPC client): models
 * deployed as they are, job workers, messages published with their ids (a repeat within the
 * message's time to live is refused by the broker, which the sender counts as delivered).
 */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { describeError, isGrpcAlreadyExists, isRetriable } from '../errors.js';
import type { ChannelSender, Delivery } from '../outbox/relay.js';
import { failed } from '../outbox/senders.js';
import { mapLimit, withTimeout } from '../timeout.js';
import { deployModels } from './deploy.js';
import { DecisionFailed } from './job-contract.js';
import { engineMessageOf, flowNodeIds, type Engine, type MigrationOutcome } from './port.js';
import { createZeebeClient, type ZeebeClient } from './zeebe-client.js';
import { startWorkers } from './zeebe-jobs.js';

export function zeebeEngine(config: Config, log: Logger): Engine {
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

/** The outbox's engine channel on Zeebe: each message published with its id, several at once, each with a deadline. */
export function zeebeSender(zeebe: ZeebeClient, opts: { batchSize: number; concurrency: number; timeoutMs: number; loops?: number }): ChannelSender {
  return {
    channel: 'engine',
    batchSize: opts.batchSize,
    loops: opts.loops,
    send: (rows) =>
      mapLimit(rows, opts.concurrency, async (row): Promise<Delivery> => {
        const m = engineMessageOf(row);
        try {
          await withTimeout(
            zeebe.publishMessage({ name: m.name, correlationKey: m.correlationKey, messageId: m.messageId, timeToLive: m.timeToLive, variables: m.variables as never }),
            opts.timeoutMs,
            'Zeebe',
          );
          return { id: row.id, ok: true };
        } catch (err) {
          // Zeebe holds a message with this id already: an earlier attempt went through.
          if (isGrpcAlreadyExists(err)) return { id: row.id, ok: true };
          return failed(row, err, !isRetriable(err));
        }
      }),
  };
}
