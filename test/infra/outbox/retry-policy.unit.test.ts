import { describe, expect, it } from 'vitest';
import { retryDelayMs, shouldPark, type RetryPolicy } from '../../../infra/outbox/retry-policy.js';

const policy: RetryPolicy = { initialMs: 1000, factor: 2, maxMs: 60_000, jitter: 0.5, maxAttempts: 5 };

describe('outbox retry policy', () => {
  it('doubles the delay with each failure, up to the cap', () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 7, 20].map((n) => retryDelayMs(policy, n, noJitter))).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000]);
  });

  it('spreads retries of many rows with jitter, never beyond the exponential delay', () => {
    expect(retryDelayMs(policy, 3, () => 1)).toBe(2000);
    expect(retryDelayMs(policy, 3, () => 0.5)).toBe(3000);
  });

  it('parks a row after its last attempt', () => {
    expect(shouldPark(policy, 4)).toBe(false);
    expect(shouldPark(policy, 5)).toBe(true);
  });
});
