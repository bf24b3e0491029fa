/**
 * API keys for the integration tests, made in the test database the way `hub keys create` makes
 * them: one per role, and one unit key per catalog unit. Valid for a day.
 */
import path from 'node:path';
import { ROLES, type Role } from '../../domain/access.js';
import { loadCatalog } from '../../domain/catalog.js';
import { KeyStore } from '../../infra/auth/keys.js';
import { loadConfig, projectRoot } from '../../infra/config.js';
import { createDataSource, openDataSource } from '../../infra/db/data-source.js';
import { migrations } from '../../infra/db/data-source.js';

export interface TestKeys {
  /** A key of each role (the unit one is bound to water-group, the integration one to unit-system). */
  role: Record<Role, string>;
  /** A second application's integration key (adapter other-app): what it may not see of unit-system's. */
  otherApp: string;
  /** A unit key for each catalog unit. */
  unit: Record<string, string>;
  ids: Record<string, string>;
}

export async function makeKeys(): Promise<TestKeys> {
  const config = loadConfig();
  const catalog = loadCatalog(path.resolve(projectRoot, config.CATALOG_FILE));
  const ds = await openDataSource(createDataSource(config));
  try {
    if (migrations.length > 0) await ds.runMigrations({ transaction: 'each' });
    const keys = new KeyStore(ds);
    const expiresAt = new Date(Date.now() + 86_400_000);
    const role = {} as Record<Role, string>;
    const unit: Record<string, string> = {};
    const ids: Record<string, string> = {};
    for (const r of ROLES) {
      const made = await keys.create({ name: `测试${r}`, role: r, unit: r === 'unit' ? 'water-group' : null, adapter: r === 'integration' ? 'unit-system' : null, expiresAt, createdBy: 'test' });
      role[r] = made.token;
      ids[r] = made.key.id;
    }
    const otherApp = (await keys.create({ name: '测试另一应用', role: 'integration', adapter: 'other-app', expiresAt, createdBy: 'test' })).token;
    for (const u of catalog.units) {
      const made = await keys.create({ name: `测试${u.name}`, role: 'unit', unit: u.code, expiresAt, createdBy: 'test' });
      unit[u.code] = made.token;
      ids[`unit:${u.code}`] = made.key.id;
    }
    return { role, otherApp, unit, ids };
  } finally {
    await ds.destroy();
  }
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
