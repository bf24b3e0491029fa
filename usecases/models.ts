/**
 * A process owner changes who handles what without calling a developer: a model (a dispatch
 * table, a process) is checked, compared with the version that runs, deployed to the engine and
 * recorded with who did it; a rollback deploys an earlier version again. The next order runs on
 * what was deployed (the models call decisions by id, latest version).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Catalog } from '../domain/catalog.js';
import { MODEL_NAME, sha256, type AuditLog, type EngineControl, type ModelChecks, type ModelVersion, type ModelVersions } from './ports.js';
import { HubError } from './errors.js';

export class ModelRefused extends HubError {
  constructor(readonly problems: string[], message = `the model was not deployed: ${problems.join('; ')}`) {
    super('MODEL_INVALID', message, false);
  }
}

export class ModelNotFound extends HubError {
  constructor(what: string) {
    super('MODEL_NOT_FOUND', what, false);
  }
}

export interface ModelDeps {
  models: ModelVersions;
  engine: Pick<EngineControl, 'deploy' | 'name'>;
  /** Lint, the catalog and the served task types; a change described in words (infra/engine/model-checks.ts). */
  checks: ModelChecks;
  catalog: Catalog;
  servedTypes: readonly string[];
  /** The models' folder in the repository (bpmn/). */
  repoDir: string;
  audit: AuditLog;
  /** The decisions' versions the workers record on orders: brought up to date after a deploy. */
  decisions?: Record<string, number>;
}

export interface Actor {
  actor: string;
  source: 'cli' | 'api';
  actorKey?: string | null;
  role?: string | null;
}

export interface DeployOutcome {
  name: string;
  /** The recorded version, or null when nothing was deployed (a dry run, or no change). */
  version: ModelVersion | null;
  changes: string[];
}

const repoSha = (d: ModelDeps, name: string, fallback: string): string => {
  const file = path.join(d.repoDir, name);
  return fs.existsSync(file) ? sha256(fs.readFileSync(file, 'utf8')) : fallback;
};

async function deployAndRecord(d: ModelDeps, name: string, xml: string, source: ModelVersion['source'], by: Actor, note: string | null): Promise<ModelVersion> {
  const current = (await d.models.current()).get(name);
  const versions = await d.engine.deploy([{ name, content: xml }]);
  Object.assign(d.decisions ?? {}, versions.decisions);
  const id = await d.models.record({ name, content: xml, source, repoSha256: current?.repoSha256 ?? repoSha(d, name, sha256(xml)), engine: d.engine.name, versions, deployedBy: by.actor, note });
  // The gateway audits each request itself; the command line is audited here.
  if (by.source === 'cli') await d.audit.record({ actorKey: by.actorKey ?? null, actor: by.actor, role: by.role ?? null, unitCode: null, action: `${by.source} model ${source}`, target: name.slice(0, 64), outcome: `version ${id}`, source: by.source, requestId: null });
  return (await d.models.get(id))!;
}

/** Checks a model, says what changes, and (unless a dry run) deploys and records it. */
export async function deployModel(d: ModelDeps, name: string, xml: string, by: Actor, opts: { dryRun?: boolean; note?: string } = {}): Promise<DeployOutcome> {
  if (!MODEL_NAME.test(name)) throw new ModelRefused([`"${name}" is not a model's file name (lower-case, ending .bpmn or .dmn)`]);
  const current = (await d.models.current()).get(name) ?? null;
  const baseline = current?.content ?? (fs.existsSync(path.join(d.repoDir, name)) ? fs.readFileSync(path.join(d.repoDir, name), 'utf8') : undefined);
  const problems = await d.checks.check(name, xml, { catalog: d.catalog, servedTypes: d.servedTypes, current: baseline });
  if (problems.length > 0) throw new ModelRefused(problems);
  const changes = await d.checks.describeChange(name, baseline, xml);
  if (opts.dryRun || (current && current.sha256 === sha256(xml))) return { name, version: null, changes };
  return { name, version: await deployAndRecord(d, name, xml, 'deploy', by, opts.note ?? null), changes };
}

/** Deploys an earlier version again: the one given, else the last one whose content differs from what runs. */
export async function rollbackModel(d: ModelDeps, name: string, by: Actor, toId?: string): Promise<DeployOutcome> {
  const history = await d.models.history(name, 500);
  const current = history[0];
  if (!current) throw new ModelNotFound(`model ${name} has no recorded version`);
  const target = toId ? history.find((v) => v.id === toId) : history.find((v) => v.sha256 !== current.sha256);
  if (!target) throw new ModelNotFound(toId ? `model ${name} has no version ${toId}` : `model ${name} has no earlier version to go back to`);
  const changes = await d.checks.describeChange(name, current.content, target.content);
  if (target.sha256 === current.sha256) return { name, version: null, changes };
  return { name, version: await deployAndRecord(d, name, target.content, 'rollback', by, `back to version ${target.id}`), changes };
}
