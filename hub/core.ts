/**
 * The wired parts every role and the command line share: the database (migrated), the stores, the
 * trail and the catalog, without starting a role. Kept apart from the composition root
 * (compose.ts) so that a command such as `hub stuck` loads the database layer only, not the
 * gateway, the engines' clients, Kafka and every worker.
 */
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { loadCatalog, type Catalog } from '../domain/catalog.js';
import { projectRoot, type Config } from '../infra/config.js';
import { KeyStore } from '../infra/auth/keys.js';
import { AuditTrail } from '../infra/db/audit.js';
import { DeadLetterStore } from '../infra/db/dead-letters.js';
import { KnowledgeStore } from '../infra/db/knowledge.js';
import { createDataSource, migrate, openDataSource } from '../infra/db/data-source.js';
import type { OutboxChannel } from '../infra/db/entities.js';
import { SqlOrderStore } from '../infra/db/orders.js';
import { CircularStore } from '../infra/db/circulars.js';
import { SqlDutyRota } from '../infra/db/duty-rota.js';
import { CitizenCodeStore } from '../infra/db/citizen-codes.js';
import { DigestStore } from '../infra/db/digest.js';
import { Trail } from '../infra/db/trail.js';
import { createLogger, type Logger } from '../infra/log.js';
import { OutboxStore } from '../infra/outbox/store.js';

export interface Core {
  config: Config;
  log: Logger;
  ds: DataSource;
  store: SqlOrderStore;
  outbox: OutboxStore;
  keys: KeyStore;
  audit: AuditTrail;
  deadLetters: DeadLetterStore;
  knowledge: KnowledgeStore;
  /** The order trail (jobs' outcomes, events read from Kafka), written in batches. */
  trail: Trail;
  catalog: Catalog;
  /** 通报: drafts, sending (its mails through the outbox). */
  circulars: CircularStore;
  /** 值班表: who escalations go to. */
  rota: SqlDutyRota;
  /** 群众来电摘报 */
  digests: DigestStore;
  /** 市民自助查询 by SMS: one-time codes. */
  codes: CitizenCodeStore;
  close(): Promise<void>;
}

/** The database (migrated), the stores and the catalog: what every role and the CLI share. */
export async function openCore(
  config: Config,
  log: Logger = createLogger(config.LOG_LEVEL),
  onOutbox?: (c: ReadonlySet<OutboxChannel>) => void,
  now: () => Date = () => new Date(),
): Promise<Core> {
  const catalog = loadCatalog(path.resolve(projectRoot, config.CATALOG_FILE));
  const ds = await openDataSource(createDataSource(config));
  const ran = await migrate(ds, config.DATABASE_MIGRATIONS);
  if (ran.length > 0) log.info({ migrations: ran }, 'database migrated');
  // The audit trail through its own user when one is given (docs/access.md "Database users").
  const auditDs = config.AUDIT_DATABASE_URL ? await openDataSource(createDataSource({ DATABASE_URL: config.AUDIT_DATABASE_URL }, { connectionLimit: 4 })) : ds;
  const owner = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const trail = new Trail(ds, log.child({ role: 'trail' }));
  return {
    config,
    log,
    ds,
    store: new SqlOrderStore(ds, (c) => onOutbox?.(c), now, config.TASK_DUE_MINUTES * 60_000),
    outbox: new OutboxStore(ds, owner),
    keys: new KeyStore(ds),
    audit: new AuditTrail(auditDs),
    deadLetters: new DeadLetterStore(ds),
    knowledge: new KnowledgeStore(ds),
    trail,
    catalog,
    circulars: new CircularStore(ds, (c) => onOutbox?.(c)),
    rota: new SqlDutyRota(ds),
    digests: new DigestStore(ds, (c) => onOutbox?.(c)),
    codes: new CitizenCodeStore(ds, now, (c) => onOutbox?.(c)),
    close: async () => {
      await trail.close();
      if (auditDs !== ds) await auditDs.destroy();
      await ds.destroy();
    },
  };
}

