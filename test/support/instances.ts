/**
 * Process instances a test file or the bench leaves waiting (for replies that never come):
 * cancelled at the end of each file (file-database.ts) and of a bench run, so that their timers
 * do not fire when a later file moves the engine's clock, and their jobs do not queue ahead of
 * the next file's.
 */
import { Camunda8 } from '@camunda8/sdk';
import type { DataSource } from 'typeorm';
import { camunda7Api, zeebeAddress, type Config } from '../../infra/config.js';
import { DONE_STATUSES } from '../../domain/order.js';
import { queryDatabase } from './test-databases.js';

export async function runPool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/** A Zeebe key is a number; a Camunda 7 process instance id is a UUID. */
export const engineOfInstance = (key: string): Config['HUB_ENGINE'] => (/^\d+$/.test(key) ? 'zeebe' : 'camunda7');

/** Cancels each instance (an engine's own key); one already ended is left as it is. */
export async function cancelInstances(config: Config, engine: Config['HUB_ENGINE'], keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  if (engine === 'camunda7') {
    const api = camunda7Api(config);
    await runPool(keys, 20, async (k) => void (await fetch(`${api.url}/process-instance/${k}?skipCustomListeners=true`, { method: 'DELETE', headers: { ...api.headers } }).catch(() => undefined)));
    return;
  }
  const zeebe = new Camunda8({ ZEEBE_GRPC_ADDRESS: `grpc://${zeebeAddress(config)}`, CAMUNDA_AUTH_STRATEGY: 'NONE', zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: 'NONE' } }).getZeebeGrpcApiClient();
  try {
    await runPool(keys, 20, async (k) => void (await zeebe.cancelProcessInstance(k).catch(() => undefined)));
  } finally {
    await zeebe.close();
  }
}

/** Cancels, on `engines` as `config` names them, the instances of the orders in the database `url` not done yet. */
export async function cancelOpenInstances(url: string, config: Config, engines: ReadonlyArray<Config['HUB_ENGINE']>): Promise<void> {
  const rows = await queryDatabase<{ k: string }>(url, 'SELECT process_instance_key AS k FROM work_order WHERE process_instance_key IS NOT NULL AND status NOT IN (?)', [DONE_STATUSES]);
  const keys = rows.map((r) => String(r.k));
  for (const engine of engines) await cancelInstances(config, engine, keys.filter((k) => engineOfInstance(k) === engine));
}

/**
 * Waits until the outbox has sent every row not yet tried, so that the next
 * test's hub does not start with this one's backlog of e-mails and messages ahead of its own.
 */
export async function drainOutbox(ds: DataSource, timeoutMs = 120_000, channel?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Rows that failed once wait for their retry (a message for an instance not waiting yet may be
    // retried for its time to live): only the backlog never tried is waited for.
    const rows = (await ds.query(`SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL AND parked_at IS NULL AND attempts = 0${channel ? ' AND channel = ?' : ''}`, channel ? [channel] : [])) as Array<{ n: string | number }>;
    const n = Number(rows[0]?.n ?? 0);
    if (n === 0) return;
    if (Date.now() > deadline) throw new Error(`the outbox still holds ${n} undelivered ${channel ?? ''} rows after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Before a clock moves: every engine message the hub committed has reached the engine. A timer
 * that fires while a message for the same instance is being correlated collides with it (on
 * Camunda 7 the timer job loses the optimistic lock and waits out its lock before it runs again).
 */
export const engineMessagesDelivered = (ds: DataSource) => () => drainOutbox(ds, 60_000, 'engine');
