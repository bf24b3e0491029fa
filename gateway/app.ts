/**
 * The HTTP gateway: intake, unit replies, callbacks, order status with history, the catalog, the
 * OpenAPI document, and /healthz and /readyz. Handlers validate, call a use case, and map its
 * result; every business check lives in the use case. Bad input gets a 4xx JSON error and writes
 * nothing; a dependency that is down gets 503 with Retry-After, never a hang.
 */
import { createHash, randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { findUnit, type Catalog } from '../domain/catalog.js';
import { ORDER_NO } from '../domain/order.js';
import type { OrderStore } from '../infra/db/orders.js';
import { HubError, isRetriable } from '../infra/errors.js';
import type { Logger } from '../infra/log.js';
import { acceptOrder } from '../usecases/accept-order.js';
import { submitCallback } from '../usecases/submit-callback.js';
import { submitReply } from '../usecases/submit-reply.js';
import { openApiDocument } from './openapi.js';
import { callbackBody, createOrderBody, unitReplyBody } from './schemas.js';

/** Each dependency's state: "up", or "down: <reason>". */
export type Readiness = () => Promise<Record<string, string>>;

export interface GatewayDeps {
  store: OrderStore;
  catalog: Catalog;
  ready: Readiness;
  log: Logger;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The HTTP status of each refusal a use case can give. */
const STATUS_OF: Record<string, number> = {
  UNKNOWN_CATEGORY: 422,
  UNKNOWN_DISTRICT: 422,
  IDEMPOTENCY_KEY_REUSED: 409,
  ORDER_NOT_FOUND: 404,
  NOT_YOUR_ORDER: 403,
  NOT_AWAITING_REPLY: 409,
  NOT_AWAITING_CALLBACK: 409,
  TRANSITION_REFUSED: 409,
};

/** Seconds a client is asked to wait after a 503. */
const RETRY_AFTER_S = 5;

const parse = <S extends z.ZodType>(schema: S, body: unknown): z.output<S> => {
  const r = schema.safeParse(body);
  if (!r.success) throw new HttpError(400, 'VALIDATION_FAILED', z.prettifyError(r.error), r.error.issues);
  return r.data;
};

/** The Idempotency-Key header: absent, or 1 to 128 visible ASCII characters. */
function idempotencyKey(req: Request): string | undefined {
  const key = req.header('Idempotency-Key');
  if (key !== undefined && !/^[\x21-\x7e]{1,128}$/.test(key)) {
    throw new HttpError(400, 'BAD_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 128 visible ASCII characters');
  }
  return key;
}

/** A fixed-length id from a client's key, so that any valid key fits the dedup columns. */
const keyId = (...parts: string[]): string => createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 40);

export function createGateway(d: GatewayDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '64kb' }));
  const wrap = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => fn(req, res).catch(next);

  const orderNoOf = (req: Request): string => {
    const orderNo = String(req.params.orderNo);
    if (!ORDER_NO.test(orderNo)) throw new HttpError(404, 'ORDER_NOT_FOUND', `order ${orderNo} does not exist (order numbers look like GD20261125000001)`);
    return orderNo;
  };

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'alive' });
  });

  app.get('/readyz', wrap(async (_req, res) => {
    const checks = await d.ready();
    const ok = Object.values(checks).every((v) => v === 'up');
    if (!ok) res.setHeader('Retry-After', String(RETRY_AFTER_S));
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'not ready', checks });
  }));

  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  app.get('/api/v1/catalog', (_req, res) => {
    res.json({
      categories: d.catalog.categories,
      districts: d.catalog.districts,
      units: d.catalog.units.map(({ code, name, level }) => ({ code, name, level })),
    });
  });

  app.post('/api/v1/orders', wrap(async (req, res) => {
    const key = idempotencyKey(req);
    const body = parse(createOrderBody, req.body);
    const { order, created } = await acceptOrder(d, body, key, `channel:${body.channel}`);
    res.status(created ? 201 : 200).location(`/api/v1/orders/${order.orderNo}`).json({ orderNo: order.orderNo, status: order.status, link: `/api/v1/orders/${order.orderNo}` });
  }));

  app.get('/api/v1/orders/:orderNo', wrap(async (req, res) => {
    const orderNo = orderNoOf(req);
    const order = await d.store.find(orderNo);
    if (!order) throw new HttpError(404, 'ORDER_NOT_FOUND', `order ${orderNo} does not exist`);
    const history = await d.store.history(orderNo);
    const unit = order.unitCode ? findUnit(d.catalog, order.unitCode) : undefined;
    res.json({
      orderNo: order.orderNo,
      status: order.status,
      type: order.type,
      category: order.category,
      district: order.district,
      title: order.title,
      urgent: order.urgent,
      handlingMode: order.handlingMode,
      unit: unit ? { code: unit.code, name: unit.name } : null,
      dueAt: order.dueAt?.toISOString() ?? null,
      satisfaction: order.satisfaction,
      redoCount: order.redoCount,
      chaseCount: order.chaseCount,
      createdAt: order.createdAt.toISOString(),
      history: history.map((h) => ({ step: h.step, actor: h.actor, note: h.note, at: h.occurredAt.toISOString() })),
    });
  }));

  app.post('/api/v1/units/:unit/orders/:orderNo/reply', wrap(async (req, res) => {
    const unit = findUnit(d.catalog, String(req.params.unit));
    if (!unit) throw new HttpError(404, 'UNIT_NOT_FOUND', `unit ${req.params.unit} is not in the catalog`);
    const key = idempotencyKey(req);
    const body = parse(unitReplyBody, req.body);
    const orderNo = orderNoOf(req);
    const id = `http:${key ? keyId(unit.code, orderNo, key) : randomUUID()}`;
    const outcome = await submitReply(d, orderNo, { id, unit: unit.code, unitName: unit.name, result: body.result, handledBy: body.handledBy, repliedAt: new Date().toISOString() }, `unit:${unit.code}`);
    res.status(202).json({ orderNo, accepted: true, repeated: outcome === 'duplicate' });
  }));

  app.post('/api/v1/orders/:orderNo/callback', wrap(async (req, res) => {
    const key = idempotencyKey(req);
    const body = parse(callbackBody, req.body);
    const orderNo = orderNoOf(req);
    const id = `http:${key ? keyId(orderNo, key) : randomUUID()}`;
    const outcome = await submitCallback(d, orderNo, id, body.satisfaction, body.note, 'callback-agent');
    res.status(202).json({ orderNo, accepted: true, repeated: outcome === 'duplicate' });
  }));

  app.use('/api', (_req, _res, next) => next(new HttpError(404, 'NOT_FOUND', 'no such endpoint; see /api/v1/openapi.json')));

  // Errors: JSON with a code and a message. A refusal is 4xx; a dependency down is 503; the rest is a bug.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    void _next;
    const e = err as { type?: string; status?: number; message?: string };
    const send = (status: number, code: string, message: string, details?: unknown): void => {
      res.status(status).json({ error: { code, message, details } });
    };
    if (err instanceof HttpError) send(err.status, err.code, err.message, err.details);
    else if (err instanceof HubError && STATUS_OF[err.code]) send(STATUS_OF[err.code]!, err.code, err.message);
    else if (e.type === 'entity.parse.failed') send(400, 'MALFORMED_JSON', `the body is not valid JSON: ${e.message}`);
    else if (e.type === 'entity.too.large') send(413, 'BODY_TOO_LARGE', 'the body is larger than 64 KiB');
    else if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') send(415, 'UNSUPPORTED_ENCODING', String(e.message));
    else if (isRetriable(err)) {
      d.log.warn({ err, method: req.method, path: req.path }, 'request refused: a dependency is unavailable');
      res.setHeader('Retry-After', String(RETRY_AFTER_S));
      send(503, 'UNAVAILABLE', `the hub cannot reach a service it needs; nothing was recorded, send the same request again in ${RETRY_AFTER_S} s (with the same Idempotency-Key)`);
    } else {
      d.log.error({ err, method: req.method, path: req.path }, 'request failed');
      send(500, 'INTERNAL', "internal error; it is logged with this request's path and time");
    }
  });
  return app;
}
