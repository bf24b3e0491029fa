/**
 * The HTTP gateway: intake, unit replies, callbacks, order status with history, the catalog and
 * the OpenAPI document. Handlers validate, call the shared intake functions, and map the result;
 * bad input gets a 4xx JSON error and writes nothing.
 */
import { randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { IdempotencyConflict, type OrderStore } from '../infra/db/orders.js';
import { findUnit, type Catalog } from '../domain/catalog.js';
import { acceptOrder, submitCallback, submitReply } from '../usecases/intake.js';
import type { Logger } from '../infra/log.js';
import type { ZeebeClient } from '../infra/engine/zeebe-client.js';
import { openApiDocument } from './openapi.js';
import { callbackBody, createOrderBody, unitReplyBody } from './schemas.js';

export interface GatewayDeps {
  store: OrderStore;
  zeebe: ZeebeClient;
  catalog: Catalog;
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

const parse = <S extends z.ZodType>(schema: S, body: unknown): z.output<S> => {
  const r = schema.safeParse(body);
  if (!r.success) throw new HttpError(400, 'VALIDATION_FAILED', z.prettifyError(r.error), r.error.issues);
  return r.data;
};

const ORDER_NO = /^GD\d{14}$/;

export function createGateway(d: GatewayDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '64kb' }));
  const wrap = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => fn(req, res).catch(next);

  const loadOrder = async (orderNo: string) => {
    if (!ORDER_NO.test(orderNo)) throw new HttpError(404, 'ORDER_NOT_FOUND', `order ${orderNo} does not exist (order numbers look like GD20261125000001)`);
    const order = await d.store.find(orderNo);
    if (!order) throw new HttpError(404, 'ORDER_NOT_FOUND', `order ${orderNo} does not exist`);
    return order;
  };

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
    const key = req.header('Idempotency-Key');
    if (key !== undefined && !/^[\x21-\x7e]{1,128}$/.test(key)) {
      throw new HttpError(400, 'BAD_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 128 visible ASCII characters');
    }
    const body = parse(createOrderBody, req.body);
    if (!d.catalog.categories.some((c) => c.code === body.category)) {
      throw new HttpError(422, 'UNKNOWN_CATEGORY', `category "${body.category}" is not in the catalog (GET /api/v1/catalog)`);
    }
    if (!d.catalog.districts.some((c) => c.code === body.district)) {
      throw new HttpError(422, 'UNKNOWN_DISTRICT', `district "${body.district}" is not in the catalog (GET /api/v1/catalog)`);
    }
    try {
      const { order, created } = await acceptOrder(d, body, key, `channel:${body.channel}`);
      res.status(created ? 201 : 200).location(`/api/v1/orders/${order.orderNo}`).json({ orderNo: order.orderNo, status: order.status, link: `/api/v1/orders/${order.orderNo}` });
    } catch (err) {
      if (err instanceof IdempotencyConflict) throw new HttpError(409, err.code, err.message);
      throw err;
    }
  }));

  app.get('/api/v1/orders/:orderNo', wrap(async (req, res) => {
    const order = await loadOrder(String(req.params.orderNo));
    const history = await d.store.history(order.orderNo!);
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
    const body = parse(unitReplyBody, req.body);
    const order = await loadOrder(String(req.params.orderNo));
    if (order.unitCode !== unit.code) throw new HttpError(403, 'NOT_YOUR_ORDER', `order ${order.orderNo} is not assigned to ${unit.code}`);
    if (order.status !== 'dispatched') throw new HttpError(409, 'NOT_AWAITING_REPLY', `order ${order.orderNo} is ${order.status}, not waiting for a reply`);
    const replyId = req.header('Idempotency-Key') ?? randomUUID();
    await submitReply(d, order.orderNo!, { id: `http:${unit.code}:${replyId}`, unit: unit.code, unitName: unit.name, result: body.result, handledBy: body.handledBy, repliedAt: new Date().toISOString() }, `unit:${unit.code}`);
    res.status(202).json({ orderNo: order.orderNo, accepted: true });
  }));

  app.post('/api/v1/orders/:orderNo/callback', wrap(async (req, res) => {
    const body = parse(callbackBody, req.body);
    const order = await loadOrder(String(req.params.orderNo));
    if (order.status !== 'awaiting_callback') throw new HttpError(409, 'NOT_AWAITING_CALLBACK', `order ${order.orderNo} is ${order.status}, not waiting for a callback`);
    const callbackId = req.header('Idempotency-Key') ?? randomUUID();
    await submitCallback(d, order.orderNo!, `http:${callbackId}`, body.satisfaction, body.note, 'callback-agent');
    res.status(202).json({ orderNo: order.orderNo, accepted: true });
  }));

  app.use('/api', (_req, _res, next) => next(new HttpError(404, 'NOT_FOUND', 'no such endpoint; see /api/v1/openapi.json')));

  // Errors: JSON with a code and a message. A 5xx is a bug and is logged as one.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    void _next;
    const e = err as { type?: string; status?: number; message?: string };
    if (err instanceof HttpError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, details: err.details } });
    } else if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'MALFORMED_JSON', message: `the body is not valid JSON: ${e.message}` } });
    } else if (e.type === 'entity.too.large') {
      res.status(413).json({ error: { code: 'BODY_TOO_LARGE', message: 'the body is larger than 64 KiB' } });
    } else if (e.type === 'encoding.unsupported' || e.type === 'charset.unsupported') {
      res.status(415).json({ error: { code: 'UNSUPPORTED_ENCODING', message: e.message } });
    } else {
      d.log.error({ err, method: req.method, path: req.path }, 'request failed');
      res.status(500).json({ error: { code: 'INTERNAL', message: 'internal error; it is logged with this request\'s path and time' } });
    }
  });
  return app;
}
