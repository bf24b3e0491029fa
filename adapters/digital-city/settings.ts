/** The digital city management adapter's settings: ADAPTER_DIGITAL_CITY_<KEY>. */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { projectRoot } from '../../infra/config.js';

const code = z.object({ kind: z.enum(['component', 'event']), main: z.string().regex(/^\d{2}$/), sub: z.string().regex(/^\d{2}$/), name: z.string().min(1) });
export const codeTable = z.record(z.string().regex(/^[a-z0-9-]+$/, 'a hub category code'), code);
export type CodeTable = z.output<typeof codeTable>;

export const settingsSchema = z
  .object({
    /** The system's base URL (cases are POSTed to <URL>/szcg/api/case/report). */
    URL: z.url({ error: 'the system\'s base URL, such as http://10.1.2.3:8080' }),
    /** Where the adapter takes the system's status notices (<host>:<port>/dcm/notify). */
    CALLBACK_HOST: z.string().default('127.0.0.1'),
    CALLBACK_PORT: z.coerce.number().int().min(1).max(65535),
    /** The token the system sends in X-Szcg-Token with each notice (agreed with it; at least 16 characters). */
    CALLBACK_TOKEN: z.string().min(16, 'at least 16 characters'),
    /** The units whose orders go to the system (their dispatched topics). */
    UNITS: z.string().regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/).default('city-management'),
    /** The category → 部件/事件 code table the city edits. */
    CODES_FILE: z.string().default('config/digital-city-codes.yaml'),
    /** One call's time limit; a slower answer counts as the system being down (retried). */
    TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  })
  .transform((s, ctx) => {
    const file = path.resolve(projectRoot, s.CODES_FILE);
    try {
      return { ...s, codes: codeTable.parse(YAML.parse(fs.readFileSync(file, 'utf8'))) };
    } catch (err) {
      ctx.addIssue({ code: 'custom', path: ['CODES_FILE'], message: `${s.CODES_FILE}: ${(err as Error).message.split('\n')[0]}` });
      return z.NEVER;
    }
  });
export type Settings = z.output<typeof settingsSchema>;
