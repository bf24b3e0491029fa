/**
 * /readyz's answer (hub/readiness.ts): each dependency up or down with why, within its time limit,
 * and one check for any number of callers, so that anonymous calls cannot make the hub open a
 * Kafka admin connection per request. On the real stack with a dependency stopped:
 * test/spine/faults.int.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readyState } from '../../gateway/ready.js';
import { readiness, READY_SHARED_MS } from '../../hub/readiness.js';

describe('readiness', () => {
  it('says each dependency is up, or down with why, and adds the warnings', async () => {
    const ready = readiness({
      timeoutMs: 50,
      checks: { database: async () => undefined, zeebe: async () => Promise.reject(new Error('UNAVAILABLE: connect ECONNREFUSED')), kafka: () => new Promise(() => undefined) },
      warnings: () => ({ calendar: 'warning: no working-day data for 2028' }),
    });
    expect(await ready()).toEqual({ database: 'up', zeebe: expect.stringMatching(/^down: .*ECONNREFUSED/), kafka: expect.stringMatching(/^down: .*within 50 ms/), calendar: 'warning: no working-day data for 2028' });
  });

  it('checks Kafka once for a hundred callers at once, and again only after a second', async () => {
    let t = 0;
    let kafkaChecks = 0;
    const ready = readiness({ timeoutMs: 1000, checks: { kafka: async () => void kafkaChecks++ }, warnings: () => ({}), now: () => t });
    await Promise.all(Array.from({ length: 100 }, () => ready()));
    expect(kafkaChecks).toBe(1);
    t = READY_SHARED_MS - 1;
    await ready();
    expect(kafkaChecks).toBe(1);
    t = READY_SHARED_MS;
    await ready();
    expect(kafkaChecks).toBe(2);
  });
});

describe('what /readyz concludes', () => {
  it('is ready when all answer, degraded (still taking orders) when only the engine or Kafka does not, not ready without the database', () => {
    expect(readyState({ database: 'up', zeebe: 'up', kafka: 'up', calendar: 'warning: no working-day data for 2027' })).toBe('ready');
    expect(readyState({ database: 'up', zeebe: 'down: UNAVAILABLE', kafka: 'up', calendar: 'up' })).toBe('degraded');
    expect(readyState({ database: 'up', camunda7: 'up', kafka: 'down: timeout' })).toBe('degraded');
    expect(readyState({ database: 'down: ECONNREFUSED', zeebe: 'up', kafka: 'up' })).toBe('not ready');
    expect(readyState({ zeebe: 'up' })).toBe('not ready');
  });
});
