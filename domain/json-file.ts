/**
 * A centre's JSON file read against its schema (the catalogue, the assessment method, the major
 * matters, the reply-quality policy): the setting that names it and every field it gets wrong in
 * the error, so that a hub refuses at start what it could not use.
 */
import fs from 'node:fs';
import type { z } from 'zod';

export function readJsonFile<S extends z.ZodType>(file: string, setting: string, schema: S): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${setting} ${file} cannot be read as JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseWith(raw, `${setting} ${file}`, schema);
}

/** The value as the schema reads it, or an error naming `source` and each field it gets wrong. */
export function parseWith<S extends z.ZodType>(raw: unknown, source: string, schema: S): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new Error(`${source}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
