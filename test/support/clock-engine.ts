/**
 * Each lane's second Zeebe broker: the one whose clock its tests move (test/support/clock.ts). A
 * Zeebe broker whose clock went forward and back again is of no use after: its actors' timers (the
 * partition's health tick, the timer and job time-out checkers) were scheduled on the moved clock
 * and wait for real time to catch up with it. So a lane's own broker keeps real time, and the
 * lane's files that move time run their Zeebe hubs on its clock broker, whose clock only ever goes
 * forward: a file starts at the time the last one left it, and its hub follows (the hub's `now` is
 * the broker's). A lane's files run one after another, so one file at a time moves it.
 *
 * Lane n's clock broker listens on 27500 + 10 × n …, keeps its data in .cache/test-lane-<n>-clock,
 * and runs Zeebe alone.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig, projectRoot, type Config } from '../../infra/config.js';
import type { Stack } from '../../stack/index.js';
import { laneSettings, templateDatabase } from './lanes.js';

/** The clock broker's addresses: put into a test file's environment, they send its Zeebe hubs there. */
export function clockEngineSettings(lane: number): Record<string, string> {
  const base = 27500 + 10 * lane;
  return {
    ZEEBE_GATEWAY_PORT: String(base),
    ZEEBE_COMMAND_PORT: String(base + 1),
    ZEEBE_INTERNAL_PORT: String(base + 2),
    ZEEBE_MONITORING_PORT: String(base + 3),
    ZEEBE_REST_PORT: String(base + 4),
  };
}

/** The configuration the stack starts lane `lane`'s clock broker with. */
export const clockEngineConfig = (lane: number, env: NodeJS.ProcessEnv = process.env): Config =>
  loadConfig({ ...env, ...laneSettings(lane, templateDatabase(env.DATABASE_URL!)), ...clockEngineSettings(lane), HUB_CACHE_DIR: `.cache/test-lane-${lane}-clock` });

/** Starts a lane's clock broker on an empty state (the global setup, once the lanes are up). */
export async function startClockEngine(stack: Stack, config: Config): Promise<void> {
  await stack.down();
  fs.rmSync(path.resolve(projectRoot, config.HUB_CACHE_DIR, 'zeebe', `data-${config.ZEEBE_VERSION}`), { recursive: true, force: true });
  await stack.up(true, ['zeebe'], { kafka: false });
}

/** Whether this worker (its lane) has seen its clock broker healthy. */
let seenHealthy = false;

/**
 * Waits, the first time, until the clock broker's partition reports healthy (it starts while the
 * lane's first files run). Not after: a broker whose clock jumped reports its partition unhealthy
 * for about a minute (its health tick compares times of the moved clock), and goes on working.
 */
export async function clockEngineStarted(config: Config, timeoutMs = 180_000): Promise<void> {
  if (seenHealthy) return;
  const health = `http://127.0.0.1:${config.ZEEBE_MONITORING_PORT}/actuator/health`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(health, { signal: AbortSignal.timeout(2000) })
      .then(async (r) => ((await r.json()) as { status: string }).status)
      .catch(() => 'DOWN');
    if (status === 'UP') break;
    if (Date.now() > deadline) throw new Error(`the lane's clock broker (${health}) did not report healthy within ${timeoutMs / 1000} s: see its log under .cache/test-lane-*-clock/zeebe`);
    await new Promise((r) => setTimeout(r, 250));
  }
  seenHealthy = true;
}
