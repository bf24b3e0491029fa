/**
 * The composition root: reads nothing itself, wires configuration, clients and roles together.
 * Every other module receives what it needs as arguments; nothing connects at import time.
 */
import path from 'node:path';
import { projectRoot, type Config } from './config.js';
import { createDataSource } from './db/data-source.js';
import { OrderStore } from './db/orders.js';
import { loadCatalog } from './domain/catalog.js';
import { createLogger, type Logger } from './log.js';
import { createZeebeClient } from './zeebe/client.js';
import { deployModels } from './zeebe/deploy.js';
import { startWorkers } from './zeebe/workers.js';
import { workers } from '../workers/index.js';

export interface RunningHub {
  log: Logger;
  store: OrderStore;
  close(): Promise<void>;
}

export async function startHub(config: Config, log: Logger = createLogger(config.LOG_LEVEL)): Promise<RunningHub> {
  const roles = new Set(config.HUB_ROLES.split(','));
  const catalog = loadCatalog(path.resolve(projectRoot, config.CATALOG_FILE));
  const ds = createDataSource(config);
  await ds.initialize();
  const ran = await ds.runMigrations({ transaction: 'each' });
  if (ran.length > 0) log.info({ migrations: ran.map((m) => m.name) }, 'database migrated');
  const store = new OrderStore(ds);
  const zeebe = createZeebeClient(config);
  await deployModels(zeebe, path.join(projectRoot, 'bpmn'), log);

  const closers: Array<() => Promise<void>> = [];
  if (roles.has('workers')) {
    const running = startWorkers(zeebe, workers, { store, catalog, config, log, now: () => new Date() });
    closers.push(running.close);
    log.info({ taskTypes: Object.keys(workers) }, 'job workers started');
  }

  return {
    log,
    store,
    close: async () => {
      for (const c of closers.reverse()) await c();
      await zeebe.close();
      await ds.destroy();
    },
  };
}
