/**
 * An operator's actions on what hangs, each recorded with who did it (the order trail and the
 * audit trail): a job that ended in an incident is run again once its cause is fixed.
 */
import type { AuditTrail } from '../infra/db/audit.js';
import type { Operations } from '../infra/db/operations.js';
import type { Trail } from '../infra/db/trail.js';
import type { Engine } from '../infra/engine/engine.js';
import { describeError } from '../infra/errors.js';

export interface RetryOutcome {
  jobType: string;
  elementId: string;
  ok: boolean;
  error?: string;
}

/** Runs again every job of the order that ended in an incident. */
export async function retryIncidents(
  d: { ops: Operations; engine: Pick<Engine, 'retryJob'>; trail: Trail; audit: AuditTrail },
  orderNo: string,
  by: { actor: string; source: 'cli' | 'api'; actorKey?: string | null; role?: string | null },
): Promise<RetryOutcome[]> {
  const open = await d.ops.incidents(orderNo);
  const out: RetryOutcome[] = [];
  for (const i of open) {
    try {
      await d.engine.retryJob(i.ref);
      d.trail.record({ orderNo, kind: 'operator', component: i.jobType, elementInstanceKey: i.ref.elementInstanceKey, detail: { action: 'retry', by: by.actor, elementId: i.ref.elementId, processInstanceKey: i.ref.processInstanceKey } });
      out.push({ jobType: i.jobType, elementId: i.ref.elementId, ok: true });
    } catch (err) {
      out.push({ jobType: i.jobType, elementId: i.ref.elementId, ok: false, error: describeError(err) });
    }
  }
  await d.trail.flush();
  // The gateway audits each request itself; the command line is audited here.
  if (by.source === 'cli') await d.audit.record({ actorKey: by.actorKey ?? null, actor: by.actor, role: by.role ?? null, unitCode: null, action: `${by.source} retry`, target: orderNo, outcome: `${out.filter((o) => o.ok).length}/${out.length} retried`, source: by.source, requestId: null });
  return out;
}
