/** The operators' reading of the hub, shared by the `hub` command and the gateway: the stuck rules from the config. */
import path from 'node:path';
import { projectRoot, type Config } from '../infra/config.js';
import type { StuckOptions } from '../infra/db/operations.js';
import { workers } from '../workers/index.js';

export function stuckOptions(config: Config, now?: Date): StuckOptions {
  return {
    now,
    noProgressMs: config.STUCK_NO_PROGRESS_MINUTES * 60_000,
    outboxMs: config.STUCK_OUTBOX_SECONDS * 1000,
    timerGraceMs: config.STUCK_TIMER_GRACE_MINUTES * 60_000,
    servedTypes: Object.keys(workers),
    modelsDir: path.join(projectRoot, 'bpmn'),
  };
}
