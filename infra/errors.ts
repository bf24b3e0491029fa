/**
 * Errors that say what to do next (kafkajs's idea: each error knows whether retrying can help).
 * - RetriableError: a dependency is down or slow; the job fails with a backoff and is retried.
 * - BusinessError: an outcome the model catches as a BPMN error (code), not a failure.
 * - any other error is a bug or bad data: the job fails without retries and becomes an incident
 *   whose message names the order, the step and the remedy.
 */
export class RetriableError extends Error {
  readonly retriable = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetriableError';
  }
}

export class BusinessError extends Error {
  readonly retriable = false;
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BusinessError';
  }
}

/** Errors of the network and the database that a retry can cure. */
export function isTransient(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? '';
  return ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'PROTOCOL_CONNECTION_LOST', 'ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT'].includes(code);
}
