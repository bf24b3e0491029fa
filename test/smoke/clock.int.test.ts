import { afterAll, describe, expect, it } from 'vitest';
import { DAY, restartsDone, TestClock } from '../support/clock.js';
import { engineClock } from '../../stack/clock.js';
import { loadConfig } from '../../infra/config.js';

describe.each(['zeebe', 'camunda7'] as const)('the %s clock, moved by tests', (engine) => {
  const clock = new TestClock(engine);
  afterAll(() => clock.reset());

  it('moves the engine and the hub together by a day, keeps ticking, and goes back to real time', async () => {
    const engineNow = () => engineClock(loadConfig(), engine).now();
    await clock.advance(DAY);
    const moved = await engineNow();
    expect(moved.getTime() - Date.now()).toBeGreaterThan(DAY - 60_000);
    expect(Math.abs(moved.getTime() - clock.now().getTime()), 'the hub and the engine agree').toBeLessThan(5_000);
    await new Promise((r) => setTimeout(r, 300));
    expect((await engineNow()).getTime(), 'it keeps ticking').toBeGreaterThan(moved.getTime());
    await clock.reset();
    await restartsDone(); // a moved engine restarts in the background
    expect(Math.abs((await engineNow()).getTime() - Date.now())).toBeLessThan(5_000);
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(50);
  });
});
