/**
 * What /readyz answers: each dependency checked at once, each within a time limit ("up" or
 * "down: why"), then the warnings an operator must see to. Anyone may ask, as often as they like,
 * so one check runs at a time and its answer serves every caller for a second: a flood of
 * anonymous calls costs the database, the engine and Kafka (an admin connection each time) at
 * most one check a second.
 */
import { describeError } from '../infra/errors.js';
import { sharedFor, withTimeout } from '../infra/timeout.js';

/** How long one answer serves every caller. */
export const READY_SHARED_MS = 1000;

export interface ReadinessChecks {
  timeoutMs: number;
  /** By name: resolves when the dependency answers. */
  checks: Record<string, () => Promise<unknown>>;
  /** Not failures: "up" or "warning: …" by name. */
  warnings: () => Record<string, string>;
  now?: () => number;
}

export function readiness(r: ReadinessChecks): () => Promise<Record<string, string>> {
  const check = async (what: () => Promise<unknown>): Promise<string> => {
    try {
      await withTimeout(what(), r.timeoutMs, 'check');
      return 'up';
    } catch (err) {
      return `down: ${describeError(err)}`;
    }
  };
  return sharedFor(
    READY_SHARED_MS,
    async () => {
      const running = Object.entries(r.checks).map(async ([name, what]) => [name, await check(what)] as const);
      return { ...Object.fromEntries(await Promise.all(running)), ...r.warnings() };
    },
    r.now,
  );
}

