/**
 * Moving time in a test: the hub's clock (injected into startHub) and the engine's clock move
 * together, and keep ticking, so a timer the hub computed for "three working days from now" fires
 * when the test says three days have passed, without waiting for them.
 *
 * On Camunda 7 the lane's engine is moved, and put back to real time at the end. On Zeebe a file
 * that moves time runs its Zeebe hubs on the lane's clock broker (test/support/clock-engine.ts):
 * a moved Zeebe broker cannot be put back, so that broker only ever goes forward, and the hub's
 * clock starts where the broker's is.
 */
import { loadConfig, type Config } from '../../infra/config.js';
import { engineClock, type EngineClock } from '../../stack/clock.js';
import { clockEngineStarted, clockEngineSettings } from './clock-engine.js';

export class TestClock {
  private offsetMs = 0;
  /** Awaited before each move (see settleWith). */
  private settle: (() => Promise<void>) | undefined;

  /**
   * Made while the file is collected: a Zeebe clock sends the file's Zeebe hubs (every config it
   * loads from then on, and the instances cancelled at its end) to the lane's clock broker.
   */
  constructor(private readonly engineName: Config['HUB_ENGINE']) {
    if (engineName === 'zeebe') Object.assign(process.env, clockEngineSettings(Number(process.env.HUB_TEST_LANE)));
  }

  private get engine(): EngineClock {
    return engineClock(loadConfig({ ...process.env, STACK_CLOCK_CONTROL: 'true' }), this.engineName);
  }

  /** The hub's clock: hand it to startHub({ now }). */
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);

  /** What must be done before time moves: typically every engine message delivered (instances.ts engineMessagesDelivered). */
  settleWith(settle: (() => Promise<void>) | undefined): void {
    this.settle = settle;
  }

  /** Before the hub starts: Camunda 7 back to real time; on Zeebe, the hub's clock set to the clock broker's. */
  async begin(): Promise<void> {
    if (this.engineName === 'camunda7') return this.end();
    await clockEngineStarted(loadConfig());
    const before = Date.now();
    const engineNow = (await this.engine.now()).getTime();
    this.offsetMs = engineNow - Math.round((before + Date.now()) / 2);
  }

  /** Moves the hub and the engine by `ms`, once `settle` is done; resolves once the engine has taken it. */
  async advance(ms: number): Promise<void> {
    await this.settle?.();
    this.offsetMs += ms;
    await this.engine.add(ms);
  }

  /**
   * After the hub has closed: Camunda 7 back to real time (no request is waiting on the moved
   * clock then: a hub's close waits for its last fetch, and the tests' long poll lasts 1 s). The
   * clock broker stays where it is.
   */
  async end(): Promise<void> {
    if (this.engineName === 'zeebe') return;
    await this.engine.reset();
    this.offsetMs = 0;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
