/**
 * How often and how long a failed delivery is tried again, kept apart from the code that retries
 * (kafkajs's split). Exponential with jitter, capped; after maxAttempts the row is parked for a
 * person (graphile-worker's max_attempts).
 */
export interface RetryPolicy {
  /** Delay after the first failure. */
  initialMs: number;
  factor: number;
  /** No delay is longer than this. */
  maxMs: number;
  /** 0: exactly the exponential delay; 0.5: anywhere from half of it to all of it. */
  jitter: number;
  /** Attempts after which a row is parked instead of retried. */
  maxAttempts: number;
}

/** Delay before the next attempt, after `attempts` failed ones (1 or more). */
export function retryDelayMs(policy: RetryPolicy, attempts: number, random: () => number = Math.random): number {
  const exp = policy.initialMs * policy.factor ** Math.max(0, attempts - 1);
  const capped = Math.min(policy.maxMs, exp);
  return Math.round(capped * (1 - policy.jitter * random()));
}

export const shouldPark = (policy: RetryPolicy, attempts: number): boolean => attempts >= policy.maxAttempts;
