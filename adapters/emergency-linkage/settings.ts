/** The emergency linkage adapter's settings: ADAPTER_EMERGENCY_LINKAGE_<KEY>. */
import { z } from 'zod';

export const settingsSchema = z.object({
  /** The linkage platform's base URL. */
  URL: z.url(),
  /** Where the adapter takes the lines' events. */
  CALLBACK_HOST: z.string().default('127.0.0.1'),
  CALLBACK_PORT: z.coerce.number().int().min(1).max(65535),
  /** The token the platform sends with each event (agreed with it; at least 16 characters). */
  CALLBACK_TOKEN: z.string().min(16, 'at least 16 characters'),
  /** The emergency lines (catalog partners) reached through this platform. */
  PARTNERS: z.string().regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/).default('police-110,fire-119,medical-120,traffic-122'),
  /** One call's time limit: a hand-over that is not taken in seconds is tried again. */
  TIMEOUT_MS: z.coerce.number().int().min(100).max(30_000).default(3000),
});
export type Settings = z.output<typeof settingsSchema>;
