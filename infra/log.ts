import { context, isSpanContextValid, trace } from '@opentelemetry/api';
import { pino, type DestinationStream, type Logger } from 'pino';
import { redactText } from './errors.js';

export type { Logger };

/**
 * A logged error keeps what an operator needs (type, code, message, stack) and loses what the
 * driver attached: TypeORM's `parameters` and `query`, mysql2's `sql` (which inlines the values),
 * so that a failed INSERT never writes a citizen's name or phone into the log.
 */
export function serializeError(err: unknown, depth = 0): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: redactText(String(err)) };
  const e = err as Error & { code?: unknown; errno?: unknown; retriable?: unknown; cause?: unknown; driverError?: unknown };
  const out: Record<string, unknown> = { type: e.name, message: redactText(e.message) };
  if (e.code !== undefined) out.code = e.code;
  if (e.errno !== undefined) out.errno = e.errno;
  if (e.retriable !== undefined) out.retriable = e.retriable;
  if (e.stack) out.stack = redactText(e.stack);
  const inner = e.driverError ?? e.cause;
  if (inner !== undefined && depth < 3) out.cause = serializeError(inner, depth + 1);
  return out;
}

/** Field paths that may carry a citizen's identity, wherever a log call puts them. */
const REDACT_PATHS = ['citizen', '*.citizen', 'citizenName', 'citizenPhone', '*.citizenName', '*.citizenPhone', 'phone', '*.phone', 'parameters', '*.parameters', 'sql', '*.sql'];

/** The trace a line was written in (`trace_id`, `span_id`, as OpenTelemetry's log conventions name them): a log search finds the order's trace. */
function traceFields(): Record<string, string> {
  const sc = trace.getSpanContext(context.active());
  return sc && isSpanContextValid(sc) ? { trace_id: sc.traceId, span_id: sc.spanId } : {};
}

/** Structured JSON logs on stdout; one logger per process, children per role. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'hotline-hub' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: serializeError },
      mixin: traceFields,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
