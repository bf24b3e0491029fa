/**
 * The element templates process owners use in Camunda Desktop Modeler (.camunda/element-templates/):
 * one per job type this hub serves, valid by the Zeebe element-template schema Modeler checks them
 * with, carrying the worker's declared inputs and outputs, and the same as `npm run templates`
 * writes from the worker registry (a worker changed without them fails here).
 */
import fs from 'node:fs';
import path from 'node:path';
import { validateZeebe } from '@bpmn-io/element-templates-validator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { elementTemplate, elementTemplateFiles, TEMPLATES_DIR } from '../../hub/element-templates.js';
import { workers } from '../../workers/index.js';

const onDisk = (): string[] => fs.readdirSync(TEMPLATES_DIR).filter((f) => f.endsWith('.json')).sort();
type Property = { type: string; value?: string; binding: { type: string; property?: string; name?: string; source?: string } };

describe('element templates', () => {
  it('one per served job type, and none for a type no worker serves', () => {
    expect(onDisk()).toEqual(Object.keys(workers).map((t) => `${t}.json`).sort());
  });

  it('are what `npm run templates` writes from the workers (run it after changing a worker)', () => {
    for (const [file, text] of elementTemplateFiles(workers)) expect(fs.readFileSync(path.join(TEMPLATES_DIR, file), 'utf8'), `${file}: run npm run templates`).toBe(text);
  });

  it('pass the Zeebe element-template schema Modeler validates them with', () => {
    for (const file of onDisk()) {
      const { valid, errors } = validateZeebe(JSON.parse(fs.readFileSync(path.join(TEMPLATES_DIR, file), 'utf8')));
      expect(errors ?? [], file).toEqual([]);
      expect(valid, file).toBe(true);
    }
  });

  it('set the job type, map every variable the worker reads, and every variable it writes back', () => {
    for (const [type, def] of Object.entries(workers)) {
      const props = elementTemplate(type, def).properties as Property[];
      expect(props.filter((p) => p.binding.type === 'zeebe:taskDefinition' && p.binding.property === 'type').map((p) => p.value)).toEqual([type]);
      const reads = Object.keys((def.variables as z.ZodObject).shape);
      expect(props.filter((p) => p.binding.type === 'zeebe:input').map((p) => [p.binding.name, p.value]), type).toEqual(reads.map((v) => [v, `=${v}`]));
      const writes = Object.keys(def.outputs?.shape ?? {});
      expect(props.filter((p) => p.binding.type === 'zeebe:output').map((p) => [p.binding.source, p.value]), type).toEqual(writes.map((v) => [`=${v}`, v]));
    }
    // The one that decides: dispatch-order writes the timers its model waits on.
    const dispatch = elementTemplate('dispatch-order', workers['dispatch-order']!).properties as Property[];
    expect(dispatch.filter((p) => p.binding.type === 'zeebe:output').map((p) => p.value)).toEqual(expect.arrayContaining(['dueAt', 'acknowledgeBy', 'remindAt', 'escalateAt', 'dispatchSeq']));
  });
});
