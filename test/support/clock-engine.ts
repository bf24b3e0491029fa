/**
 * The one Zeebe broker of a test run whose clock tests move (test/support/clock.ts). A Zeebe
 * broker whose clock went forward and back again is of no use after: its actors' timers (the
 * partition's health tick, the timer and job-timeout checkers) were scheduled on the moved clock
 * and wait for real time to catch up with it. So the lanes' brokers keep real time, and the files
 * that move time take turns on this broker, whose clock only ever goes forward: a file starts at
 * the time the last one left it, and the hub it starts follows (its `now` is the broker's). A
 * database lock makes the turns: one file at a time, whichever lane it runs in.
 *
 * It lives on lane 0's ports and cache folder (lanes are 1..TEST_LANES), and only Zeebe runs there.
 */
import fs from 'node:fs';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { projectRoot, type Config } from '../../infra/config.js';
import { Stack } from '../../stack/index.js';
import { laneConfig, laneSettings, templateDatabase } from './lanes.js';

export const CLOCK_LANE = 0;

/** The clock broker's addresses: put into a test file's environment, they send its Zeebe hubs there. */
export function clockEngineSettings(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const lane = laneSettings(CLOCK_LANE, templateDatabase(env.DATABASE_URL!));
  const zeebe = Object.entries(lane).filter(([k]) => k.startsWith('ZEEBE_'));
  return Object.fromEntries(zeebe);
}

export const clockEngineConfig = (env: NodeJS.ProcessEnv = process.env): Config => laneConfig(CLOCK_LANE, env);

/** Starts the clock broker on an empty state (global setup, beside the lanes). */
export async function startClockEngine(config: Config, say: (line: string) => void): Promise<Stack> {
  const stack = new Stack(config, say);
  await stack.down();
  fs.rmSync(path.resolve(projectRoot, config.HUB_CACHE_DIR, 'zeebe', `data-${config.ZEEBE_VERSION}`), { recursive: true, force: true });
  await stack.up(true, ['zeebe'], { kafka: false });
  return stack;
}

/** Waits until the clock broker's partition reports healthy (it starts in the background while the first files run). */
export async function clockEngineHealthy(config: Config, timeoutMs = 180_000): Promise<void> {
  const health = `http://127.0.0.1:${config.ZEEBE_MONITORING_PORT}/actuator/health`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(health, { signal: AbortSignal.timeout(2000) })
      .then(async (r) => ((await r.json()) as { status: string }).status)
      .catch(() => 'DOWN');
    if (status === 'UP') return;
    if (Date.now() > deadline) throw new Error(`the tests' clock broker (${health}) did not report healthy within ${timeoutMs / 1000} s: see ${config.HUB_CACHE_DIR}/zeebe's log`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * A file's turn on the clock broker: MySQL's GET_LOCK, held by one connection, so that a worker
 * that dies gives its turn back with its connection.
 */
export class ClockEngineTurn {
  private conn: mysql.Connection | undefined;

  constructor(private readonly databaseUrl: string) {}

  get held(): boolean {
    return this.conn !== undefined;
  }

  private get name(): string {
    return `${templateDatabase(this.databaseUrl).replace(/_f\d+$/, '')}_clock_broker`;
  }

  async take(timeoutS = 540): Promise<void> {
    if (this.conn) return;
    const url = new URL(this.databaseUrl);
    url.pathname = '/';
    const conn = await mysql.createConnection(url.toString());
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS got', [this.name, timeoutS]);
    if (Number(rows[0]?.got) !== 1) {
      await conn.end();
      throw new Error(`no turn on the tests' clock broker within ${timeoutS} s: another file holds it (lock ${this.name})`);
    }
    this.conn = conn;
  }

  async give(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    if (!conn) return;
    try {
      await conn.query('SELECT RELEASE_LOCK(?)', [this.name]);
    } finally {
      await conn.end();
    }
  }
}
