import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../infra/config.js';
import { categoryLeaves, categoryTree, isLeafCategory, loadCatalog, recuse, subUnitsOf } from '../../domain/catalog.js';

const write = (text: string): string => {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-')), 'catalog.json');
  fs.writeFileSync(f, text);
  return f;
};

describe('catalog', () => {
  it('loads the shipped catalog', () => {
    const c = loadCatalog(path.join(projectRoot, loadConfig({}).CATALOG_FILE));
    expect(c.categories.length).toBeGreaterThan(0);
    expect(c.units.every((u) => u.email.includes('@'))).toBe(true);
  });

  it('names the file and the fault when the catalog is broken', () => {
    const notJson = write('{ categories: ');
    expect(() => loadCatalog(notJson)).toThrow(new RegExp(`${notJson}.*JSON`));
    const centre = { name: '中心', dutyLeaderEmail: 'leader@example.org' };
    const dup = write(JSON.stringify({
      centre,
      categories: [{ code: 'a', name: '甲' }, { code: 'a', name: '乙' }],
      districts: [{ code: 'd', name: '区' }],
      units: [{ code: 'u', name: '单位', level: 2, email: 'u@example.org' }],
    }));
    expect(() => loadCatalog(dup)).toThrow(/categories code "a" appears twice/);
    const badEmail = write(JSON.stringify({
      centre,
      categories: [{ code: 'a', name: '甲' }],
      districts: [{ code: 'd', name: '区' }],
      units: [{ code: 'u', name: '单位', level: 2, email: 'nobody' }],
    }));
    expect(() => loadCatalog(badEmail)).toThrow(/is invalid/);
  });
});

describe('回避 (recuse)', () => {
  const catalog = loadCatalog(path.join(projectRoot, loadConfig({}).CATALOG_FILE));

  it('keeps the rules\' unit when the request complains about another unit or none', () => {
    expect(recuse(catalog, 'water-group', null)).toEqual({ unit: 'water-group', recused: false });
    expect(recuse(catalog, 'water-group', 'gas-group')).toEqual({ unit: 'water-group', recused: false });
  });

  it('hands the order to the supervising unit when the rules pick the unit complained about', () => {
    expect(recuse(catalog, 'water-group', 'water-group')).toEqual({ unit: 'water-bureau', recused: true });
  });

  it('leaves the choice to a dispatcher when the unit complained about has no supervisor', () => {
    expect(recuse(catalog, 'hexi-gov', 'hexi-gov')).toEqual({ unit: null, recused: true });
  });

  it('refuses a catalog whose supervisor is not a unit, or is the unit itself', () => {
    const base = { centre: { name: '中心', dutyLeaderEmail: 'leader@example.org' }, categories: [{ code: 'a', name: '甲' }], districts: [{ code: 'd', name: '区' }] };
    const unit = (extra: Record<string, unknown>) => ({ code: 'u', name: '单位', level: 2, email: 'u@example.org', ...extra });
    expect(() => loadCatalog(write(JSON.stringify({ ...base, units: [unit({ supervisor: 'ghost' })] })))).toThrow(/supervisor "ghost", which is not a unit/);
    expect(() => loadCatalog(write(JSON.stringify({ ...base, units: [unit({ supervisor: 'u' })] })))).toThrow(/cannot supervise itself/);
  });

  it('三级网络: a level-3 unit names its level-2 parent; the shipped streets each belong to a district government', () => {
    const base = { centre: { name: '中心', dutyLeaderEmail: 'leader@example.org' }, categories: [{ code: 'a', name: '甲' }], districts: [{ code: 'd', name: '区' }] };
    const unit = (code: string, level: number, extra: Record<string, unknown> = {}) => ({ code, name: code, level, email: `${code}@example.org`, ...extra });
    const load = (units: unknown[]) => loadCatalog(write(JSON.stringify({ ...base, units })));
    expect(() => load([unit('district', 2), unit('street', 3)])).toThrow(/level-3 unit "street" must name its level-2 parent/);
    expect(() => load([unit('district', 2), unit('street', 3, { parent: 'ghost' })])).toThrow(/must name its level-2 parent/);
    expect(() => load([unit('district', 2, { parent: 'x' }), unit('x', 2)])).toThrow(/only a level-3 unit names a parent/);
    expect(() => load([unit('street', 3, { parent: 'other' }), unit('other', 3, { parent: 'street' })])).toThrow(/which is level 3, not 2/);
    expect(subUnitsOf(load([unit('district', 2), unit('street', 3, { parent: 'district' }), unit('elsewhere', 2)]), 'district').map((u) => u.code)).toEqual(['street']);
    expect(subUnitsOf(catalog, 'hexi-gov').map((u) => u.name)).toEqual(['河西区友谊路街道']);
  });
});

describe('诉求分类: the category tree', () => {
  const catalog = loadCatalog(path.join(projectRoot, loadConfig({}).CATALOG_FILE));

  it('ships a tree with its source named, every dispatch rule\'s category a leaf of it', () => {
    expect(catalog.categorySource).toMatch(/GB\/T 39666-2020/);
    const tree = categoryTree(catalog);
    expect(tree.map((n) => n.code)).toContain('public-utilities');
    expect(tree.find((n) => n.code === 'public-utilities')!.children.map((n) => n.code)).toEqual(['water-outage', 'gas-fault', 'heating', 'power-outage']);
    expect(isLeafCategory(catalog, 'water-outage')).toBe(true);
    expect(isLeafCategory(catalog, 'public-utilities')).toBe(false);
    expect(isLeafCategory(catalog, 'nonsense')).toBe(false);
  });

  it('refuses a parent that is not a category, and a cycle', () => {
    const base = { centre: { name: '中心', dutyLeaderEmail: 'leader@example.org' }, districts: [{ code: 'd', name: '区' }], units: [{ code: 'u', name: '单位', level: 2, email: 'u@example.org' }] };
    expect(() => loadCatalog(write(JSON.stringify({ ...base, categories: [{ code: 'a', name: '甲', parent: 'ghost' }] })))).toThrow(/parent "ghost", which is not a category/);
    expect(() => loadCatalog(write(JSON.stringify({ ...base, categories: [{ code: 'a', name: '甲', parent: 'b' }, { code: 'b', name: '乙', parent: 'a' }] })))).toThrow(/its own ancestor/);
  });
});

describe('a search by category', () => {
  const catalog = loadCatalog(path.join(projectRoot, 'config/catalog.json'));
  it('takes a leaf as itself, a group as every leaf under it, and knows no unknown code', () => {
    expect(categoryLeaves(catalog, 'noise')).toEqual(['noise']);
    const utilities = categoryLeaves(catalog, 'public-utilities')!;
    expect(utilities).toEqual(expect.arrayContaining(['water-outage', 'gas-fault']));
    expect(utilities.every((c) => isLeafCategory(catalog, c))).toBe(true);
    expect(categoryLeaves(catalog, 'ufo-sighting')).toBeUndefined();
  });
});
