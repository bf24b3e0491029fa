/** Process variables that several workers read, validated once here. */
import { z } from 'zod';

/** The output of bpmn/dispatch.dmn. */
export const dispatchDecision = z
  .object({
    mode: z.enum(['answer-now', 'refer', 'forward', 'coordinate', 'phone-dispatch', 'written-dispatch', 'urgent']),
    unit: z.string().nullable(),
    workingDays: z.number().int().positive().nullable(),
    minutes: z.number().positive().nullable(),
    /** 引导: where the caller is told to turn. */
    advice: z.string().nullish(),
    /** 协调办理: the units the centre convenes (comma-separated catalog codes). */
    units: z.string().nullish(),
    /** Which table the engine evaluated: the mark the hub gives the engine's copy (infra/engine/catalogue-stamp.ts). */
    catalogueStamp: z.string().nullish(),
  })
  .refine((d) => !['phone-dispatch', 'written-dispatch', 'urgent'].includes(d.mode) || d.workingDays !== null || d.minutes !== null, {
    message: 'a dispatched order needs workingDays or minutes',
  })
  .refine((d) => d.mode !== 'refer' || !!d.advice, { message: 'a referral needs the advice the caller is given' })
  .refine((d) => d.mode !== 'coordinate' || !!d.units, { message: 'coordinated handling needs the units to convene' });
export type DispatchDecision = z.output<typeof dispatchDecision>;

export const unitReply = z.object({
  id: z.string(),
  unit: z.string(),
  result: z.string(),
  handledBy: z.string(),
  repliedAt: z.string(),
});

/** The output of bpmn/handling-policy.dmn. */
export const handlingPolicy = z.object({
  acknowledgeMinutes: z.number().positive(),
  remindBeforeMinutes: z.number().min(0),
  escalateAfterMinutes: z.number().min(0),
  /** 紧急件: once on site, a progress report is due this often (urgent orders only). */
  progressMinutes: z.number().positive().nullish(),
});

/** A timer instant the hub wrote (ISO 8601). */
export const instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** An instant a worker hands a BPMN timer (ISO 8601 in UTC, whole seconds: domain/deadline.ts timerDate). */
export const timerInstant = z.iso.datetime();
