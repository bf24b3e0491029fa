/**
 * OpenTelemetry traces that follow one order across the hub: the HTTP request that took it in, the
 * jobs its process ran (on either engine), each Kafka event sent for it and the adapter that
 * delivered it to a legacy system. The trace context travels with the order itself: in the start
 * message's `traceparent` variable (every job of the instance reads it) and in each outbox row,
 * whence the Kafka header `traceparent`. Off unless OTEL_EXPORTER_OTLP_ENDPOINT (or _TRACES_ENDPOINT)
 * names a collector (OTLP over HTTP): then the API's no-op tracer costs next to nothing. The
 * standard OTEL_* variables apply: headers, resource attributes, sampler, OTEL_SDK_DISABLED.
 */
import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Config } from './config.js';
import { parseKeyValues } from './otel-env.js';

export { SpanKind };

let provider: NodeTracerProvider | undefined;
let users = 0;

type TracingConfig = Pick<
  Config,
  'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' | 'OTEL_EXPORTER_OTLP_HEADERS' | 'OTEL_RESOURCE_ATTRIBUTES' | 'OTEL_TRACES_SAMPLER' | 'OTEL_TRACES_SAMPLER_ARG' | 'OTEL_SDK_DISABLED' | 'OTEL_SERVICE_NAME'
>;

/** Where traces go, as the OpenTelemetry environment says: the traces endpoint as it is, else the base endpoint's /v1/traces; none when disabled. */
export function tracesUrl(c: Pick<TracingConfig, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT' | 'OTEL_SDK_DISABLED'>): string | undefined {
  if (c.OTEL_SDK_DISABLED) return undefined;
  if (c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  return c.OTEL_EXPORTER_OTLP_ENDPOINT ? `${c.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` : undefined;
}

/** The process's resource attributes: OTEL_RESOURCE_ATTRIBUTES, with OTEL_SERVICE_NAME over any service.name in it. */
export function resourceAttributes(c: Pick<TracingConfig, 'OTEL_RESOURCE_ATTRIBUTES' | 'OTEL_SERVICE_NAME'>): Record<string, string> {
  return { ...parseKeyValues(c.OTEL_RESOURCE_ATTRIBUTES, 'OTEL_RESOURCE_ATTRIBUTES'), 'service.name': c.OTEL_SERVICE_NAME };
}

/**
 * Starts exporting spans when the config names a collector. One provider per process (the API's
 * is global): a second hub in the process shares the first one's; the last to stop flushes it.
 */
export async function startTracing(config: TracingConfig): Promise<{ stop: () => Promise<void> }> {
  const url = tracesUrl(config);
  if (!url) return { stop: async () => undefined };
  // Loaded only when traces are wanted: a hub without a collector carries the API's no-op alone.
  const [{ OTLPTraceExporter }, { resourceFromAttributes }, sdk] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-node'),
  ]);
  if (!provider) {
    const ratio = config.OTEL_TRACES_SAMPLER_ARG === '' ? 1 : config.OTEL_TRACES_SAMPLER_ARG;
    const root = { always_on: new sdk.AlwaysOnSampler(), always_off: new sdk.AlwaysOffSampler(), traceidratio: new sdk.TraceIdRatioBasedSampler(ratio) };
    const name = config.OTEL_TRACES_SAMPLER;
    const sampler = name.startsWith('parentbased_') ? new sdk.ParentBasedSampler({ root: root[name.slice('parentbased_'.length) as keyof typeof root] }) : root[name as keyof typeof root];
    provider = new sdk.NodeTracerProvider({
      resource: resourceFromAttributes(resourceAttributes(config)),
      sampler,
      spanProcessors: [new sdk.BatchSpanProcessor(new OTLPTraceExporter({ url, headers: parseKeyValues(config.OTEL_EXPORTER_OTLP_HEADERS, 'OTEL_EXPORTER_OTLP_HEADERS') }))],
    });
    provider.register(); // the global tracer, W3C trace-context propagation, AsyncLocalStorage context
  }
  users++;
  let stopped = false;
  return {
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // The last spans go to the collector if it is there: one that is down does not fail the hub's stop.
      if (--users > 0) return void (await provider?.forceFlush().catch(() => undefined));
      const p = provider;
      provider = undefined;
      await p?.shutdown().catch(() => undefined);
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
}

const tracer = () => trace.getTracer('hotline-hub');

/** The active context as a W3C traceparent, or undefined when nothing is traced. */
export function traceparentOf(ctx: Context = context.active()): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/** A context carrying the span a traceparent names (the root context when there is none). */
export function contextOf(traceparent: unknown): Context {
  return typeof traceparent === 'string' && traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/**
 * Runs `fn` in a new span, child of `parent` (a context, or the active one): the span is ended
 * when `fn` settles, marked as an error when it throws.
 */
export function inSpan<T>(name: string, opts: { kind?: SpanKind; attributes?: Attributes; parent?: Context }, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes: opts.attributes }, opts.parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      span.recordException(err as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
    }
  });
}

/** Starts a span the caller ends (an HTTP request, ended when its response is sent). */
export function startSpan(name: string, opts: { kind?: SpanKind; attributes?: Attributes; parent?: Context }): { span: Span; ctx: Context } {
  const parent = opts.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes: opts.attributes }, parent);
  return { span, ctx: trace.setSpan(parent, span) };
}

export const markError = (span: Span, message: string): void => {
  span.setStatus({ code: SpanStatusCode.ERROR, message });
};
export const runIn = <T>(ctx: Context, fn: () => T): T => context.with(ctx, fn);

/**
 * A Kafka span's attributes as OpenTelemetry's messaging conventions name them (semconv 1.27+):
 * the operation, the topic, and for a consumer its group, partition and offset.
 */
export function kafkaMessaging(operation: 'send' | 'process', topic: string, consumer?: { group: string; partition: number; offset: string }): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.operation.type': operation,
    'messaging.operation.name': operation,
    'messaging.destination.name': topic,
    ...(consumer ? { 'messaging.consumer.group.name': consumer.group, 'messaging.destination.partition.id': String(consumer.partition), 'messaging.kafka.offset': Number(consumer.offset) } : {}),
  };
}
