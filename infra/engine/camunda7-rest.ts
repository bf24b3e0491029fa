/**
 * What the hub says to a Camunda 7-API engine over its REST API besides the workers: the
 * messages of the outbox's engine channel (start an order's instance, hand it a reply or a
 * callback), and whether the engine answers.
 *
 * Zeebe semantics kept on Camunda 7:
 * - A start is made once per correlation key: a second delivery finds the instance in the engine's
 *   history (business key = the order's correlation id) and starts nothing.
 * - Waits correlate on the receive task's local `correlationKey` (the converter puts it there).
 *   Camunda 7 does not buffer a message that comes before its wait: the row is retried (with the
 *   outbox's backoff) until its time to live has passed, then parked for a person.
 * - A message is applied once: correlating also sets a marker variable named after its id, and a
 *   redelivery that finds no wait finds the marker and counts as delivered.
 */
import { createHash } from 'node:crypto';
import type { Camunda7Api } from '../config.js';
import type { OutboxRow } from '../db/entities.js';
import { describeError, RetriableError } from '../errors.js';
import { DecisionFailed, type IncidentRef } from './job-contract.js';
import type { ChannelSender, Delivery } from '../outbox/relay.js';
import { engineMessageOf, type EngineMessagePayload } from './port.js';
import { mapLimit, withTimeout } from '../timeout.js';

/** A task's first delivery carries no retry count: it starts at the same 5 the Zeebe models give (and an operator's retry gives it those again). */
export const DEFAULT_RETRIES = 5;

export type TypedValue = { value: unknown; type: string; valueInfo?: Record<string, unknown> };

/** JSON objects travel as Java maps serialized as JSON, which JUEL reads (`dispatch.mode`) and Spin writes back. */
const OBJECT_TYPE = 'java.util.LinkedHashMap<java.lang.String,java.lang.Object>';
const LIST_TYPE = 'java.util.ArrayList<java.lang.Object>';

export function typedVariables(vars: Record<string, unknown>): Record<string, TypedValue> {
  const out: Record<string, TypedValue> = {};
  for (const [k, v] of Object.entries(vars)) {
    if (v === null || v === undefined) out[k] = { value: null, type: 'Null' };
    else if (typeof v === 'boolean') out[k] = { value: v, type: 'Boolean' };
    else if (typeof v === 'number') out[k] = Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? { value: v, type: 'Integer' } : { value: v, type: 'Double' };
    else if (typeof v === 'string') out[k] = { value: v, type: 'String' };
    // A list is a Java list, so that a multi-instance can run over it (camunda:collection).
    else out[k] = { value: JSON.stringify(v), type: 'Object', valueInfo: { serializationDataFormat: 'application/json', objectTypeName: Array.isArray(v) ? LIST_TYPE : OBJECT_TYPE } };
  }
  return out;
}

/** The engine's typed variables as plain values: JSON-serialized objects read back as objects. */
export function plainVariables(typed: Record<string, TypedValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(typed)) {
    const type = t.type.toLowerCase();
    if ((type === 'object' && t.valueInfo?.serializationDataFormat === 'application/json') || type === 'json') {
      out[k] = typeof t.value === 'string' ? JSON.parse(t.value) : t.value;
    } else out[k] = t.value;
  }
  return out;
}

/** The engine failed (5xx): tried again later, like no answer. */
class EngineFailed extends RetriableError {
  constructor(
    readonly status: number,
    body: string,
  ) {
    super(`the Camunda 7 engine failed (${status}): ${body.slice(0, 300)}`);
  }
}

class EngineAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`the Camunda 7 engine answered ${status}: ${body.slice(0, 300)}`);
  }
}

