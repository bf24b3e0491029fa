/**
 * How a job that did not complete ends, in words an operator can act on, whichever engine runs it:
 * errors.ts's jobOutcome decides the kind; this adds the message naming the order, the step and
 * the remedy. Each engine binding turns the result into its own call.
 */
import { describeError, jobOutcome } from '../errors.js';

export type JobFailure =
  | { kind: 'bpmn-error'; code: string; message: string }
  | { kind: 'retry'; retries: number; backoffMs: number; message: string }
  | { kind: 'incident'; message: string };

/** `where`: "order GD…, step <type> (job <key>)"; `retryHow`: how an operator gives a job its retries back on this engine. */
export function jobFailure(where: string, err: unknown, retriesLeft: number, retryHow: string): JobFailure {
  const outcome = jobOutcome(err, retriesLeft);
  if (outcome.kind === 'bpmn-error') return outcome;
  const message = describeError(err);
  if (outcome.kind === 'retry') {
    return { ...outcome, message: `${where}: ${message}. Retrying by itself; if retries run out, check the dependency named here and ${retryHow}.` };
  }
  return { kind: 'incident', message: `${where}: ${message}. This will not pass by retrying: fix the cause (data, model or code), then ${retryHow}.` };
}

/** The message for job variables the worker cannot read: no handler runs, the job becomes an incident. */
export const invalidVariables = (where: string, problem: string, retryHow: string): string =>
  `${where}: job variables are invalid: ${problem}. Fix the variables of the process instance, then ${retryHow}.`;
