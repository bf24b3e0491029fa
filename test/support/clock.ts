/**
 * Moving time in a test: the hub's clock (injected into startHub) and the engine's clock move
 * together, and keep ticking, so a timer the hub computed for "three working days from now" fires
 * when the test says three days have passed, without waiting for them.
 */
import { loadConfig, type Config } from '../../infra/config.js';
import { engineClock, type EngineClock } from '../../stack/clock.js';

export class TestClock {
  private offsetMs = 0;
  private readonly engine: EngineClock;

  constructor(engine: Config['HUB_ENGINE'], config: Config = loadConfig()) {
    this.engine = engineClock(config, engine);
  }

  /** The hub's clock: hand it to startHub({ now }). */
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);

  /** Moves the hub and the engine by `ms`; resolves once the engine has taken it. */
  async advance(ms: number): Promise<void> {
    this.offsetMs += ms;
    await this.engine.add(ms);
  }

  /** Both clocks back to real time (call in afterAll/afterEach). */
  async reset(): Promise<void> {
    this.offsetMs = 0;
    await this.engine.reset();
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
