/** 抽查: which closing orders a policy draws, and what a check that fails names. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../domain/catalog.js';
import { drawSpotCheck, failedCriteria, loadSpotChecks, spotCheckSchema, spotCheckShare } from '../../domain/spot-checks.js';

const root = path.resolve(import.meta.dirname, '../..');
const catalog = loadCatalog(path.join(root, 'config/catalog.json'));
const policy = spotCheckSchema.parse({ share: 0.05, byCategory: { 'food-safety': 0.2 }, bySatisfaction: { 'basically-satisfied': 0.15 }, afterRedo: 0.3 });
const plain = { category: 'water-outage', satisfaction: 'satisfied', redoCount: 0 };

describe('spot-check policy', () => {
  it('the project\'s own policy loads against the catalog', () => {
    expect(loadSpotChecks(path.join(root, 'config/spot-checks.json'), catalog.categories).share).toBeGreaterThan(0);
  });

  it('takes the highest share that applies: base, category, callback, redo', () => {
    expect(spotCheckShare(policy, plain)).toBe(0.05);
    expect(spotCheckShare(policy, { ...plain, category: 'food-safety' })).toBe(0.2);
    expect(spotCheckShare(policy, { ...plain, satisfaction: 'basically-satisfied' })).toBe(0.15);
    expect(spotCheckShare(policy, { ...plain, category: 'food-safety', redoCount: 1 })).toBe(0.3);
    expect(spotCheckShare(policy, { ...plain, satisfaction: null })).toBe(0.05);
  });

  it('draws when the draw falls below the share: 0 draws nothing, 1 everything', () => {
    expect(drawSpotCheck(policy, plain, 0.049).drawn).toBe(true);
    expect(drawSpotCheck(policy, plain, 0.05).drawn).toBe(false);
    expect(drawSpotCheck({ ...policy, share: 1 }, plain, 0.999999).drawn).toBe(true);
    expect(drawSpotCheck({ ...policy, share: 0 }, plain, 0).drawn).toBe(false);
    expect(drawSpotCheck(policy, plain, 0)).toMatchObject({ share: 0.05, checkWorkingDays: 3, redoWorkingDays: 5 });
  });

  it('over many draws, about the share is drawn', () => {
    let n = 0;
    for (let i = 0; i < 10_000; i++) if (drawSpotCheck(policy, plain, i / 10_000).drawn) n++;
    expect(n).toBe(500);
  });

  it('refuses a share out of range and a category the catalog does not have, naming the field', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spot-'));
    const file = path.join(dir, 'p.json');
    fs.writeFileSync(file, JSON.stringify({ share: 1.5 }));
    expect(() => loadSpotChecks(file, catalog.categories)).toThrow(/SPOT_CHECK_FILE .*share/);
    fs.writeFileSync(file, JSON.stringify({ share: 0.1, byCategory: { 'no-such': 0.5 } }));
    expect(() => loadSpotChecks(file, catalog.categories)).toThrow(/no-such/);
    fs.rmSync(dir, { recursive: true });
  });

  it('names the criteria a check failed in the centre\'s words', () => {
    expect(failedCriteria({ relevant: true, complete: true, courteous: true })).toEqual([]);
    expect(failedCriteria({ relevant: false, complete: true, courteous: false })).toEqual(['答复切题', '用语文明']);
  });
});
