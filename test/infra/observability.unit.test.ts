/**
 * What the hub gives a centre's own observability tools, without a stack: the standard OTEL_*
 * variables read as the specification writes them, `trace_id` on every log line written inside a
 * trace, and an access log line per request that carries nothing personal.
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLog } from '../../gateway/access-log.js';
import { ConfigError, loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { parseKeyValues } from '../../infra/otel-env.js';
import { resourceAttributes, tracesUrl } from '../../infra/tracing.js';

const captured = () => {
  const lines: Array<Record<string, unknown>> = [];
  return { lines, dest: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) } };
};

describe('the OTEL_* variables', () => {
  it('reads headers and resource attributes as key=value lists with percent-encoded values', () => {
    expect(parseKeyValues(' authorization=Bearer%20abc , x-tenant=12345 ', 'h')).toEqual({ authorization: 'Bearer abc', 'x-tenant': '12345' });
    expect(parseKeyValues('', 'h')).toEqual({});
    expect(() => parseKeyValues('novalue', 'OTEL_EXPORTER_OTLP_HEADERS')).toThrow('OTEL_EXPORTER_OTLP_HEADERS: "novalue" is not key=value');
    expect(() => loadConfig({ OTEL_RESOURCE_ATTRIBUTES: 'a=%E4%B8' })).toThrow(ConfigError);
    expect(() => loadConfig({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(ConfigError);
  });

  it('sends traces to the traces endpoint as given, else to the endpoint\'s /v1/traces, and nowhere when disabled', () => {
    const c = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' });
    expect(tracesUrl(c)).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl({ ...c, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://otlp.example.cn/api/traces' })).toBe('https://otlp.example.cn/api/traces');
    expect(tracesUrl({ ...c, OTEL_SDK_DISABLED: true })).toBeUndefined();
    expect(tracesUrl(loadConfig({}))).toBeUndefined();
  });

  it('names the service by OTEL_SERVICE_NAME over a service.name among the resource attributes', () => {
    const c = loadConfig({ OTEL_RESOURCE_ATTRIBUTES: 'service.name=other,deployment.environment.name=production', OTEL_SERVICE_NAME: 'hotline-hub-tianjin' });
    expect(resourceAttributes(c)).toEqual({ 'service.name': 'hotline-hub-tianjin', 'deployment.environment.name': 'production' });
  });
});

describe('logs inside a trace', () => {
  const provider = new NodeTracerProvider();
  beforeAll(() => provider.register());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('carry the trace and span id on every line written in it, and none outside', () => {
    const { lines, dest } = captured();
    const log = createLogger('info', dest);
    const sc = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 };
    context.with(trace.setSpanContext(ROOT_CONTEXT, sc), () => log.child({ role: 'workers' }).info('inside'));
    log.info('outside');
    expect(lines[0]).toMatchObject({ msg: 'inside', trace_id: sc.traceId, span_id: sc.spanId });
    expect(lines[1]!.trace_id).toBeUndefined();
  });

  it('write one access line per request: route, status and key id, without the query string, the key or the client', async () => {
    const { lines, dest } = captured();
    const app = express();
    app.use((_req, res, next) => {
      res.locals.requestId = 'req-1';
      res.locals.principal = { keyId: '42', role: 'call-taker' };
      next();
    });
    app.use(accessLog(createLogger('info', dest)));
    app.get('/api/v1/orders/:orderNo', (_req, res) => {
      res.locals.route = 'GET /api/v1/orders/:orderNo';
      res.json({ ok: true });
    });
    app.get('/healthz', (_req, res) => void res.json({ status: 'alive' }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      await fetch(`${base}/api/v1/orders/GD20261206000001?token=secret-token&phone=13800138000`, { headers: { authorization: 'Bearer hub_secretkey' } });
      await fetch(`${base}/healthz`);
      await fetch(`${base}/nowhere`);
    } finally {
      server.close();
    }
    const access = lines.filter((l) => l.role === 'access');
    expect(access).toHaveLength(2);
    expect(access[0]).toMatchObject({ level: 30, msg: 'GET /api/v1/orders/GD20261206000001 200', req: { id: 'req-1', method: 'GET', path: '/api/v1/orders/GD20261206000001' }, res: { statusCode: 200, route: '/api/v1/orders/:orderNo', key: '42' } });
    expect(access[1]).toMatchObject({ level: 40, res: { statusCode: 404 } });
    const text = JSON.stringify(access);
    for (const secret of ['secret-token', '13800138000', 'hub_secretkey', '127.0.0.1', 'authorization']) expect(text).not.toContain(secret);
  });
});
