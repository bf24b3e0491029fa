import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../infra/config.js';
import { loadCatalog } from '../../domain/catalog.js';
import { modelFiles } from '../../infra/engine/deploy.js';
import { workers } from '../../workers/index.js';

const bpmnDir = path.join(projectRoot, 'bpmn');
const read = (f: string): string => fs.readFileSync(f, 'utf8');
const taskTypes = modelFiles(bpmnDir)
  .filter((f) => f.endsWith('.bpmn'))
  .flatMap((f) => [...read(f).matchAll(/<zeebe:taskDefinition type="([^"]+)"/g)].map((m) => m[1]!));
const workerFiles = fs
  .readdirSync(path.join(projectRoot, 'workers'))
  .filter((f) => f.endsWith('.ts') && !['index.ts', 'variables.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''));

describe('models in bpmn/', () => {
  // bpmnlint runs as the modeler's CLI does, in a child process: under `npm test` it shares two
  // cores with lint, typecheck and the stack download, and once took 5.6 s (CI, 2026-12-06).
  it('pass bpmnlint (recommended rules and Camunda 8.5 compatibility)', { timeout: 30_000 }, () => {
    const files = modelFiles(bpmnDir).filter((f) => f.endsWith('.bpmn'));
    expect(files.length).toBeGreaterThan(0);
    // bpmnlint exits non-zero and lists the problems when a rule fails.
    const out = execFileSync(path.join(projectRoot, 'node_modules/.bin/bpmnlint'), files, { cwd: projectRoot, encoding: 'utf8' });
    expect(out.trim()).toBe('');
  });

  // Camunda Desktop Modeler, like the console's dmn-js, drops XML comments on the first save: what
  // a model says about itself lives in bpmn:documentation or a DMN description, which it keeps.
  it('explain themselves in documentation the modeler keeps, never in XML comments', async () => {
    const files = modelFiles(bpmnDir);
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const xml = read(file);
      expect(xml.includes('<!--'), `${path.basename(file)} has an XML comment: move it into the element's documentation`).toBe(false);
      const documented = file.endsWith('.bpmn') ? /<bpmn:process\b[^>]*>\s*<bpmn:documentation>[^<]{40,}<\/bpmn:documentation>/ : /<decision\b[^>]*>\s*<description>[^<]{40,}<\/description>/;
      expect(documented.test(xml), `${path.basename(file)}: its process or decision explains itself in its documentation`).toBe(true);
    }
  });

  it('lists on every element exactly the flows that come in and go out of it (what a hand edit can get wrong and bpmnlint does not see)', async () => {
    type El = { $type: string; id: string; incoming?: El[]; outgoing?: El[]; sourceRef?: El; targetRef?: El; flowElements?: El[] };
    for (const file of modelFiles(bpmnDir).filter((f) => f.endsWith('.bpmn'))) {
      const { rootElement } = await new BpmnModdle().fromXML(read(file));
      const wrong: string[] = [];
      const walk = (elements: El[]): void => {
        for (const e of elements) {
          if (e.$type === 'bpmn:SequenceFlow') {
            if (!e.targetRef?.incoming?.includes(e)) wrong.push(`${e.id} ends at ${e.targetRef?.id}, which does not list it as incoming`);
            if (!e.sourceRef?.outgoing?.includes(e)) wrong.push(`${e.id} starts at ${e.sourceRef?.id}, which does not list it as outgoing`);
          }
          for (const f of e.incoming ?? []) if (f.targetRef !== e) wrong.push(`${e.id} lists incoming ${f.id}, which ends at ${f.targetRef?.id}`);
          for (const f of e.outgoing ?? []) if (f.sourceRef !== e) wrong.push(`${e.id} lists outgoing ${f.id}, which starts at ${f.sourceRef?.id}`);
          walk(e.flowElements ?? []);
        }
      };
      walk(((rootElement as unknown as { rootElements: El[] }).rootElements).filter((r) => r.$type === 'bpmn:Process'));
      expect(wrong, path.basename(file)).toEqual([]);
    }
  });

  it('every service task type has a worker file of that name, and every worker a task type', () => {
    expect([...new Set(taskTypes)].sort()).toEqual(workerFiles.sort());
    expect(Object.keys(workers).sort()).toEqual(workerFiles.sort());
  });

  it('the dispatch DMN names only units the catalog lists', () => {
    const catalog = loadCatalog(path.join(projectRoot, loadConfig({}).CATALOG_FILE));
    const dmn = read(path.join(bpmnDir, 'dispatch.dmn'));
    const units = [...dmn.matchAll(/<outputEntry id="rule-[\w]+-unit"><text>&#34;([^&]+)&#34;<\/text>/g)].map((m) => m[1]!);
    expect(units.length).toBeGreaterThan(0);
    for (const u of units) expect(catalog.units.map((x) => x.code)).toContain(u);
    const categories = [...dmn.matchAll(/<inputEntry id="rule-[\w]+-category"><text>&#34;([^&]+)&#34;<\/text>/g)].map((m) => m[1]!);
    for (const c of categories) expect(catalog.categories.map((x) => x.code)).toContain(c);
  });
});
