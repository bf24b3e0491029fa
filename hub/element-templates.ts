/**
 * Camunda 8 element templates for the hub's job types, generated from the worker registry: a
 * process owner in Camunda Desktop Modeler picks "12345 派单 dispatch-order" instead of typing a job
 * type, and sees what the worker reads (input mappings, each `=<variable>` as the models pass it
 * today), what it writes back (output mappings) and the BPMN errors it may throw. Modeler finds
 * them in `.camunda/element-templates/` above the models. `npm run templates` writes them; a unit
 * test keeps them equal to what this generates, valid and one per served job type.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { JOB_NAMES } from '../domain/text.js';
import { projectRoot } from '../infra/config.js';
import type { WorkerDefinition } from '../infra/engine/job-contract.js';

export const TEMPLATES_DIR = path.join(projectRoot, '.camunda/element-templates');
const SCHEMA = 'https://unpkg.com/@camunda/zeebe-element-templates-json-schema/resources/schema.json';

type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; required?: string[]; enum?: unknown[]; const?: unknown; format?: string; items?: JsonSchema; anyOf?: JsonSchema[] };

/** What a value is, in a few words: "string", "object", "one of a, b", "ISO 8601 instant". */
function kind(s: JsonSchema): string {
  if (s.const !== undefined) return `always ${JSON.stringify(s.const)}`;
  if (s.enum) return `one of ${s.enum.join(', ')}`;
  if (s.format === 'date-time') return 'ISO 8601 instant';
  if (s.anyOf) return s.anyOf.map(kind).join(' or ');
  const t = Array.isArray(s.type) ? s.type.filter((x) => x !== 'null').join(' or ') : (s.type ?? 'any');
  return s.type === 'array' && s.items ? `list of ${kind(s.items)}` : t;
}

/** The first paragraph of the worker file's leading comment: what the task does. */
function workerDoc(type: string): string {
  const src = fs.readFileSync(path.join(projectRoot, 'workers', `${type}.ts`), 'utf8');
  const block = /^\/\*\*([\s\S]*?)\*\//.exec(src)?.[1] ?? '';
  const lines = block.split('\n').map((l) => l.replace(/^\s*\*\s?/, ''));
  const para: string[] = [];
  for (const l of lines) {
    if (l.trim() === '' && para.length > 0) break;
    if (l.trim() !== '') para.push(l.trim());
  }
  return para.join(' ');
}

/** The element template of one job type. */
export function elementTemplate(type: string, def: WorkerDefinition): Record<string, unknown> {
  const name = (JOB_NAMES as Record<string, string>)[type] ?? type;
  const inputs = z.toJSONSchema(def.variables, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const outputs = def.outputs ? (z.toJSONSchema(def.outputs, { io: 'output', unrepresentable: 'any' }) as JsonSchema) : { properties: {} };
  const required = new Set(inputs.required ?? []);
  const errors = def.errors ?? [];
  const doc = workerDoc(type);
  const description = [doc.startsWith(name) ? doc : `${name}：${doc}`, errors.length ? `BPMN errors it may throw: ${errors.join(', ')}.` : ''].filter(Boolean).join(' ');
  return {
    $schema: SCHEMA,
    name: `12345 ${name} ${type}`,
    id: `hotline-hub.${type}`,
    version: 1,
    description,
    keywords: ['12345', 'hotline-hub', type],
    appliesTo: ['bpmn:Task'],
    elementType: { value: 'bpmn:ServiceTask' },
    groups: [
      { id: 'job', label: '任务 job' },
      { id: 'inputs', label: '读取的变量 inputs' },
      { id: 'outputs', label: '写回的变量 outputs' },
    ],
    properties: [
      { type: 'Hidden', value: type, binding: { type: 'zeebe:taskDefinition', property: 'type' } },
      { label: '重试次数 retries', description: 'A retriable failure (a database or broker away) is tried again this many times; a bug becomes an incident at once.', type: 'String', value: '3', group: 'job', binding: { type: 'zeebe:taskDefinition', property: 'retries' }, constraints: { notEmpty: true, pattern: { value: '^[1-9][0-9]*$', message: 'a positive whole number' } } },
      ...Object.entries(inputs.properties ?? {})
        .filter(([v]) => v !== 'traceparent')
        .map(([v, s]) => ({
          id: `input.${v}`,
          label: v,
          description: `Read by the worker: ${kind(s)}${required.has(v) ? ', required' : ', optional'}.`,
          type: 'String',
          feel: 'required',
          value: `=${v}`,
          group: 'inputs',
          binding: { type: 'zeebe:input', name: v },
          ...(required.has(v) ? { constraints: { notEmpty: true } } : { optional: true }),
        })),
      ...Object.entries(outputs.properties ?? {}).map(([v, s]) => ({
        id: `output.${v}`,
        label: v,
        description: `Written back by the worker: ${kind(s)}. The process variable it becomes.`,
        type: 'String',
        value: v,
        group: 'outputs',
        binding: { type: 'zeebe:output', source: `=${v}` },
        constraints: { notEmpty: true },
      })),
    ],
  };
}

/** Every served job type's template as the file it is written to: name → JSON text. */
export function elementTemplateFiles(registry: Record<string, WorkerDefinition>): Map<string, string> {
  return new Map(Object.keys(registry).sort().map((type) => [`${type}.json`, `${JSON.stringify(elementTemplate(type, registry[type]!), null, 2)}\n`]));
}

/** Writes the templates, and removes one whose job type no worker serves any more. */
export function writeElementTemplates(registry: Record<string, WorkerDefinition>): { written: number; removed: string[] } {
  const files = elementTemplateFiles(registry);
  fs.mkdirSync(TEMPLATES_DIR, { recursive: true });
  const removed = fs.readdirSync(TEMPLATES_DIR).filter((f) => f.endsWith('.json') && !files.has(f));
  for (const f of removed) fs.rmSync(path.join(TEMPLATES_DIR, f));
  for (const [f, text] of files) fs.writeFileSync(path.join(TEMPLATES_DIR, f), text);
  return { written: files.size, removed };
}
