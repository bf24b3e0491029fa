/**
 * Moving time in a test: the hub's clock (injected into startHub) and the engine's clock move
 * together, and keep ticking, so a timer the hub computed for "three working days from now" fires
 * when the test says three days have passed, without waiting for them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, projectRoot, type Config } from '../../infra/config.js';
import { engineClock, type EngineClock } from '../../stack/clock.js';
import { Stack } from '../../stack/index.js';

export class TestClock {
  private offsetMs = 0;
  private moved = false;
  /** Awaited before each move (see settleWith). */
  private settle: (() => Promise<void>) | undefined;
  private readonly engine: EngineClock;
  private readonly config: Config;

  constructor(
    private readonly engineName: Config['HUB_ENGINE'],
    config: Config = loadConfig({ ...process.env, STACK_CLOCK_CONTROL: 'true' }),
  ) {
    this.config = config;
    this.engine = engineClock(config, engineName);
  }

  /** The hub's clock: hand it to startHub({ now }). */
  readonly now = (): Date => new Date(Date.now() + this.offsetMs);

  /** What must be done before time moves: typically every engine message delivered (instances.ts engineMessagesDelivered). */
  settleWith(settle: (() => Promise<void>) | undefined): void {
    this.settle = settle;
  }

  /** Moves the hub and the engine by `ms`, once `settle` is done; resolves once the engine has taken it. */
  async advance(ms: number): Promise<void> {
    await this.settle?.();
    this.offsetMs += ms;
    this.moved = true;
    await this.engine.add(ms);
  }

  /**
   * Both clocks back to real time (call in afterAll, after the hub is closed). A Zeebe broker
   * whose clock went days ahead and back keeps reporting its partition unhealthy (its stream
   * processor's health tick was scheduled on the moved clock), so a moved broker is restarted:
   * the new one starts on the system clock, on an empty state. The restart runs in the
   * background, while the file goes on with the other engine: the next reset of this engine, and
   * the end of the file (restartsDone, in file-database.ts), wait for it.
   *
   * A moved Camunda 7 engine goes on as it is. It used to be restarted too, because a long poll
   * that waited under the moved clock held the poll handler's next wake-up days away; now no
   * request is waiting when the clock goes back (a hub's close waits for its last fetch, and the
   * tests' long poll lasts 1 s), and the instances the file left are cancelled at its end
   * (file-database.ts), so that no later clock move fires their timers.
   */
  async reset(): Promise<void> {
    await restarts.get(this.engineName);
    this.offsetMs = 0;
    await this.engine.reset();
    if (this.moved && this.engineName === 'zeebe' && !this.config.ZEEBE_ADDRESS) {
      const restart = this.restartZeebe().finally(() => restarts.delete(this.engineName));
      restart.catch(() => undefined); // reported where it is awaited
      restarts.set(this.engineName, restart);
      restarted.add(this.engineName);
    }
    this.moved = false;
  }

  private async restartZeebe(): Promise<void> {
    const stack = new Stack(this.config, () => undefined);
    // Killed, and started on an empty state: what earlier files left in the lane's broker
    // (their instances, their timers) is of no use to a later file, whose hub deploys the
    // models again; the broker starts sooner without its log to replay.
    await stack.stop('zeebe', { graceMs: 0 });
    fs.rmSync(path.resolve(projectRoot, this.config.HUB_CACHE_DIR, 'zeebe', `data-${this.config.ZEEBE_VERSION}`), { recursive: true, force: true });
    await stack.up(true, ['zeebe']);
    // Ready is not yet healthy: wait until the partition reports healthy too.
    const health = `http://127.0.0.1:${this.config.ZEEBE_MONITORING_PORT}/actuator/health`;
    const deadline = Date.now() + 60_000;
    while (((await (await fetch(health)).json()) as { status: string }).status !== 'UP') {
      if (Date.now() > deadline) throw new Error(`the restarted Zeebe did not report healthy within 60 s (${health})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Engines of this file's lane being restarted after a moved clock (TestClock.reset). */
const restarts = new Map<Config['HUB_ENGINE'], Promise<void>>();
/** Engines restarted on an empty state since the file began (what it left there is gone already). */
const restarted = new Set<Config['HUB_ENGINE']>();

/** Resolves once every restart a TestClock started has ended (a file's last step: the next file finds its engines up). */
export async function restartsDone(): Promise<void> {
  await Promise.all(restarts.values());
}

/** The engines restarted since the last call (file-database.ts asks at the end of each file). */
export function takeRestarted(): Set<Config['HUB_ENGINE']> {
  const engines = new Set(restarted);
  restarted.clear();
  return engines;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
