/** __NAME__'s settings: __ENV__<KEY>. */
import { z } from 'zod';

export const settingsSchema = z.object({
  /** The system's base URL. */
  URL: z.url(),
  /** Where the adapter takes the system's messages. */
  CALLBACK_HOST: z.string().default('127.0.0.1'),
  CALLBACK_PORT: z.coerce.number().int().min(1).max(65535),
  /** The token the system sends with each message (agreed with it). */
  CALLBACK_TOKEN: z.string().min(16, 'at least 16 characters'),
  /** The units whose orders go to the system. */
  UNITS: z.string().regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/).default('__UNIT__'),
  /** One call's time limit; a slower answer counts as the system being down (retried). */
  TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
});
export type Settings = z.output<typeof settingsSchema>;
