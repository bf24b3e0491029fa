/** Reads the Open311 service table (OPEN311_FILE) once at start; a bad one stops the start with what is wrong. */
import fs from 'node:fs';
import YAML from 'yaml';
import { z } from 'zod';
import type { Catalog } from '../domain/catalog.js';
import { checkOpen311Table, open311Table, type Open311Table } from '../domain/open311.js';

export function loadOpen311(file: string, catalog: Catalog): Open311Table {
  const parsed = open311Table.safeParse(YAML.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  const problems = checkOpen311Table(parsed.data, catalog);
  if (problems.length > 0) throw new Error(`${file}: ${problems.join('; ')}`);
  return parsed.data;
}
