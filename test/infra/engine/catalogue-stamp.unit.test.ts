/**
 * The mark on the engine's copy of the dispatch table (infra/engine/catalogue-stamp.ts): one more
 * output, given by every rule, the content's SHA-256 prefix; the same content gives the same copy
 * (a restart deploys nothing new); a table without the decision, or naming the output itself, is
 * refused; other models go to the engine as written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DmnModdle } from 'dmn-moddle';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, forEngine, stampCatalogue, stampOf } from '../../../infra/engine/catalogue-stamp.js';
import { sha256 } from '../../../usecases/ports.js';

const xml = fs.readFileSync(path.resolve(import.meta.dirname, '../../../bpmn/dispatch.dmn'), 'utf8');
type El = Record<string, unknown> & { $type: string };

async function table(content: string): Promise<El> {
  const { rootElement } = await new DmnModdle().fromXML(content, 'dmn:Definitions');
  return ((rootElement as El).drgElement as El[]).find((e) => e.id === 'dispatch')!.decisionLogic as El;
}

describe('the catalogue mark', () => {
  it('adds an output every rule gives, the content\'s SHA-256 prefix, and keeps every rule and output as written', async () => {
    const stamped = await stampCatalogue(xml);
    const before = await table(xml);
    const after = await table(stamped);
    const outputs = after.output as El[];
    expect(outputs.map((o) => o.name)).toEqual([...(before.output as El[]).map((o) => o.name), CATALOGUE.output]);
    const rules = after.rule as El[];
    expect(rules).toHaveLength((before.rule as El[]).length);
    for (const [i, r] of rules.entries()) {
      const entries = r.outputEntry as El[];
      expect(entries, String(r.id)).toHaveLength(outputs.length);
      expect(entries.at(-1)!.text).toBe(`"${sha256(xml).slice(0, 16)}"`);
      expect(entries.slice(0, -1).map((e) => e.text)).toEqual(((before.rule as El[])[i]!.outputEntry as El[]).map((e) => e.text));
    }
    expect(stampOf(xml)).toMatch(/^[0-9a-f]{16}$/);
    expect(await stampCatalogue(xml), 'the same content, the same copy: a restart deploys no new version').toBe(stamped);
  });

  it('marks only the dispatch table on its way to the engine', async () => {
    const review = fs.readFileSync(path.resolve(import.meta.dirname, '../../../bpmn/review-policy.dmn'), 'utf8');
    const out = await forEngine([{ name: 'review-policy.dmn', content: review }, { name: 'dispatch.dmn', content: xml }]);
    expect(out[0]!.content).toBe(review);
    expect(out[1]!.content).toContain('catalogueStamp');
  });

  it('refuses a table without the decision, or one that names the output itself', async () => {
    await expect(stampCatalogue(xml.replaceAll('id="dispatch"', 'id="other"'))).rejects.toThrow(/no decision table "dispatch"/);
    const clash = (await stampCatalogue(xml)).replace(/"[0-9a-f]{16}"/g, '"x"');
    await expect(stampCatalogue(clash)).rejects.toThrow(/names an output "catalogueStamp"/);
  });
});
