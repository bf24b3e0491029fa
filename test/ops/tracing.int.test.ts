/**
 * OpenTelemetry on the real stack: one order's trace, as a collector receives it (OTLP over HTTP,
 * a receiver in the test), runs from the HTTP request that took it in — continuing the caller's
 * own traceparent — through the jobs its process ran and the Kafka event sent for it, to the
 * adapter that delivered it to digital city management; every span hangs off that request. The
 * standard OTEL_* variables hold: the collector gets the headers OTEL_EXPORTER_OTLP_HEADERS names and
 * the resource OTEL_RESOURCE_ATTRIBUTES describes, and Kafka spans follow the messaging conventions.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigitalCitySimulator } from '../../adapters/digital-city/simulator.js';
import { freePort } from '../support/harness.js';
import { useEngineHub, useKeysAndMail } from '../support/engine-hub.js';

process.env.OTEL_BSP_SCHEDULE_DELAY = '200'; // the batch span processor exports every 200 ms

interface Span { traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes: Array<{ key: string; value: { stringValue?: string } }> }
const spans: Span[] = [];
const exports: Array<{ authorization?: string; resource: Record<string, string> }> = [];
let collector: http.Server;
let city: DigitalCitySimulator;
const env: Record<string, string> = {};
const fx = useKeysAndMail();

beforeAll(async () => {
  const port = await freePort();
  collector = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (req.url === '/v1/traces' && (req.headers['content-type'] ?? '').includes('json')) {
        const doc = JSON.parse(body) as { resourceSpans: Array<{ resource: { attributes: Span['attributes'] }; scopeSpans: Array<{ spans: Span[] }> }> };
        for (const r of doc.resourceSpans) {
          exports.push({ authorization: req.headers.authorization, resource: Object.fromEntries(r.resource.attributes.map((a) => [a.key, a.value.stringValue ?? ''])) });
          for (const s of r.scopeSpans) spans.push(...s.spans);
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => collector.listen(port, '127.0.0.1', r));
  const cityPort = await freePort();
  const token = randomUUID();
  city = new DigitalCitySimulator({ callback: `http://127.0.0.1:${cityPort}`, token, stepMs: 100 });
  Object.assign(env, {
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20collector-token',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test,service.namespace=12345',
    ADAPTERS: 'digital-city',
    ADAPTER_DIGITAL_CITY_URL: await city.start(),
    ADAPTER_DIGITAL_CITY_CALLBACK_PORT: String(cityPort),
    ADAPTER_DIGITAL_CITY_CALLBACK_TOKEN: token,
    ADAPTER_DIGITAL_CITY_GROUP_ID: `adapter.digital-city.test-trace-${randomUUID()}`,
  });
});
// Registered before the hub's: after-hooks run in reverse, so the collector outlives the hub's last flush.
afterAll(async () => {
  await city?.stop();
  await new Promise((r) => collector?.close(r));
});
const h = useEngineHub('zeebe', { mail: () => fx.mail, env });

const attr = (s: Span, key: string) => s.attributes.find((a) => a.key === key)?.value.stringValue;

describe('a trace per order', { timeout: 120_000 }, () => {
  it('follows the order from the intake request through the jobs and Kafka to the adapter, under the caller\'s trace', async () => {
    const traceId = randomUUID().replace(/-/g, '');
    const callerSpan = randomUUID().replace(/-/g, '').slice(0, 16);
    const res = await fetch(`${h.base}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${fx.keys.role['call-taker']}`, traceparent: `00-${traceId}-${callerSpan}-01` },
      body: JSON.stringify({ channel: 'phone', type: 'help', category: 'manhole-cover', title: '链路追踪：井盖缺失', description: '井盖缺失，夜间危险', district: 'heping', address: '和平区南京路121号', urgent: false, citizen: { name: '追踪测试', phone: '13500135060', confidential: false } }),
    });
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await h.until(async () => city.casesFor(orderNo).length, 1, 60_000);

    const ofTrace = () => spans.filter((s) => s.traceId === traceId);
    const topic = 'hub.unit.city-management.order-dispatched.v1';
    const expected = ['POST /api/v1/orders', 'job classify-order', 'job dispatch-order', `send ${topic}`, `process ${topic}`];
    // Each span is exported when it ends, in batches: the dispatch job's span ends only after Zeebe
    // acknowledged its completion, which can come after the adapter's delivery span was exported.
    const missing = () => expected.filter((n) => !ofTrace().some((s) => s.name === n));
    await h.until(async () => missing(), [], 30_000);
    const trace = ofTrace();
    const deliver = trace.find((s) => s.name === `process ${topic}` && attr(s, 'hub.adapter') === 'digital-city')!;
    expect(attr(deliver, 'hub.order_no')).toBe(orderNo);
    // One tree: the request is a child of the caller's span, everything else hangs off spans of this trace.
    const ids = new Set(trace.map((s) => s.spanId));
    const request = trace.find((s) => s.name === 'POST /api/v1/orders')!;
    expect(request.parentSpanId).toBe(callerSpan);
    expect(trace.filter((s) => s !== request && !ids.has(s.parentSpanId ?? '')).map((s) => s.name)).toEqual([]);
    expect(trace.filter((s) => s.name.startsWith('job ')).every((s) => attr(s, 'hub.order_no') === orderNo)).toBe(true);
    const send = trace.find((s) => s.name === `send ${topic}`)!;
    expect(deliver.parentSpanId).toBe(send.spanId);
    // OpenTelemetry's messaging conventions, on both sides of Kafka.
    expect([attr(send, 'messaging.system'), attr(send, 'messaging.operation.type'), attr(send, 'messaging.destination.name'), attr(send, 'messaging.kafka.message.key')]).toEqual(['kafka', 'send', topic, orderNo]);
    expect([attr(deliver, 'messaging.operation.type'), attr(deliver, 'messaging.destination.name'), attr(deliver, 'messaging.consumer.group.name')]).toEqual(['process', topic, env.ADAPTER_DIGITAL_CITY_GROUP_ID]);
    // The collector was sent the headers and the resource the OTEL_* variables give.
    expect(exports.length).toBeGreaterThan(0);
    expect(exports.every((e) => e.authorization === 'Bearer collector-token')).toBe(true);
    expect(exports[0]!.resource).toMatchObject({ 'service.name': 'hotline-hub', 'deployment.environment.name': 'test', 'service.namespace': '12345' });
  });
});
