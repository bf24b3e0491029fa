/**
 * The systems the hub connects. `adapters` are run by the kit (adapters/kit/runtime.ts) in the
 * `adapters` role when ADAPTERS names them; adding a system is adding its folder and one line
 * below (`npm run new-adapter <name>` does both). A unit system that speaks the canonical events
 * itself (unit-system) needs no adapter: the hub's own reader applies what it writes.
 */
import type { Catalog } from '../domain/catalog.js';
import { unitTopics } from '../domain/events.js';
import type { AdapterDefinition } from './kit/types.js';
import { digitalCity } from './digital-city/index.js';
import { manifest as unitSystem } from './unit-system/manifest.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each adapter has its own settings and call types
export type AnyAdapter = AdapterDefinition<any, any, any>;

export const adapters: AnyAdapter[] = [digitalCity];

/** Every system an integration key may be bound to. */
export const systemNames = (): string[] => [unitSystem.name, ...adapters.map((a) => a.manifest.name)];
export { unitSystem };

export function findAdapter(name: string): AnyAdapter | undefined {
  return adapters.find((a) => a.manifest.name === name);
}

/** Two topics per unit in the catalog (named so that an ACL on the unit's prefix fits them): the hub creates them. */
export const hubTopics = (catalog: Catalog): string[] => catalog.units.flatMap((u) => [unitTopics(u.code).dispatched, unitTopics(u.code).replied]);
