/**
 * What a model must pass before it is deployed, whoever deploys it (the command line, the
 * console's editor): it parses; a process passes bpmnlint with the Camunda 8.5 rules and uses
 * only job types this hub's workers serve; a decision table is whole (each rule has a cell per
 * input and output) and names only units, emergency lines and categories the catalog knows; the
 * process and decision ids stay those of the version it replaces (instances and callers find
 * them by id); and nothing in it runs code on an engine (model-safety.ts). And what changed against
 * that version, for people.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';
import { DmnModdle } from 'dmn-moddle';
import type { Catalog } from '../../domain/catalog.js';
import { MODEL_NAME, type ModelChecks } from '../../usecases/ports.js';
import { projectRoot } from '../config.js';
import { lintBpmn, lintLine } from './bpmnlint.js';
import { unsafeModelParts } from './model-safety.js';

export { MODEL_NAME } from '../../usecases/ports.js';

export interface Table {
  id: string;
  inputs: Array<{ label: string; expr: string }>;
  outputs: Array<{ label: string; name: string }>;
  rules: Array<{ id: string; description: string; inputs: string[]; outputs: string[] }>;
}
export interface DmnShape {
  decisions: Array<{ id: string; table: Table | null }>;
}

type El = { $type: string; id?: string; name?: string; label?: string; [k: string]: unknown };

export async function readDmn(xml: string): Promise<{ shape: DmnShape; warnings: string[] }> {
  const { rootElement, warnings } = await new DmnModdle().fromXML(xml, 'dmn:Definitions');
  const defs = rootElement as El & { drgElement?: El[] };
  const decisions = (defs.drgElement ?? []).filter((e) => e.$type === 'dmn:Decision').map((d) => {
    const t = d.decisionLogic as (El & { input?: El[]; output?: El[]; rule?: El[] }) | undefined;
    if (!t || t.$type !== 'dmn:DecisionTable') return { id: String(d.id), table: null };
    return {
      id: String(d.id),
      table: {
        id: String(t.id),
        inputs: (t.input ?? []).map((i) => ({ label: String(i.label ?? i.id), expr: String((i.inputExpression as { text?: string } | undefined)?.text ?? '') })),
        outputs: (t.output ?? []).map((o) => ({ label: String(o.label ?? o.name ?? o.id), name: String(o.name ?? '') })),
        rules: (t.rule ?? []).map((r) => ({
          id: String(r.id),
          description: String(r.description ?? ''),
          inputs: ((r.inputEntry as Array<{ text?: string }> | undefined) ?? []).map((c) => c.text ?? ''),
          outputs: ((r.outputEntry as Array<{ text?: string }> | undefined) ?? []).map((c) => c.text ?? ''),
        })),
      },
    };
  });
  return { shape: { decisions }, warnings: warnings.map((w) => w.message) };
}

const processIds = (xml: string): string[] => [...xml.matchAll(/<bpmn:process\b[^>]*\bid="([^"]+)"/g)].map((m) => m[1]!).sort();

/** The quoted strings of a FEEL cell ("a", or "a","b"). */
const literals = (cell: string): string[] => [...cell.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);

