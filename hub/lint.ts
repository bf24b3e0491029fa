/**
 * `hub lint`: every check a deploy makes (infra/engine/model-checks.ts), offline: no database, no
 * engine, no hub. For process owners before they deploy, and for a centre's own CI over its models.
 * The ids a process or decision keeps are checked against the model of the same name that this
 * repository ships (a deploy checks them against the version that runs).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadCatalog } from '../domain/catalog.js';
import { projectRoot } from '../infra/config.js';
import { modelFiles } from '../infra/engine/deploy.js';
import { checkModel } from '../infra/engine/model-checks.js';
import { workers } from '../workers/index.js';
import { readOrUsage } from './usage.js';

export interface LintResult {
  file: string;
  problems: string[];
}

/** A file that cannot be read: the command's usage, not a model's problem. */
export { UsageError as LintUsageError } from './usage.js';

/** The models' problems, file by file (`files` empty: every model in bpmn/). */
export async function lintModels(files: readonly string[], opts: { catalogFile: string }): Promise<LintResult[]> {
  const shipped = path.join(projectRoot, 'bpmn');
  const paths = files.length > 0 ? files : modelFiles(shipped);
  const models = paths.map((f) => ({ file: f, xml: readOrUsage(f) }));
  const catalog = loadCatalog(path.resolve(projectRoot, opts.catalogFile));
  const ctx = { catalog, servedTypes: Object.keys(workers) };
  const out: LintResult[] = [];
  for (const m of models) {
    const name = path.basename(m.file);
    const baseline = path.join(shipped, name);
    const current = fs.existsSync(baseline) && path.resolve(m.file) !== baseline ? fs.readFileSync(baseline, 'utf8') : undefined;
    out.push({ file: m.file, problems: await checkModel(name, m.xml, { ...ctx, current }) });
  }
  return out;
}
