/**
 * An operator's actions on what hangs, each recorded with who did it (the order trail and the
 * audit trail): a job that ended in an incident is run again once its cause is fixed.
 */
import type { Producer } from 'kafkajs';
import type { AuditTrail } from '../infra/db/audit.js';
import type { DeadLetterStore } from '../infra/db/dead-letters.js';
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

/**
 * Sends dead-lettered Kafka messages back to their topic, as they were: every consumer of it sees
 * them again, and each applies a message once (by its event id). A message that came from a legacy
 * system (not Kafka) is sent again by that system, not here.
 */
export async function replayDeadLetters(d: { deadLetters: DeadLetterStore; producer: () => Promise<Producer> }, ids?: string[]): Promise<Array<{ id: string; topic: string }>> {
  const rows = await d.deadLetters.forReplay(ids);
  if (rows.length === 0) return [];
  const producer = await d.producer();
  const out: Array<{ id: string; topic: string }> = [];
  for (const r of rows) {
    await producer.send({ topic: r.sourceTopic, messages: [{ key: r.key, value: r.value, headers: { ...r.headers, 'dlq-replay-of': r.id } }] });
    await d.deadLetters.markReplayed([r.id]);
    out.push({ id: r.id, topic: r.sourceTopic });
  }
  return out;
}
