/**
 * The categories, districts and units the hub knows (codes and zh-CN names), read from
 * config/catalog.json (CATALOG_FILE). Who handles what is not here: that is bpmn/dispatch.dmn.
 */
import fs from 'node:fs';
import { z } from 'zod';

const entry = z.object({ code: z.string().regex(/^[a-z0-9-]+$/), name: z.string().min(1) });
export const catalogSchema = z.object({
  /** The hotline centre itself; dutyLeaderEmail: where escalations (督办…) go when the duty rota (值班表) has nobody on duty. */
  centre: z.object({ name: z.string().min(1), dutyLeaderEmail: z.email() }),
  /** Where the category tree comes from (a standard, a city's own catalogue): shown with it. */
  categorySource: z.string().optional(),
  /** 诉求分类: a tree by `parent`; orders are classified to a leaf. */
  categories: z.array(entry.extend({ parent: z.string().regex(/^[a-z0-9-]+$/).optional() })).min(1),
  districts: z.array(entry).min(1),
  units: z
    .array(
      entry.extend({
        level: z.number().int().min(1).max(3),
        email: z.email(),
        /** 主管单位: the unit that takes an order complaining about this one (回避). None: a dispatcher decides. */
        supervisor: z.string().regex(/^[a-z0-9-]+$/).optional(),
        /** 上级单位: a level-3 unit (street, town) belongs to the level-2 unit that sub-dispatches to it and reviews its answers. */
        parent: z.string().regex(/^[a-z0-9-]+$/).optional(),
      }),
    )
    .min(1),
  /** 联动单位: the emergency lines (110/119/120/122) the hotline hands emergencies to and takes transfers from. */
  partners: z.array(entry.extend({ number: z.string().regex(/^\d{3}$/) })).default([]),
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
  const byCode = new Map(parsed.data.categories.map((c) => [c.code, c]));
  for (const c of parsed.data.categories) {
    const seen = new Set([c.code]);
    for (let p = c.parent; p !== undefined; p = byCode.get(p)?.parent) {
      if (!byCode.has(p)) throw new Error(`CATALOG_FILE ${file}: category "${c.code}" names parent "${p}", which is not a category`);
      if (seen.has(p)) throw new Error(`CATALOG_FILE ${file}: category "${c.code}" is its own ancestor (a cycle through "${p}")`);
      seen.add(p);
    }
  }
  for (const u of parsed.data.units) {
    if (u.supervisor === undefined) continue;
    if (u.supervisor === u.code) throw new Error(`CATALOG_FILE ${file}: unit "${u.code}" cannot supervise itself`);
    if (!parsed.data.units.some((x) => x.code === u.supervisor)) throw new Error(`CATALOG_FILE ${file}: unit "${u.code}" names supervisor "${u.supervisor}", which is not a unit`);
  }
  for (const u of parsed.data.units) {
    const parent = u.parent === undefined ? undefined : parsed.data.units.find((x) => x.code === u.parent);
    if (u.level === 3 && !parent) throw new Error(`CATALOG_FILE ${file}: level-3 unit "${u.code}" must name its level-2 parent unit ("parent"), which must be in the catalog`);
    if (u.level !== 3 && u.parent !== undefined) throw new Error(`CATALOG_FILE ${file}: unit "${u.code}" is level ${u.level}; only a level-3 unit names a parent`);
    if (parent && parent.level !== 2) throw new Error(`CATALOG_FILE ${file}: unit "${u.code}" names parent "${parent.code}", which is level ${parent.level}, not 2`);
  }
  return parsed.data;
}

/** The level-3 units (streets, towns) a level-2 unit may sub-dispatch to. */
export const subUnitsOf = (catalog: Catalog, code: string): Unit[] => catalog.units.filter((u) => u.level === 3 && u.parent === code);

export const findUnit = (catalog: Catalog, code: string): Unit | undefined => catalog.units.find((u) => u.code === code);

export const findPartner = (catalog: Catalog, code: string): Catalog['partners'][number] | undefined => catalog.partners.find((p) => p.code === code);

/** A category no other names as its parent: what an order is classified to. */
export const isLeafCategory = (catalog: Catalog, code: string): boolean =>
  catalog.categories.some((c) => c.code === code) && !catalog.categories.some((c) => c.parent === code);

/** The categories an order of `code` has: itself when a leaf, else every leaf under it (a search by a group); undefined when the catalog has no such category. */
export function categoryLeaves(catalog: Catalog, code: string): string[] | undefined {
  if (!catalog.categories.some((c) => c.code === code)) return undefined;
  const below = (c: string): string[] => {
    const children = catalog.categories.filter((x) => x.parent === c).map((x) => x.code);
    return children.length ? children.flatMap(below) : [c];
  };
  return below(code);
}

export interface CategoryNode {
  code: string;
  name: string;
  children: CategoryNode[];
}

/** The categories as a tree, in the file's order. */
export function categoryTree(catalog: Catalog): CategoryNode[] {
  const nodes = new Map(catalog.categories.map((c) => [c.code, { code: c.code, name: c.name, children: [] as CategoryNode[] }]));
  const roots: CategoryNode[] = [];
  for (const c of catalog.categories) (c.parent ? nodes.get(c.parent)!.children : roots).push(nodes.get(c.code)!);
  return roots;
}

/**
 * 回避: the unit an order may go to when it complains about `complained`. The rules' choice
 * stands unless it is the unit complained about; then its supervising unit takes it, and where
 * the catalog names none, a dispatcher must choose (`unit: null`).
 */
export function recuse(catalog: Catalog, chosen: string | null, complained: string | null): { unit: string | null; recused: boolean } {
  if (!chosen || !complained || chosen !== complained) return { unit: chosen, recused: false };
  const supervisor = findUnit(catalog, complained)?.supervisor;
  return { unit: supervisor && supervisor !== complained ? supervisor : null, recused: true };
}
