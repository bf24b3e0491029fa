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
import { camunda7DatabaseUrl } from '../../stack/camunda7.js';
import { dropDatabases } from './test-databases.js';

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
   * the new one starts on the system clock, on an empty state. A moved Camunda 7 engine is
   * restarted too, on an empty database.
   *
   * The restart runs in the background, while the file goes on with the other engine: the next
   * reset of this engine, and the end of the file (restartsDone, in file-database.ts), wait for it.
   */
  async reset(): Promise<void> {
    await restarts.get(this.engineName);
    this.offsetMs = 0;
    await this.engine.reset();
    if (this.moved) {
      const restart = this.restart().finally(() => restarts.delete(this.engineName));
      restart.catch(() => undefined); // reported where it is awaited
      restarts.set(this.engineName, restart);
    }
    this.moved = false;
  }

  private async restart(): Promise<void> {
    // A Camunda 7 engine whose clock went days ahead and back answers its external-task long polls
    // late: a request that waited under the moved clock holds the poll handler's next wake-up
    // days away, so a new task waits for the next request's timeout (30 s). Restarted as well.
    if (this.engineName === 'camunda7' && !this.config.CAMUNDA7_REST_URL) {
      const stack = new Stack(this.config, () => undefined);
      // Such an engine does not stop on SIGTERM either (it waited out the 30 s grace every time): killed.
      await stack.stop('camunda7', { graceMs: 0 });
      // On an empty database, as Zeebe on an empty state: the instances earlier files left (their
      // timers come due in later files, whose workers then fetch tasks for orders they do not
      // have, ahead of their own) are of no use to a later file, whose hub deploys the models again.
      await dropDatabases(this.config.DATABASE_URL, [new URL(camunda7DatabaseUrl(this.config)).pathname.slice(1)]);
      await stack.up(true, ['camunda7']);
    }
    if (this.engineName === 'zeebe' && !this.config.ZEEBE_ADDRESS) {
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
}

/** Engines of this file's lane being restarted after a moved clock (TestClock.reset). */
const restarts = new Map<Config['HUB_ENGINE'], Promise<void>>();

/** Resolves once every restart a TestClock started has ended (a file's last step: the next file finds its engines up). */
export async function restartsDone(): Promise<void> {
  await Promise.all(restarts.values());
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
