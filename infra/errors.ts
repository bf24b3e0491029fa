/**
 * How the hub reads an error it did not raise itself (a driver's, a broker's, gRPC's): whether a
 * retry can help, and what to tell an operator. The hub's own errors are in usecases/errors.ts.
 */
import { BusinessError, HubError } from '../usecases/errors.js';

export { BusinessError, describeError, HubError, redactText, RetriableError } from '../usecases/errors.js';

/** Node and MySQL driver codes of a server that was not reached, went away or is busy. */
const TRANSIENT_CODES = new Set([
  // network
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED',
  // mysql2 connection states
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'POOL_CLOSED', 'ER_CONNECTION_KILLED',
  // MySQL / MariaDB server errors
  'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT', 'ER_SERVER_SHUTDOWN', 'ER_CON_COUNT_ERROR', 'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_OPTION_PREVENTS_STATEMENT', // read-only after a failover (--read-only)
  'ER_CANT_CONNECT_TO_SERVER', 'ER_NET_READ_ERROR', 'ER_NET_WRITE_INTERRUPTED', 'ER_QUERY_INTERRUPTED', 'ER_CLIENT_INTERACTION_TIMEOUT',
]);
/** MySQL error numbers of the same (when the driver gives no symbolic code). */
const TRANSIENT_ERRNOS = new Set([1040, 1053, 1205, 1213, 1290, 1317, 2002, 2003, 2006, 2013, 4031]);

/** gRPC status codes after which the same call may succeed (Zeebe down, backpressure, timeouts). */
const GRPC_RETRIABLE = new Set([
  1, // CANCELLED (channel closed under us)
  4, // DEADLINE_EXCEEDED
  8, // RESOURCE_EXHAUSTED: Zeebe's backpressure
  10, // ABORTED
  14, // UNAVAILABLE
]);
const GRPC_INTERNAL = 13;
/** What Zeebe's gateway says in an INTERNAL error when it lost its connection to a broker mid-request. */
const BROKER_CONNECTION_LOST = /\b(Connection|Channel)\b.* was closed\b|connection .*to broker .*(closed|lost)/i;
/** gRPC ALREADY_EXISTS: Zeebe refused a message whose messageId it holds: it was published before. */
export const GRPC_ALREADY_EXISTS = 6;

function causes(err: unknown): unknown[] {
  const out: unknown[] = [];
  for (let e = err, i = 0; e && i < 5; e = (e as { cause?: unknown; driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause, i++) out.push(e);
  return out;
}

/** Can a retry cure this error? Looks through `cause` and TypeORM's `driverError`. */
export function isRetriable(err: unknown): boolean {
  for (const e of causes(err)) {
    if (e instanceof HubError) return e.retriable;
    const x = e as { code?: unknown; errno?: unknown; retriable?: unknown; name?: unknown; details?: unknown };
    if (typeof x.code === 'string' && TRANSIENT_CODES.has(x.code)) return true;
    if (typeof x.errno === 'number' && TRANSIENT_ERRNOS.has(x.errno)) return true;
    // kafkajs marks its own errors; KafkaJSNumberOfRetriesExceeded wraps a retriable one. It marks
    // "no group coordinator" permanent, but a broker that has just started elects one in seconds.
    if (typeof x.name === 'string' && x.name.startsWith('KafkaJS')) {
      if (x.retriable === true || ['KafkaJSNumberOfRetriesExceeded', 'KafkaJSConnectionError', 'KafkaJSRequestTimeoutError', 'KafkaJSGroupCoordinatorNotFound'].includes(x.name)) return true;
    }
    // gRPC errors carry a numeric code (and a "14 UNAVAILABLE: ..." message).
    if (typeof x.code === 'number' && GRPC_RETRIABLE.has(x.code) && (x.details !== undefined || /^\d+ [A-Z_]+:/.test(String((e as Error).message)))) return true;
    if (e instanceof Error && /^(1|4|8|10|14) (CANCELLED|DEADLINE_EXCEEDED|RESOURCE_EXHAUSTED|ABORTED|UNAVAILABLE)\b/.test(e.message)) return true;
    // A Zeebe gateway whose connection to a broker closed under a request (the broker died, its
    // partition fails over) answers INTERNAL: the same call succeeds once another broker leads.
    if (((typeof x.code === 'number' && x.code === GRPC_INTERNAL) || (e instanceof Error && /^13 INTERNAL:/.test(e.message))) && BROKER_CONNECTION_LOST.test(`${String(x.details ?? '')} ${String((e as Error).message)}`)) return true;
  }
  return false;
}

export const isGrpcAlreadyExists = (err: unknown): boolean =>
  causes(err).some((e) => (e as { code?: unknown }).code === GRPC_ALREADY_EXISTS || /^6 ALREADY_EXISTS/.test(String((e as Error)?.message)));

export const isDuplicateKey = (err: unknown): boolean =>
  causes(err).some((e) => (e as { code?: unknown }).code === 'ER_DUP_ENTRY' || (e as { errno?: unknown }).errno === 1062);

export const isDeadlock = (err: unknown): boolean =>
  causes(err).some((e) => (e as { code?: unknown }).code === 'ER_LOCK_DEADLOCK' || (e as { errno?: unknown }).errno === 1213);

/** How a job ends for an error its handler threw: the one place that decides it. */
export type JobOutcome =
  | { kind: 'bpmn-error'; code: string; message: string }
  | { kind: 'retry'; retries: number; backoffMs: number }
  | { kind: 'incident' };

/** Backoff of a retriable job failure: 2 s, 4 s, 8 s ... capped at 5 minutes. */
export const jobBackoffMs = (retriesLeft: number, maxRetries = 5): number =>
  Math.min(300_000, 2000 * 2 ** Math.max(0, maxRetries - retriesLeft));

export function jobOutcome(err: unknown, retriesLeft: number): JobOutcome {
  if (err instanceof BusinessError) return { kind: 'bpmn-error', code: err.code, message: err.message };
  if (isRetriable(err)) {
    const retries = Math.max(0, retriesLeft - 1);
    return { kind: 'retry', retries, backoffMs: jobBackoffMs(retries) };
  }
  return { kind: 'incident' };
}
