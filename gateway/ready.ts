/** What /readyz says (gateway/app.ts): ready means "takes orders". */

/** What takes orders needs: a check not in here that is down leaves the hub "degraded", still taking orders. */
export const NEEDED_FOR_INTAKE = ['database'] as const;

/**
 * The readiness of a set of checks: "ready" when all answer ("warning: …" is something an operator
 * must see to, not a dependency that is down), "degraded" when only what intake does not need is
 * down (the engine, Kafka: orders wait in the outbox), "not ready" when the database is.
 */
export function readyState(checks: Record<string, string>): 'ready' | 'degraded' | 'not ready' {
  const up = (v: string | undefined): boolean => v === 'up' || !!v?.startsWith('warning');
  if (NEEDED_FOR_INTAKE.some((k) => !up(checks[k]))) return 'not ready';
  return Object.values(checks).every(up) ? 'ready' : 'degraded';
}
