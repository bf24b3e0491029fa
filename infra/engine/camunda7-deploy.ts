/**
 * Deploys bpmn/ to a Camunda 7-API engine over its REST API: each BPMN model converted from its
 * Zeebe form (camunda7-model.ts), each DMN as it is (the engine evaluates FEEL in decisions), once
 * model-safety.ts finds nothing in it that runs code.
 * The engine keeps the version of a resource whose content did not change (deploy-changed-only).
 */
import type { Camunda7Api } from '../config.js';
import { RetriableError } from '../errors.js';
import type { Logger } from '../log.js';
import { convertToCamunda7 } from './camunda7-model.js';
import { assertSafeModel } from './model-safety.js';
import type { Deployed, ModelResource } from './deploy.js';

export async function deployModelsCamunda7(api: Camunda7Api, resources: ModelResource[], log: Logger): Promise<Deployed> {
  const form = new FormData();
  form.set('deployment-name', 'hotline-hub');
  form.set('deployment-source', 'hotline-hub');
  form.set('enable-duplicate-filtering', 'true');
  form.set('deploy-changed-only', 'true');
  for (const r of resources) {
    // A decision goes as it is: nothing in it may run code in the engine (a model stored before
    // the checks refused such things included). A process is checked by its conversion.
    if (r.name.endsWith('.dmn')) assertSafeModel(r.name, r.content);
    const content = r.name.endsWith('.bpmn') ? await convertToCamunda7(r.content, r.name) : r.content;
    form.set(r.name, new Blob([content], { type: 'application/xml' }), r.name);
  }
  let res: Response;
  try {
    res = await fetch(`${api.url}/deployment/create`, { method: 'POST', headers: { ...api.headers }, body: form, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw new RetriableError(`the Camunda 7 engine at ${api.url} cannot be reached to deploy the models`, { cause: err });
  }
  const body = (await res.json()) as { message?: string; deployedProcessDefinitions?: Record<string, { key: string; version: number }> | null; deployedDecisionDefinitions?: Record<string, { key: string; version: number }> | null };
  if (!res.ok) throw new Error(`the Camunda 7 engine refused the models (${res.status}): ${body.message ?? JSON.stringify(body)}`);
  const deployed = [...Object.values(body.deployedProcessDefinitions ?? {}), ...Object.values(body.deployedDecisionDefinitions ?? {})];
  log.info({ deployed: deployed.map((d) => `${d.key}@${d.version}`) }, deployed.length ? 'models deployed' : 'models unchanged: nothing deployed');
  // An unchanged model deploys nothing: ask which version of each runs now.
  const latest = async (what: 'decision-definition' | 'process-definition'): Promise<Record<string, number>> => {
    const res = await fetch(`${api.url}/${what}?latestVersion=true`, { headers: { ...api.headers }, signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new RetriableError(`the Camunda 7 engine did not list its ${what}s (${res.status})`);
    return Object.fromEntries(((await res.json()) as Array<{ key: string; version: number }>).map((d) => [d.key, d.version]));
  };
  return { decisions: await latest('decision-definition'), processes: await latest('process-definition') };
}