/** The problems that keep a model from being deployed (none: it may be). */
export async function checkModel(name: string, xml: string, ctx: { catalog: Catalog; servedTypes: readonly string[]; current?: string }): Promise<string[]> {
  if (!MODEL_NAME.test(name)) return [`"${name}" is not a model's file name (lower-case, ending .bpmn or .dmn)`];
  // Nothing that runs code on an engine: checked on the text, before any parser reads it.
  const unsafe = unsafeModelParts(xml);
  if (unsafe.length > 0) return unsafe;
  if (name.endsWith('.dmn')) {
    let parsed: Awaited<ReturnType<typeof readDmn>>;
    try {
      parsed = await readDmn(xml);
    } catch (err) {
      return [`not DMN: ${(err as Error).message.slice(0, 300)}`];
    }
    const problems = parsed.warnings.map((w) => `DMN: ${w}`);
    if (parsed.shape.decisions.length === 0) problems.push('it defines no decision');
    const units = new Set(ctx.catalog.units.map((u) => u.code));
    const partners = new Set(ctx.catalog.partners.map((p) => p.code));
    const categories = new Set(ctx.catalog.categories.map((c) => c.code));
    for (const d of parsed.shape.decisions) {
      const t = d.table;
      if (!t) continue;
      for (const r of t.rules) {
        const where = `decision ${d.id}, rule ${r.id}${r.description ? ` (${r.description})` : ''}`;
        if (r.inputs.length !== t.inputs.length || r.outputs.length !== t.outputs.length) problems.push(`${where}: has ${r.inputs.length}/${r.outputs.length} cells for ${t.inputs.length} inputs and ${t.outputs.length} outputs`);
        t.outputs.forEach((o, i) => {
          const values = literals(r.outputs[i] ?? '').flatMap((v) => (o.name === 'units' ? v.split(',').map((x) => x.trim()) : [v]));
          const known = o.name === 'unit' || o.name === 'units' ? units : o.name === 'partner' ? partners : o.name === 'category' ? categories : null;
          for (const v of known ? values : []) if (v !== '' && !known!.has(v)) problems.push(`${where}: ${o.label} "${v}" is not in config/catalog.json`);
        });
        t.inputs.forEach((inp, i) => {
          if (inp.expr.trim() !== 'category') return;
          for (const v of literals(r.inputs[i] ?? '')) if (!categories.has(v)) problems.push(`${where}: category "${v}" is not in config/catalog.json`);
        });
      }
    }
    if (ctx.current) {
      const before = (await readDmn(ctx.current)).shape.decisions.map((x) => x.id).sort();
      const after = parsed.shape.decisions.map((x) => x.id).sort();
      if (JSON.stringify(before) !== JSON.stringify(after)) problems.push(`its decisions are ${after.join(', ') || 'none'}, not ${before.join(', ')}: the processes call them by id`);
    }
    return problems;
  }
  const problems: string[] = [];
  let root: unknown;
  try {
    const zeebe = JSON.parse(fs.readFileSync(path.join(projectRoot, 'node_modules/zeebe-bpmn-moddle/resources/zeebe.json'), 'utf8')) as Record<string, unknown>;
    const { rootElement, warnings } = await new BpmnModdle({ zeebe }).fromXML(xml);
    problems.push(...warnings.map((w) => `BPMN: ${w.message}`));
    root = rootElement;
  } catch (err) {
    return [`not BPMN: ${(err as Error).message.slice(0, 300)}`];
  }
  const found = await lintBpmn(root);
  problems.push(...found.filter((r) => r.category === 'error' || r.category === 'rule-error').map((r) => `bpmnlint: ${lintLine(r)}`));
  const served = new Set(ctx.servedTypes);
  for (const m of xml.matchAll(/<zeebe:taskDefinition type="([^"]+)"/g)) if (!served.has(m[1]!)) problems.push(`job type "${m[1]}" has no worker in this hub (workers/${m[1]}.ts)`);
  if (ctx.current) {
    const before = processIds(ctx.current);
    const after = processIds(xml);
    if (JSON.stringify(before) !== JSON.stringify(after)) problems.push(`its processes are ${after.join(', ') || 'none'}, not ${before.join(', ')}: orders start and call them by id`);
  }
  return [...new Set(problems)];
}

/** What changed from one version to the next, a line each (a decision table rule by rule). */
export async function describeChange(name: string, before: string | undefined, after: string): Promise<string[]> {
  if (before === undefined) return ['new model'];
  if (before === after) return [];
  if (name.endsWith('.dmn')) {
    const [a, b] = [(await readDmn(before)).shape, (await readDmn(after)).shape];
    const out: string[] = [];
    for (const d of b.decisions) {
      const old = a.decisions.find((x) => x.id === d.id)?.table;
      const now = d.table;
      if (!old || !now) continue;
      now.inputs.forEach((c, i) => {
        const was = old.inputs[i]?.expr;
        if (was !== undefined && was !== c.expr) out.push(`~ ${d.id} input ${c.label}: reads ${was || '-'} → ${c.expr || '-'}`);
      });
      const oldRules = new Map(old.rules.map((r) => [r.id, r]));
      for (const r of now.rules) {
        const o = oldRules.get(r.id);
        const label = `${d.id} rule ${r.id}${r.description ? ` (${r.description})` : ''}`;
        if (!o) {
          out.push(`+ ${label}`);
          continue;
        }
        const cells: string[] = [];
        now.inputs.forEach((c, i) => r.inputs[i] !== o.inputs[i] && cells.push(`${c.label}: ${o.inputs[i] || '-'} → ${r.inputs[i] || '-'}`));
        now.outputs.forEach((c, i) => r.outputs[i] !== o.outputs[i] && cells.push(`${c.label}: ${o.outputs[i] || '-'} → ${r.outputs[i] || '-'}`));
        if (cells.length) out.push(`~ ${label}: ${cells.join('; ')}`);
        else if (r.description !== o.description) out.push(`~ ${label}: description`);
      }
      for (const r of old.rules) if (!now.rules.some((x) => x.id === r.id)) out.push(`- ${d.id} rule ${r.id}${r.description ? ` (${r.description})` : ''}`);
      if (JSON.stringify(old.rules.map((r) => r.id)) !== JSON.stringify(now.rules.map((r) => r.id)) && out.length === 0) out.push(`${d.id}: rules reordered`);
    }
    return out.length ? out : ['layout or documentation only'];
  }
  const ids = (x: string) => new Set([...x.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]!));
  const [a, b] = [ids(before), ids(after)];
  const out = [...b].filter((i) => !a.has(i)).map((i) => `+ ${i}`).concat([...a].filter((i) => !b.has(i)).map((i) => `- ${i}`));
  return out.length ? out : ['changed (same elements)'];
}

/** The checks as the process owners' use cases take them (usecases/ports.ts). */
export const modelChecks: ModelChecks = { check: checkModel, describeChange };
