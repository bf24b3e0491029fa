import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, projectRoot } from '../../infra/config.js';
import { loadCatalog } from '../../domain/catalog.js';

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
    const dup = write(JSON.stringify({
      categories: [{ code: 'a', name: '甲' }, { code: 'a', name: '乙' }],
      districts: [{ code: 'd', name: '区' }],
      units: [{ code: 'u', name: '单位', level: 2, email: 'u@example.org' }],
    }));
    expect(() => loadCatalog(dup)).toThrow(/categories code "a" appears twice/);
    const badEmail = write(JSON.stringify({
      categories: [{ code: 'a', name: '甲' }],
      districts: [{ code: 'd', name: '区' }],
      units: [{ code: 'u', name: '单位', level: 2, email: 'nobody' }],
    }));
    expect(() => loadCatalog(badEmail)).toThrow(/is invalid/);
  });
});
