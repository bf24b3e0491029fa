/**
 * What the `adapters` role runs: one entry per legacy system. Adding a system is adding its
 * folder and one line in `adapters` below.
 */
import type { Kafka, Producer } from 'kafkajs';
import type { Catalog } from '../domain/catalog.js';
import type { OrderStore } from '../infra/db/orders.js';
import type { Logger } from '../infra/log.js';
import { unitSystem } from './unit-system/index.js';

export interface AdapterManifest {
  name: string;
  description: string;
  /** The hub's topic the system reads, and the canonical events (type → version) it speaks there. */
  consumes: { topic: string; events: Record<string, number> };
  /** The hub's topic the system writes. */
  produces: { topic: string; events: Record<string, number> };
}

export interface AdapterContext {
  kafka: Kafka;
  producer: Producer;
  catalog: Catalog;
  store: OrderStore;
  log: Logger;
}

export interface Adapter {
  manifest: AdapterManifest;
  start(ctx: AdapterContext): Promise<{ close: () => Promise<void> }>;
}

export const adapters: Adapter[] = [unitSystem];
