/**
 * 延期: a supervisor approved the unit's extension (the decision and the order's new deadline were
 * recorded when the task was completed); the handling timers move with the deadline: a new
 * reminder before it and a new supervision instant after it. Acknowledgement is not asked again.
 */
import { z } from 'zod';
import { handlingTimes, timerDate } from '../domain/deadline.js';
import { defineWorker } from '../infra/engine/job-contract.js';
import { handlingPolicy, instant, timerInstant } from './variables.js';

export default defineWorker({
  variables: z.object({ orderNo: z.string(), policy: handlingPolicy, extension: z.object({ approved: z.literal(true), dueAt: instant }) }),
  outputs: z.object({ dueAt: timerInstant, remindAt: timerInstant, escalateAt: timerInstant, acknowledged: z.literal(true) }),
  create: ({ now }) => async ({ policy, extension }) => {
    const t = handlingTimes(now(), extension.dueAt, policy);
    return { dueAt: timerDate(extension.dueAt), remindAt: timerDate(t.remindAt), escalateAt: timerDate(t.escalateAt), acknowledged: true };
  },
});
