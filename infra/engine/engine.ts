/**
 * The process engine the hub runs on (HUB_ENGINE), behind one face (port.ts): Zeebe through
 * @camunda8/sdk (zeebe-engine.ts); a Camunda 7-API engine (Camunda 7 CE, Operaton) through its
 * REST API and camunda-external-task-client-js (camunda7-engine.ts). Only the chosen binding is
 * loaded: a Zeebe hub carries neither the BPMN converter nor the REST client, a Camunda 7 hub no
 * gRPC client. Gateway, use cases and adapters never know which runs.
 */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Engine } from './port.js';
import { forEngine } from './catalogue-stamp.js';

export type { Engine, EngineMessagePayload, MigrationOutcome } from './port.js';
export { flowNodeIds } from './port.js';

export async function createEngine(config: Config, log: Logger): Promise<Engine> {
  const engine = config.HUB_ENGINE === 'camunda7' ? (await import('./camunda7-engine.js')).camunda7Engine(config, log) : (await import('./zeebe-engine.js')).zeebeEngine(config, log);
  const bound = await engine;
  // Whoever deploys (a start, a process owner, a rollback), the engine's dispatch table says which it is.
  const deploy = bound.deploy.bind(bound);
  bound.deploy = async (resources) => deploy(await forEngine(resources));
  return bound;
}
