import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY, TestClock } from '../support/clock.js';
import { engineClock } from '../../stack/clock.js';
import { loadConfig } from '../../infra/config.js';

describe.each(['zeebe', 'camunda7'] as const)('the %s clock, moved by tests', (engine) => {
  const clock = new TestClock(engine);
  beforeAll(() => clock.begin(), 600_000);
  afterAll(() => clock.end());
  const engineNow = () => engineClock(loadConfig(), engine).now();

  it('moves the engine and the hub together by a day and keeps ticking; then Camunda 7 goes back to real time, and Zeebe\'s next user starts where it was left', async () => {
    const before = await engineNow();
    expect(Math.abs(before.getTime() - clock.now().getTime()), 'the hub starts where the engine is').toBeLessThan(5_000);
    await clock.advance(DAY);
    const moved = await engineNow();
    expect(moved.getTime() - before.getTime()).toBeGreaterThan(DAY - 60_000);
    expect(Math.abs(moved.getTime() - clock.now().getTime()), 'the hub and the engine agree').toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 300));
    expect((await engineNow()).getTime(), 'it keeps ticking').toBeGreaterThan(moved.getTime());

    if (engine === 'camunda7') {
      await clock.end();
      expect(Math.abs((await engineNow()).getTime() - Date.now())).toBeLessThan(5_000);
      expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(50);
    } else {
      // The lane's clock broker never goes back (test/support/clock-engine.ts): the next clock begins where it is.
      await clock.end();
      expect((await engineNow()).getTime() - Date.now()).toBeGreaterThan(DAY - 60_000);
      const next = new TestClock('zeebe');
      await next.begin();
      expect(Math.abs(next.now().getTime() - (await engineNow()).getTime())).toBeLessThan(5_000);
    }
  });
});
