/**
 * Moving time in a test: the hub's clock (injected into startHub) and the engine's clock move
 * together, and keep ticking, so a timer the hub computed for "three working days from now" fires
 * when the test says three days have passed, without waiting for them.
 *
 * On Camunda 7 the lane's engine is moved, and put back to real time at the end. On Zeebe a file
 * that moves time runs on the run's clock broker (test/support/clock-engine.ts), in its turn: a
 * moved Zeebe broker cannot be put back, so that broker only ever goes forward, and the hub's
 * clock starts where the broker's is.
 */
import { loadConfig, type Config } from '../../infra/config.js';
import { engineClock, type EngineClock } from '../../stack/clock.js';
import { cancelOpenInstances } from './instances.js';
import { clockEngineHealthy, clockEngineSettings, ClockEngineTurn } from './clock-engine.js';

/** This file's turn on the clock broker, if it took one (the file's end gives it back, file-database.ts). */
let turn: ClockEngineTurn | undefined;

export class TestClock {
  private offsetMs = 0;
  /** Awaited before each move (see settleWith). */
  private settle: (() => Promise<void>) | undefined;

  /**
   * Made while the file is collected: a Zeebe clock sends the file's Zeebe hubs (every config it
   * loads from then on) to the clock broker.
   */
  constructor(private readonly engineName: Config['HUB_ENGINE']) {
    if (engineName === 'zeebe') Object.assign(process.env, clockEngineSettings());
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

  /**
   * Before the hub starts: on Camunda 7 the engine back to real time; on Zeebe, once the file has
   * its turn on the clock broker, the hub's clock set to the broker's.
   */
  async begin(): Promise<void> {
    if (this.engineName === 'camunda7') {
      await this.engine.reset();
      this.offsetMs = 0;
      return;
    }
    await clockEngineHealthy(loadConfig());
    turn ??= new ClockEngineTurn(process.env.DATABASE_URL!);
    await turn.take();
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
   * clock then: a hub's close waits for its last fetch, and the tests' long poll lasts 1 s). On
   * Zeebe the broker stays where it is; the instances the file's orders left open there are
   * cancelled (no later file's move fires their timers), and the turn goes to the next file.
   */
  async end(): Promise<void> {
    if (this.engineName === 'camunda7') {
      await this.engine.reset();
      this.offsetMs = 0;
      return;
    }
    await endTurn();
  }
}

/**
 * The end of the file's turn on the clock broker, if it has one: its open Zeebe instances there
 * are cancelled first (no later file's move fires their timers), then the turn goes to the next
 * file. TestClock.end does it, and the file's end again (file-database.ts) for a file that failed
 * before that.
 */
export async function endTurn(): Promise<void> {
  const mine = turn;
  turn = undefined;
  if (!mine?.held) return;
  try {
    await cancelOpenInstances(process.env.DATABASE_URL!, loadConfig(), ['zeebe']);
  } finally {
    await mine.give();
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