async function rest<T>(api: Camunda7Api, method: string, path: string, body: unknown, timeoutMs: number): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`${api.url}${path}`, { method, headers: { 'content-type': 'application/json', ...api.headers }, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    throw new RetriableError(`the Camunda 7 engine at ${api.url} did not answer`, { cause: err });
  }
  const text = await res.text();
  // Retried, not given up: the messages wait in the outbox until the credentials are put right.
  if (res.status === 401) throw new RetriableError(`the Camunda 7 engine at ${api.url} refused the hub's credentials (401): check CAMUNDA7_USERNAME and CAMUNDA7_PASSWORD`);
  if (res.status >= 500) throw new EngineFailed(res.status, text);
  if (!res.ok) throw new EngineAnswer(res.status, text);
  return (text ? JSON.parse(text) : undefined) as T;
}

const markerOf = (messageId: string): string => `hubMessage_${createHash('sha256').update(messageId).digest('hex').slice(0, 16)}`;

export function camunda7Sender(api: Camunda7Api, opts: { processId: string; batchSize: number; concurrency: number; timeoutMs: number; now?: () => number }): ChannelSender {
  const now = opts.now ?? Date.now;
  const call = <T>(method: string, path: string, body?: unknown) => rest<T>(api, method, path, body, opts.timeoutMs);

  async function deliver(row: OutboxRow, m: EngineMessagePayload): Promise<Delivery> {
    const marker = markerOf(m.messageId);
    if (m.start) {
      const seen = await call<Array<unknown>>('GET', `/history/process-instance?processInstanceBusinessKey=${encodeURIComponent(m.correlationKey)}&processDefinitionKey=${opts.processId}&maxResults=1`);
      if (seen.length > 0) return { id: row.id, ok: true };
      await call('POST', '/message', { messageName: m.name, businessKey: m.correlationKey, processVariables: typedVariables(m.variables) });
      return { id: row.id, ok: true };
    }
    try {
      await call('POST', '/message', {
        messageName: m.name,
        localCorrelationKeys: { correlationKey: { value: m.correlationKey, type: 'String' } },
        processVariables: { ...typedVariables(m.variables), [marker]: { value: true, type: 'Boolean' } },
      });
      return { id: row.id, ok: true };
    } catch (err) {
      if (!(err instanceof EngineAnswer) || err.status !== 400) throw err;
      // No wait matches: applied already (its marker is on an instance), not yet waiting, or too late.
      const applied = await call<{ count: number }>('GET', `/history/variable-instance/count?variableName=${marker}`);
      if (applied.count > 0) return { id: row.id, ok: true };
      const age = now() - new Date(row.createdAt).getTime();
      // Zeebe would buffer it; here it is tried again soon (each second for a minute, then every five),
      // not on the backoff, which would hold this order's later messages behind it for minutes.
      if (age <= m.timeToLive) return { id: row.id, ok: false, error: `no instance waits for ${m.name} ${m.correlationKey} yet; trying again (${describeError(err)})`, permanent: false, retryInMs: age < 60_000 ? 1000 : 5000 };
      if (m.expendable) return { id: row.id, ok: true };
      return { id: row.id, ok: false, error: `no instance waited for ${m.name} ${m.correlationKey} within its time to live (${m.timeToLive} ms)`, permanent: true };
    }
  }

  return {
    channel: 'engine',
    batchSize: opts.batchSize,
    send: (rows) =>
      mapLimit(rows, opts.concurrency, async (row): Promise<Delivery> => {
        try {
          return await withTimeout(deliver(row, engineMessageOf(row)), opts.timeoutMs * 3, 'the Camunda 7 engine');
        } catch (err) {
          return { id: row.id, ok: false, error: describeError(err), permanent: !(err instanceof RetriableError) && !(err as { retriable?: boolean }).retriable };
        }
      }),
  };
}

/**
 * Evaluates the latest version of a deployed decision on its own (no instance): its output of the
 * first rule that matched, or null when none did. Every variable the decision reads must be given
 * (null when it has no value): the engine refuses an unknown one.
 */
