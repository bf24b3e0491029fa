/**
 * Deploys every model in bpmn/ on start. Zeebe itself keeps the version of a resource whose
 * content did not change, so an unchanged model is not deployed as a new version.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.js';
import type { ZeebeClient } from './zeebe-client.js';

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

export async function deployModels(zeebe: ZeebeClient, dir: string, log: Logger): Promise<Record<string, number>> {
  const decisions: Record<string, number> = {};
  for (const file of modelFiles(dir)) {
    const res = await whenAvailable(
      (): Promise<{ deployments: unknown[] }> => (file.endsWith('.dmn') ? zeebe.deployResource({ decisionFilename: file }) : zeebe.deployResource({ processFilename: file })),
      log,
    );
    for (const d of res.deployments as unknown as Array<Record<string, { bpmnProcessId?: string; decisionId?: string; dmnDecisionId?: string; version: number }>>) {
      const item = d.process ?? d.decision ?? d.decisionRequirements;
      if (!item) continue;
      log.info({ file: path.basename(file), id: item.bpmnProcessId ?? item.dmnDecisionId ?? item.decisionId, version: item.version }, 'model deployed (unchanged content keeps its version)');
      if (d.decision?.dmnDecisionId) decisions[d.decision.dmnDecisionId] = d.decision.version;
    }
  }
  return decisions;
}
