/**
 * Errors that say what to do next, in one place (kafkajs's idea: each error knows whether a
 * retry can help). Every error the hub raises on purpose is a HubError with a code.
 *
 * - RetriableError: a dependency is down or slow; try again later (a job fails with a backoff,
 *   an outbox row is retried, an HTTP client gets 503 with Retry-After).
 * - BusinessError: an outcome the model catches as a BPMN error (its code), not a failure.
 * - Anything else is a bug or bad data: no retry; a job becomes an incident whose message names
 *   the order, the step and the remedy.
 *
 * Unknown errors are NOT retriable (unlike kafkajs's default): a write to a legacy system is
 * retried only when the error says the system was not reached or asked us to come back.
 */
export class HubError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class RetriableError extends HubError {
  constructor(message: string, options?: { cause?: unknown; code?: string }) {
    super(options?.code ?? 'DEPENDENCY_UNAVAILABLE', message, true, options);
  }
}

export class BusinessError extends HubError {
  constructor(code: string, message: string) {
    super(code, message, false);
  }
}

/** A short, citizen-free description of an error for a stored `last_error` or an operator. */
export function describeError(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' || typeof e?.code === 'number' ? `[${e.code}] ` : '';
  return `${code}${redactText(String(e?.message ?? err))}`.slice(0, 1000);
}

/**
 * Masks what looks like a citizen's phone number or an ID-card number in free text (driver error
 * messages quote values: "Duplicate entry '13800138000' ...").
 */
export const redactText = (s: string): string =>
  s.replace(/(?<!\d)(\+?86[- ]?)?1[3-9]\d{9}(?!\d)/g, '1**********').replace(/(?<!\d)\d{17}[\dXx](?!\d)/g, '******************');
