/**
 * Deploys bpmn/ to a Camunda 7-API engine over its REST API: each BPMN model converted from its
 * Zeebe form (camunda7-model.ts), each DMN as it is (the engine evaluates FEEL in decisions).
 * The engine keeps the version of a resource whose content did not change (deploy-changed-only).
 */
import fs from 'node:fs';
import path from 'node:path';
import { RetriableError } from '../errors.js';
import type { Logger } from '../log.js';
import { convertToCamunda7 } from './camunda7-model.js';
import { modelFiles } from './deploy.js';

export async function deployModelsCamunda7(restUrl: string, dir: string, log: Logger): Promise<Record<string, number>> {
  const form = new FormData();
  form.set('deployment-name', 'hotline-hub');
  form.set('deployment-source', 'hotline-hub');
  form.set('enable-duplicate-filtering', 'true');
  form.set('deploy-changed-only', 'true');
  for (const file of modelFiles(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    const content = file.endsWith('.bpmn') ? await convertToCamunda7(text, path.basename(file)) : text;
    form.set(path.basename(file), new Blob([content], { type: 'application/xml' }), path.basename(file));
  }
  let res: Response;
  try {
    res = await fetch(`${restUrl}/deployment/create`, { method: 'POST', body: form, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new RetriableError(`the Camunda 7 engine at ${restUrl} cannot be reached to deploy the models`, { cause: err });
  }
  const body = (await res.json()) as { message?: string; deployedProcessDefinitions?: Record<string, { key: string; version: number }> | null; deployedDecisionDefinitions?: Record<string, { key: string; version: number }> | null };
  if (!res.ok) throw new Error(`the Camunda 7 engine refused the models (${res.status}): ${body.message ?? JSON.stringify(body)}`);
  const deployed = [...Object.values(body.deployedProcessDefinitions ?? {}), ...Object.values(body.deployedDecisionDefinitions ?? {})];
  log.info({ deployed: deployed.map((d) => `${d.key}@${d.version}`) }, deployed.length ? 'models deployed' : 'models unchanged: nothing deployed');
  // An unchanged model deploys nothing: ask which version of each decision runs now.
  const latest = await fetch(`${restUrl}/decision-definition?latestVersion=true`, { signal: AbortSignal.timeout(10_000) });
  if (!latest.ok) throw new RetriableError(`the Camunda 7 engine did not list its decisions (${latest.status})`);
  return Object.fromEntries(((await latest.json()) as Array<{ key: string; version: number }>).map((d) => [d.key, d.version]));
}
