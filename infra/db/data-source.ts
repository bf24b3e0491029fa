import 'reflect-metadata';
import { DataSource } from 'typeorm';
import type { Config } from '../config.js';
import { entities } from './entities.js';
import { CreateOrders1764000000000 } from './migrations/1764000000000-CreateOrders.js';

export const migrations = [CreateOrders1764000000000];

/** A data source on DATABASE_URL; the caller initializes it (no connection at import time). */
export function createDataSource(config: Pick<Config, 'DATABASE_URL'>): DataSource {
  return new DataSource({
    type: 'mysql',
    url: config.DATABASE_URL,
    charset: 'utf8mb4',
    timezone: 'Z',
    entities,
    migrations,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
}
