/**
 * What the `adapters` role runs: one entry per legacy system. Adding a system is adding its
 * folder and one line in `adapters` below.
 */
import type { Kafka, Producer } from 'kafkajs';
import type { Catalog } from '../domain/catalog.js';
import type { DeadLetterStore } from '../infra/db/dead-letters.js';
import type { OrderStore } from '../infra/db/orders.js';
import type { Logger } from '../infra/log.js';
import { unitSystem } from './unit-system/index.js';

export interface AdapterManifest {
  name: string;
  description: string;
  /** The hub's topic the system reads for one unit it serves, and the canonical events (type → version) it speaks there. */
  consumes: { topic: (unit: string) => string; events: Record<string, number> };
  /** The hub's topic the system writes for one unit. */
  produces: { topic: (unit: string) => string; events: Record<string, number> };
}

export interface AdapterContext {
  kafka: Kafka;
  producer: Producer;
  catalog: Catalog;
  store: OrderStore;
  deadLetters: DeadLetterStore;
  log: Logger;
}

export interface Adapter {
  manifest: AdapterManifest;
  start(ctx: AdapterContext): Promise<{ close: () => Promise<void> }>;
}

export const adapters: Adapter[] = [unitSystem];

/** Every per-unit topic the adapters speak, for every unit in the catalog: the hub creates them. */
export const hubTopics = (catalog: Catalog): string[] =>
  adapters.flatMap((a) => catalog.units.flatMap((u) => [a.manifest.consumes.topic(u.code), a.manifest.produces.topic(u.code)]));
