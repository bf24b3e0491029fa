/**
 * The Camunda 7-API binding of the engine port (Camunda 7 CE, or its Apache-2.0 continuation
 * Operaton): models converted and deployed over REST, workers as external-task clients, messages
 * correlated over REST.
 */
import os from 'node:os';
import { camunda7Api, type Config } from '../config.js';
import type { Logger } from '../log.js';
import { startExternalTaskWorkers } from './camunda7-jobs.js';
import { deployModelsCamunda7 } from './camunda7-deploy.js';
import { camunda7CancelInstance, camunda7Check, camunda7EvaluateDecision, camunda7Migrate, camunda7RetryTask, camunda7Sender } from './camunda7-rest.js';
import { PROCESS_ID, type Engine } from './port.js';

export function camunda7Engine(config: Config, log: Logger): Engine {
  const rest = camunda7Api(config);
  return {
    name: 'camunda7',
    deploy: (resources) => deployModelsCamunda7(rest, resources, log),
    startWorkers: (registry, deps) => startExternalTaskWorkers(registry, deps, { api: rest, workerId: `hub-${os.hostname()}-${process.pid}`, asyncResponseTimeoutMs: config.CAMUNDA7_LONG_POLL_MS }),
    messageSender: (o) => camunda7Sender(rest, { processId: PROCESS_ID, batchSize: Math.min(o.batchSize, 32), concurrency: 8, timeoutMs: o.timeoutMs }),
    check: () => camunda7Check(rest, config.ENGINE_TIMEOUT_MS),
    evaluateDecision: (id, vars) => camunda7EvaluateDecision(rest, id, vars, config.ENGINE_TIMEOUT_MS),
    retryJob: (job) => camunda7RetryTask(rest, job, config.ENGINE_TIMEOUT_MS),
    cancelInstance: (key, reason) => camunda7CancelInstance(rest, key, reason, config.ENGINE_TIMEOUT_MS),
    migrateInstances: (processId, _model, keys) => camunda7Migrate(rest, processId, config.ENGINE_TIMEOUT_MS, keys),
    close: async () => undefined,
  };
}
