/**
 * Deploys models to Zeebe (on start, and when a process owner deploys one). Zeebe itself keeps
 * the version of a resource whose content did not change, so an unchanged model is not deployed
 * as a new version.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.js';
import type { ZeebeClient } from './zeebe-client.js';
import type { Deployed, ModelResource } from '../../usecases/ports.js';

export type { Deployed, ModelResource };

export const modelFiles = (dir: string): string[] =>
  fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bpmn') || f.endsWith('.dmn'))
    .sort((a, b) => (a.endsWith('.dmn') ? -1 : 1) - (b.endsWith('.dmn') ? -1 : 1) || a.localeCompare(b))
    .map((f) => path.join(dir, f));

/** Right after start the broker is ready before its gateway knows the partitions: wait (gRPC UNAVAILABLE). */
async function whenAvailable<T>(what: () => Promise<T>, log: Logger, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await what();
    } catch (err) {
      if ((err as { code?: number }).code !== 14 || Date.now() > deadline) throw err;
      log.info('Zeebe gateway not ready yet; retrying the deployment');
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

/** One model to deploy: its file name (dispatch.dmn) and its XML. */
/** The models of a folder, as resources. */
export const modelResources = (dir: string): ModelResource[] => modelFiles(dir).map((f) => ({ name: path.basename(f), content: fs.readFileSync(f, 'utf8') }));

export async function deployModels(zeebe: ZeebeClient, resources: ModelResource[], log: Logger): Promise<Deployed> {
  const out: Deployed = { processes: {}, decisions: {} };
  // Decisions first: a process may call them.
  for (const r of [...resources].sort((a, b) => Number(b.name.endsWith('.dmn')) - Number(a.name.endsWith('.dmn')))) {
    const content = Buffer.from(r.content, 'utf8');
    const res = await whenAvailable(
      (): Promise<{ deployments: unknown[] }> => (r.name.endsWith('.dmn') ? zeebe.deployResource({ name: r.name, decision: content }) : zeebe.deployResource({ name: r.name, process: content })),
      log,
    );
    for (const d of res.deployments as unknown as Array<Record<string, { bpmnProcessId?: string; decisionId?: string; dmnDecisionId?: string; version: number }>>) {
      const item = d.process ?? d.decision ?? d.decisionRequirements;
      if (!item) continue;
      log.info({ file: r.name, id: item.bpmnProcessId ?? item.dmnDecisionId ?? item.decisionId, version: item.version }, 'model deployed (unchanged content keeps its version)');
      if (d.decision?.dmnDecisionId) out.decisions[d.decision.dmnDecisionId] = d.decision.version;
      if (d.process?.bpmnProcessId) out.processes[d.process.bpmnProcessId] = d.process.version;
    }
  }
  return out;
}
