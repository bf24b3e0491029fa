/**
 * An adapter's settings come from ADAPTER_<NAME>_<KEY> (name upper-cased, dashes as underscores),
 * validated by its own schema; a bad or missing one stops the adapter's start with the variable's name.
 */
import { z } from 'zod';
import { ConfigError } from '../../infra/config.js';

export const envPrefix = (adapter: string): string => `ADAPTER_${adapter.toUpperCase().replace(/-/g, '_')}_`;

export function adapterSettings<S>(adapter: string, schema: z.ZodType<S>, env: Readonly<Record<string, string>>): S {
  const prefix = envPrefix(adapter);
  const raw = Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new ConfigError(parsed.error.issues.map((i) => `${prefix}${i.path.join('.')}: ${i.message}`));
}

/** The settings the kit itself reads for every adapter, besides the adapter's own. */
export const kitSettings = z.object({
  /** Consumer group (default adapter.<name>): a second group reads the same orders again. */
  GROUP_ID: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/).optional(),
  /** Tries of a legacy call before the event is dead-lettered. */
  MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  /** Delay after the first failed try; doubled each time (with jitter), at most RETRY_MAX_MS. */
  RETRY_INITIAL_MS: z.coerce.number().int().min(10).max(60_000).default(500),
  RETRY_MAX_MS: z.coerce.number().int().min(10).max(300_000).default(10_000),
});
export type KitSettings = z.output<typeof kitSettings>;
