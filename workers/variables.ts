/** Process variables that several workers read, validated once here. */
import { z } from 'zod';

/** The output of bpmn/dispatch.dmn. */
export const dispatchDecision = z
  .object({
    mode: z.enum(['answer-now', 'phone-dispatch', 'written-dispatch', 'urgent']),
    unit: z.string().nullable(),
    workingDays: z.number().int().positive().nullable(),
    minutes: z.number().positive().nullable(),
  })
  .refine((d) => d.mode === 'answer-now' || d.workingDays !== null || d.minutes !== null, {
    message: 'a dispatched order needs workingDays or minutes',
  });
export type DispatchDecision = z.output<typeof dispatchDecision>;

export const unitReply = z.object({
  id: z.string(),
  unit: z.string(),
  result: z.string(),
  handledBy: z.string(),
  repliedAt: z.string(),
});