export async function camunda7EvaluateDecision(api: Camunda7Api, decisionId: string, variables: Record<string, unknown>, timeoutMs: number): Promise<Record<string, unknown> | null> {
  let rows: Array<Record<string, TypedValue>>;
  try {
    rows = await rest(api, 'POST', `/decision-definition/key/${encodeURIComponent(decisionId)}/evaluate`, { variables: typedVariables(variables) }, timeoutMs);
  } catch (err) {
    if (err instanceof EngineAnswer) throw new DecisionFailed(decisionId, err.message);
    throw err;
  }
  return rows[0] ? plainVariables(rows[0]) : null;
}

/** Gives a failed external task its retries back: the engine resolves its incident and the task is fetched again. */
export async function camunda7RetryTask(api: Camunda7Api, job: IncidentRef, timeoutMs: number): Promise<void> {
  if (!job.taskId) throw new Error(`the trail has no external task id for element ${job.elementId} of instance ${job.processInstanceKey}`);
  await rest(api, 'PUT', `/external-task/${encodeURIComponent(job.taskId)}/retries`, { retries: DEFAULT_RETRIES }, timeoutMs);
}

/** Operators: deletes a process instance (and its called ones) with the reason; 'gone' when it had already ended. */
export async function camunda7CancelInstance(api: Camunda7Api, processInstanceId: string, reason: string, timeoutMs: number): Promise<'cancelled' | 'gone'> {
  // An instance a worker is moving on that moment refuses the delete (the engine's optimistic
  // lock, answered as a 500): tried again a few times, as a person pressing again would.
  for (let attempt = 1; ; attempt++) {
    try {
      await rest(api, 'DELETE', `/process-instance/${encodeURIComponent(processInstanceId)}?skipCustomListeners=true&skipIoMappings=true&deleteReason=${encodeURIComponent(reason.slice(0, 200))}`, undefined, timeoutMs);
      return 'cancelled';
    } catch (err) {
      if (err instanceof EngineAnswer && err.status === 404) return 'gone';
      if (!(err instanceof EngineFailed) || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
    }
  }
}

/**
 * Moves every running instance of a process on an older version to the latest one (the engine's
 * generated plan: activities of the same id, event triggers updated), one instance at a time so
 * that one refusal stops no other.
 */
export async function camunda7Migrate(api: Camunda7Api, processId: string, timeoutMs: number, only?: string[]): Promise<Array<{ instance: string; ok: boolean; error?: string }>> {
  const target = await rest<{ id: string }>(api, 'GET', `/process-definition/key/${encodeURIComponent(processId)}`, undefined, timeoutMs);
  const running = await rest<Array<{ id: string; definitionId: string }>>(api, 'GET', `/process-instance?processDefinitionKey=${encodeURIComponent(processId)}&maxResults=5000`, undefined, timeoutMs);
  const out: Array<{ instance: string; ok: boolean; error?: string }> = [];
  const plans = new Map<string, unknown>();
  for (const i of running.filter((x) => x.definitionId !== target.id && (!only || only.includes(x.id)))) {
    try {
      if (!plans.has(i.definitionId)) plans.set(i.definitionId, await rest(api, 'POST', '/migration/generate', { sourceProcessDefinitionId: i.definitionId, targetProcessDefinitionId: target.id, updateEventTriggers: true }, timeoutMs));
      await rest(api, 'POST', '/migration/execute', { migrationPlan: plans.get(i.definitionId), processInstanceIds: [i.id], skipCustomListeners: true, skipIoMappings: true }, timeoutMs);
      out.push({ instance: i.id, ok: true });
    } catch (err) {
      if (!(err instanceof EngineAnswer)) throw err;
      out.push({ instance: i.id, ok: false, error: err.message });
    }
  }
  return out;
}

/** Readiness: the engine answers its REST API. */
export async function camunda7Check(api: Camunda7Api, timeoutMs: number): Promise<void> {
  // Not /engine: it is the one request the engine answers without credentials.
  await rest(api, 'GET', '/version', undefined, timeoutMs);
}
