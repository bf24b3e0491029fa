import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../infra/config.js';
import { modelFiles } from '../../infra/engine/deploy.js';
import { MESSAGES, ORDER_STATUSES, phaseOf, TRANSITIONS, WAITS } from '../../domain/order.js';

/** Every receive task of bpmn/ as process/element → the name of the message it waits for. */
function modelWaits(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of modelFiles(path.join(projectRoot, 'bpmn')).filter((f) => f.endsWith('.bpmn'))) {
    const xml = fs.readFileSync(file, 'utf8');
    const processId = /<bpmn:process\b[^>]*\bid="([^"]+)"/.exec(xml)![1]!;
    const names = new Map([...xml.matchAll(/<bpmn:message id="([^"]+)" name="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
    for (const m of xml.matchAll(/<bpmn:receiveTask\b[^>]*\bid="([^"]+)"[^>]*\bmessageRef="([^"]+)"/g)) out.set(`${processId}/${m[1]}`, names.get(m[2]!) ?? `undefined message ${m[2]}`);
  }
  return out;
}

/** The messages the models' message start events take. */
function modelStarts(): Set<string> {
  const out = new Set<string>();
  for (const file of modelFiles(path.join(projectRoot, 'bpmn')).filter((f) => f.endsWith('.bpmn'))) {
    const xml = fs.readFileSync(file, 'utf8');
    const names = new Map([...xml.matchAll(/<bpmn:message id="([^"]+)" name="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]));
    for (const m of xml.matchAll(/<bpmn:startEvent\b[\s\S]*?<\/bpmn:startEvent>/g)) {
      const ref = /messageRef="([^"]+)"/.exec(m[0])?.[1];
      if (ref) out.add(names.get(ref) ?? `undefined message ${ref}`);
    }
  }
  return out;
}

describe('the models and the order core agree on where an order waits', () => {
  const waits = modelWaits();

  it('knows every wait of the models, and no wait the models do not have', () => {
    expect([...waits.keys()].sort()).toEqual(Object.keys(WAITS).sort());
  });

  it.each(Object.entries(WAITS))('%s waits for the message the core sends to end it', (id, w) => {
    expect(waits.get(id)).toBe(w.message);
  });

  it.each(Object.entries(WAITS))('%s: the steps that end it are allowed only where the model waits for them', (id, w) => {
    for (const t of w.by) expect([...TRANSITIONS[t].from], `${t} (${id})`).toEqual(TRANSITIONS[t].from.filter((s) => w.statuses.includes(s)));
  });

  it('never leaves an order waiting on the world in a status the engine moves on by itself, or one that has ended', () => {
    for (const [id, w] of Object.entries(WAITS)) for (const s of w.statuses) expect(['engine', 'done'], `${id}: ${s}`).not.toContain(phaseOf(s));
  });

  it('has the models wait in every status where a unit, a person or a partner moves the order on', () => {
    const awaited = new Set(Object.values(WAITS).flatMap((w) => w.statuses));
    expect(ORDER_STATUSES.filter((s) => !['engine', 'done'].includes(phaseOf(s)) && !awaited.has(s))).toEqual([]);
  });

  it('sends only messages some model waits for (or starts with)', () => {
    const used = new Set([...waits.values(), ...modelStarts()]);
    expect(Object.values(MESSAGES).filter((m) => !used.has(m))).toEqual([]);
  });

  it('starts the work order by intake and by a failed spot check, and by nothing else', () => {
    expect([...modelStarts()].sort()).toEqual([MESSAGES.start, MESSAGES.reopen].sort());
  });
});
