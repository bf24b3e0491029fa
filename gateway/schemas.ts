/** Request bodies of the HTTP API, validated at runtime and turned into the OpenAPI document. */
import { z } from 'zod';

export const ORDER_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export const CHANNELS = ['phone', 'web', 'wechat', 'app', 'email', 'sms'] as const;

export const createOrderBody = z.strictObject({
  channel: z.enum(CHANNELS),
  type: z.enum(ORDER_TYPES),
  category: z.string().min(1).max(64),
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(4000),
  district: z.string().min(1).max(64),
  address: z.string().trim().min(1).max(300),
  urgent: z.boolean().default(false),
  citizen: z.strictObject({
    name: z.string().trim().min(1).max(100),
    phone: z.string().regex(/^\+?[0-9-]{5,20}$/, 'digits, optionally with + and -'),
    confidential: z.boolean().default(false),
  }),
});

export const unitReplyBody = z.strictObject({
  result: z.string().trim().min(1).max(4000),
  handledBy: z.string().trim().min(1).max(100),
});

export const callbackBody = z.strictObject({
  satisfaction: z.enum(['satisfied', 'basically-satisfied', 'unsatisfied']),
  note: z.string().max(1000).default(''),
});
