/** The exchange-table adapter's settings: ADAPTER_EXCHANGE_TABLE_<KEY>. */
import { z } from 'zod';

export const settingsSchema = z.object({
  /** The unit's database holding GD_XF and GD_FK (a MySQL or MariaDB user allowed to insert into GD_XF and read and mark GD_FK). */
  DATABASE_URL: z.string().regex(/^mysql:\/\/[^/]+\/[A-Za-z0-9_]+$/, 'a URL such as mysql://hub:secret@10.2.3.4:3306/unit_exchange'),
  /** The units whose orders go there (their dispatched topics); answers count for the first. */
  UNITS: z.string().regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/).default('gas-group'),
  /** How often GD_FK is read for new answers. */
  POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** One statement's time limit; a slower database counts as down (retried). */
  TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
});
export type Settings = z.output<typeof settingsSchema>;
