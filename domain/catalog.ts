/**
 * The categories, districts and units the hub knows (codes and zh-CN names), read from
 * config/catalog.json (CATALOG_FILE). Who handles what is not here: that is bpmn/dispatch.dmn.
 */
import fs from 'node:fs';
import { z } from 'zod';

const entry = z.object({ code: z.string().regex(/^[a-z0-9-]+$/), name: z.string().min(1) });
export const catalogSchema = z.object({
  categories: z.array(entry).min(1),
  districts: z.array(entry).min(1),
  units: z.array(entry.extend({ level: z.number().int().min(1).max(3), email: z.email() })).min(1),
});
export type Catalog = z.output<typeof catalogSchema>;
export type Unit = Catalog['units'][number];

export function loadCatalog(file: string): Catalog {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`CATALOG_FILE ${file} cannot be read as JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = catalogSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`CATALOG_FILE ${file} is invalid: ${z.prettifyError(parsed.error)}`);
  }
  for (const list of ['categories', 'districts', 'units'] as const) {
    const codes = parsed.data[list].map((e) => e.code);
    const dup = codes.find((c, i) => codes.indexOf(c) !== i);
    if (dup) throw new Error(`CATALOG_FILE ${file}: ${list} code "${dup}" appears twice`);
  }
  return parsed.data;
}

export const findUnit = (catalog: Catalog, code: string): Unit | undefined => catalog.units.find((u) => u.code === code);
