/**
 * The composition root: reads nothing itself, wires configuration, clients and roles together.
 * Every other module receives what it needs as arguments; nothing connects at import time.
 */
import path from 'node:path';
import { projectRoot, type Config } from '../infra/config.js';
import { createDataSource } from '../infra/db/data-source.js';
import { OrderStore } from '../infra/db/orders.js';
import { loadCatalog } from '../domain/catalog.js';
import { createLogger, type Logger } from '../infra/log.js';
import { createZeebeClient } from '../infra/engine/zeebe-client.js';
import { deployModels } from '../infra/engine/deploy.js';
import { startWorkers } from '../infra/engine/job-runtime.js';
import { workers } from '../workers/index.js';
import type { Server } from 'node:http';
import { Partitioners } from 'kafkajs';
import nodemailer from 'nodemailer';
import { createGateway } from '../gateway/app.js';
import { ensureTopics, startInbound } from '../adapters/unit-system/inbound.js';
import { createKafka } from '../infra/kafka.js';
import { startOutboxRelay } from '../infra/outbox/relay.js';

export interface RunningHub {
  log: Logger;
  store: OrderStore;
  /** The gateway's base URL when this process runs the gateway role. */
  url?: string;
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

  if (roles.has('adapters')) {
    const kafka = createKafka(config, 'hotline-hub');
    await ensureTopics(kafka);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const mailer = config.SMTP_URL ? nodemailer.createTransport(config.SMTP_URL) : undefined;
    const relay = startOutboxRelay({ store, producer, mailer, mailFrom: config.MAIL_FROM, log: log.child({ role: 'outbox-relay' }), pollMs: config.OUTBOX_POLL_MS });
    const inbound = await startInbound({ kafka, producer, catalog, store, zeebe, log: log.child({ role: 'inbound' }), groupId: 'hotline-hub' });
    closers.push(async () => {
      await inbound.close();
      await relay.close();
      await producer.disconnect();
      mailer?.close();
    });
    log.info('adapters started: outbox relay and unit-reply consumer');
  }

  let url: string | undefined;
  if (roles.has('gateway')) {
    const app = createGateway({ store, zeebe, catalog, log: log.child({ role: 'gateway' }) });
    const server = await new Promise<Server>((resolve, reject) => {
      const s = app.listen(config.PORT, () => resolve(s));
      s.once('error', (err) => reject(new Error(`gateway cannot listen on PORT=${config.PORT}: ${err.message}`)));
    });
    url = `http://127.0.0.1:${config.PORT}`;
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    log.info({ url: `${url}/api/v1`, openapi: `${url}/api/v1/openapi.json` }, 'gateway listening');
  }

  return {
    log,
    store,
    url,
    close: async () => {
      for (const c of closers.reverse()) await c();
      await zeebe.close();
      await ds.destroy();
    },
  };
}
