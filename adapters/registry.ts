/**
 * The systems the hub connects. An adapter is a folder under adapters/ whose index.ts exports
 * `adapter` (adapters/kit/types.ts); the `adapters` role runs those ADAPTERS names, loading each
 * by its folder: adding a system is adding its folder (`npm run new-adapter <name>`). A unit
 * system that speaks the canonical events itself (unit-system) needs no adapter: the hub's own
 * reader (hub/inbound.ts) applies what it writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Catalog } from '../domain/catalog.js';
import { partnerTopics, unitTopics } from '../domain/events.js';
import type { AdapterDefinition } from './kit/types.js';
import { manifest as unitSystem } from './unit-system/manifest.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each adapter has its own settings and call types
export type AnyAdapter = AdapterDefinition<any, any, any>;

export const adaptersDir = path.dirname(fileURLToPath(import.meta.url));
/** An adapter's entry: index.ts from the sources, index.js compiled (npm run build, the container). */
const INDEX = import.meta.url.endsWith('.ts') ? 'index.ts' : 'index.js';
export { unitSystem };

/** The adapter folders: each holds an index.ts exporting `adapter`. */
export function adapterNames(): string[] {
  return fs
    .readdirSync(adaptersDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && /^[a-z0-9][a-z0-9-]*$/.test(d.name) && fs.existsSync(path.join(adaptersDir, d.name, INDEX)))
    .map((d) => d.name)
    .sort();
}

/** Every system an integration key may be bound to. */
export const systemNames = (): string[] => [unitSystem.name, ...adapterNames()];

export async function loadAdapter(name: string): Promise<AnyAdapter> {
  if (!adapterNames().includes(name)) throw new Error(`no adapter "${name}": adapters/${name}/index.ts does not exist (there are: ${adapterNames().join(', ') || 'none'})`);
  const mod = (await import(/* @vite-ignore */ pathToFileURL(path.join(adaptersDir, name, INDEX)).href)) as { adapter?: AnyAdapter };
  if (!mod.adapter || mod.adapter.manifest?.name !== name) throw new Error(`adapters/${name}/index.ts must export \`adapter\` (defineAdapter) whose manifest.name is "${name}"`);
  return mod.adapter;
}

/** Two topics per unit in the catalog (named so that an ACL on the unit's prefix fits them): the hub creates them. */
export const hubTopics = (catalog: Catalog): string[] => [
  ...catalog.units.flatMap((u) => [unitTopics(u.code).dispatched, unitTopics(u.code).replied]),
  ...catalog.partners.flatMap((p) => [partnerTopics(p.code).handover, partnerTopics(p.code).events]),
];
