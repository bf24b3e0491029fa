/**
 * The HTTP gateway: intake, unit replies, callbacks, order status with history, the catalog, the
 * OpenAPI document, and /healthz and /readyz. Handlers validate, call a use case, and map its
 * result; every business check lives in the use case. Bad input gets a 4xx JSON error and writes
 * nothing; a dependency that is down gets 503 with Retry-After, never a hang.
 */
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { orderViewOf, ROLE_NAMES, unitMaySee, viewNamesCitizen, type Principal } from '../domain/access.js';
import { categoryLeaves, categoryTree, findUnit, type Catalog } from '../domain/catalog.js';
import type { RepeatPolicy } from '../domain/repeats.js';
import { attachmentVisible, checkUpload, safeName, type AttachmentPolicy } from '../domain/attachments.js';
import type { AttachmentRow, AttachmentStore } from '../infra/db/attachments.js';
import { DONE_STATUSES, isDone, ORDER_NO, ORDER_STATUSES, OWING_STATUSES, STATUSES, TRANSITIONS } from '../domain/order.js';
import { CHANNEL_NAMES, EMERGENCY_NAMES, ERROR_TEXT, JOB_NAMES, MODE_NAMES, TYPE_NAMES, SATISFACTION_NAMES, STEP_NAMES, STUCK_REASON_NAMES, TASK_NAMES, type ApiErrorCode } from '../domain/text.js';
import { parseExpiry, type KeyStore } from '../infra/auth/keys.js';
import type { AuditTrail } from '../infra/db/audit.js';
import type { KnowledgeStore } from '../infra/db/knowledge.js';
import type { OrderStore } from '../infra/db/orders.js';
import { HubError, isRetriable } from '../infra/errors.js';
import { metrics } from '../infra/metrics.js';
import { accessLog } from './access-log.js';
import { asyncApiDocument, eventSchema } from './asyncapi.js';
import { eventPayloads, type EventType } from '../domain/events.js';
import { countRequests } from './http-metrics.js';
import { readyState } from './ready.js';
import { projectRoot } from '../infra/config.js';
import type { Operations, StuckOptions, StuckReason } from '../infra/db/operations.js';
import type { CancelOutcome, RetryOutcome } from '../usecases/operations.js';
import type { HumanTaskKind, OrderQuery, WorkOrderRow } from '../usecases/ports.js';
import { deployModel, ModelNotFound, ModelRefused, rollbackModel, type ModelDeps } from '../usecases/models.js';
import { MODEL_NAME } from '../infra/engine/model-checks.js';
import type { ModelVersion } from '../infra/db/models.js';
import type { Logger } from '../infra/log.js';
import { acceptOrder, openRepeat } from '../usecases/accept-order.js';
import { dispatchInputs } from '../usecases/engine-messages.js';
import { matchedRule, type MatchedRule } from '../infra/engine/dmn-match.js';
import { assignOrder } from '../usecases/assign-order.js';
import { submitCallback } from '../usecases/submit-callback.js';
import { submitReply } from '../usecases/submit-reply.js';
import { completeTask } from '../usecases/tasks.js';
import { subDispatch } from '../usecases/three-levels.js';
import { acknowledgeOrder, confirmOnSite, reportProgress, requestExtension, returnOrder, type UnitActor } from '../usecases/unit-actions.js';
import { ACCESS, type RouteKey } from './access.js';
import { openApiDocument } from './openapi.js';
import { assignBody, CHANNELS, ORDER_TYPES, orderExportBody, orderSearchBody, callbackBody, completeTaskBody, createKeyBody, createOrderBody, deployModelBody, extensionBody, cancelBody, replayDeadLetterBody, knowledgeBody, knowledgeQuery, listQuery, publicListQuery, progressBody, codeBody, publishBody, repeatCheckBody, returnBody, statisticsQuery, assessmentQuery, lookupBody, evaluationBody, instructionBody, shiftBody, rotaQuery, circularDraftBody, circularEditBody, circularListQuery, supervisionNoticeBody, mergeBody, splitBody, subDispatchBody, taskQuery, unitReplyBody } from './schemas.js';
import { addCounts, EMPTY_COUNTS, ratesOf, statisticsCsv, statisticsPeriod, type StatDimension } from '../domain/statistics.js';
import { assess, assessmentCell, assessmentCsv, ASSESSMENT_CSV_COLUMNS, lastWholePeriod, methodLines, reportPeriod, scoreOf, type AssessmentMethod } from '../domain/assessment.js';
import { xlsx } from '../infra/xlsx.js';
import { draftCircular, lastRankedOf } from '../domain/circulars.js';
import type { CircularRow, CircularStore } from '../infra/db/circulars.js';
import { issueSupervisionNotice } from '../usecases/supervision-notice.js';
import { giveInstruction } from '../usecases/instructions.js';
import { evaluate, LookupRefused, progressByCode, progressOf, sendCode, type CitizenCodes, type Progress } from '../usecases/citizen-view.js';
import type { MajorIncidents } from '../domain/instructions.js';
import type { DigestStore } from '../infra/db/digest.js';
import { digestText } from '../domain/digest.js';
import { dutyLeaderEmail } from '../usecases/duty.js';
import { rotaGaps } from '../domain/duty.js';
import type { SqlDutyRota } from '../infra/db/duty-rota.js';
import { chinaDate } from '../domain/deadline.js';
import type { StatisticsStore } from '../infra/db/statistics.js';
import { audit, authenticate, failedAuthLimit, guard, HttpError, localsOf, principalOf, rateLimitPerKey, requestId, securityHeaders, traceRequests } from './security.js';
import { contactConfirmPage, progressPage, orderDetail, ordersCsv, orderSummary, publicOrder, traceForOperator } from './views.js';
import { confirmEmail, emailTokenStatus } from '../usecases/confirm-contact.js';
import { open311Routes, sendOpen311Error } from './open311.js';
import { Open311Error, type Open311Table } from '../domain/open311.js';
import { publishOrder, withdrawOrder } from '../usecases/publish-order.js';

export { HttpError };

/** Each dependency's state: "up", or "down: <reason>". */
export type Readiness = () => Promise<Record<string, string>>;

export interface GatewayDeps {
  store: OrderStore;
  /** The counts behind the statistics routes. */
  statistics: StatisticsStore;
  /** 考核办法: how units and districts are scored and ranked (ASSESSMENT_FILE), and who a circular names. */
  assessment: AssessmentMethod;
  /** 通报: drafts and sending. */
  circulars: CircularStore;
  /** 值班表: who is on duty, by shift. */
  rota: SqlDutyRota;
  /** 重大事项: the city's list of major matters, escalated at intake (MAJOR_INCIDENTS_FILE). */
  major?: MajorIncidents;
  /** 群众来电摘报: the daily digests kept. */
  digests?: Pick<DigestStore, 'get' | 'days'>;
  catalog: Catalog;
  keys: KeyStore;
  audit: AuditTrail;
  knowledge: KnowledgeStore;
  ready: Readiness;
  log: Logger;
  /** The hub's clock (tests move it). */
  now: () => Date;
  /** 重复件: which requests are merged into an open order (REPEATS_FILE). */
  repeats: RepeatPolicy;
  /** 附件: an order's files, and the limits they are taken within (ATTACHMENT_* settings). */
  attachments?: AttachmentStore;
  attachmentPolicy?: AttachmentPolicy;
  /** Open311 services and districts (OPEN311_FILE). */
  open311: Open311Table;
  /** An SMS gateway is configured (SMS_URL): citizens get receipts by SMS. */
  sms: boolean;
  /** 市民自助查询 by SMS: one-time codes (with an SMS gateway). */
  codes?: CitizenCodes;
  /** The link that confirms an e-mail address nobody heard given (PUBLIC_URL + /public/v1/contact/confirm). */
  confirmUrl?: (token: string) => string;
  /** The models the hub runs: their versions, a process owner's deploy and rollback. */
  models?: ModelDeps;
  /** The operators' reading of the hub (trace, stuck) and their actions (retry). */
  operations?: {
    ops: Operations;
    stuckOptions: () => StuckOptions;
    retry: (orderNo: string, by: { actor: string; source: 'api'; actorKey: string; role: string }) => Promise<RetryOutcome[]>;
    /** Sends one dead letter (or an operator's mended copy of it) back to its topic: its topic, or null when there is none to replay. */
    /** `by`: the operator, named on a corrected copy (its dlq-corrected-by header). */
    replayDeadLetter: (id: string, corrected: string | undefined, by: string) => Promise<string | null>;
    /** Puts one parked outbox row back in the queue: false when there is none. */
    replayOutbox: (id: string) => Promise<boolean>;
    /** Queues again a delivered engine or Kafka message: the new row's id, or null when there is none. */
    republish: (id: string) => Promise<string | null>;
    cancel: (orderNo: string, reason: string, by: { actor: string; source: 'api'; actorKey: string; role: string }) => Promise<CancelOutcome>;
    /** 合并: the order is the same matter as another open order (its instance cancelled, the units told). */
    merge: (orderNo: string, into: string, reason: string, by: { actor: string }) => Promise<{ orderNo: string; into: string; instance: string; unitsTold: string[]; escalated: string[] }>;
    /** 拆分: a merged call becomes an order of its own (a new instance from the start). */
    split: (orderNo: string, reason: string, by: { actor: string }) => Promise<{ orderNo: string; from: string }>;
  };
  settings: { rateLimitPerMinute: number; authFailuresPerMinute: number; corsOrigins: string; trustProxy: string; timeZone: string };
}

/** How a principal is named in an order's history: its role and its unit, or its key id. */
export const actorOf = (p: Principal): string => `${p.role}:${p.unit ?? p.keyId}`;

/** The HTTP status of each refusal a use case can give. */
const STATUS_OF: Partial<Record<ApiErrorCode, number>> = {
  UNKNOWN_CATEGORY: 422,
  UNKNOWN_DISTRICT: 422,
  UNKNOWN_UNIT: 422,
  UNKNOWN_KNOWLEDGE_ENTRY: 422,
  IDEMPOTENCY_KEY_REUSED: 409,
  ORDER_NOT_FOUND: 404,
  NOT_YOUR_ORDER: 404, // another unit's order does not exist for a unit
  KEY_INVALID: 422,
  NOT_AWAITING_REPLY: 409,
  RETURN_ALREADY_USED: 409,
  EXTENSION_ALREADY_REQUESTED: 409,
  EXTENSION_TOO_LATE: 409,
  EXTENSION_PENDING: 409,
  EXTENSION_NOT_LATER: 422,
  REPLY_BY_PASSED: 422,
  NO_UNIT_YET: 409,
  PROGRESS_NOT_FOUND: 404,
  EVALUATION_NOT_OPEN: 409,
  ALREADY_EVALUATED: 409,
  CODE_NOT_VALID: 404,
  SHIFT_INVALID: 422,
  SHIFT_OVERLAPS: 409,
  NOT_YOUR_STREET: 422,
  SUB_DUE_NOT_WITHIN: 422,
  HELPER_ANSWERED: 409,
  HELPER_TIMED_OUT: 409,
  NOT_URGENT: 422,
  NOT_ON_SITE: 409,
  TASK_NOT_FOUND: 404,
  NOT_CLOSED: 409,
  CONFIDENTIAL: 422,
  PERSONAL_DATA_LEFT: 422,
  NOT_PUBLISHED: 404,
  TASK_DONE: 409,
  TASK_BODY_MISMATCH: 422,
  SAME_UNIT: 422,
  NOT_AWAITING_CALLBACK: 409,
  NOT_AWAITING_ASSIGNMENT: 409,
  CONFLICT_OF_INTEREST: 422,
  TRANSITION_REFUSED: 409,
  ORDER_DONE: 409,
  SAME_ORDER: 422,
  TARGET_NOT_OPEN: 409,
  TARGET_MERGED: 409,
  NOT_MERGED: 409,
  DEAD_LETTER_INVALID: 422,
};

/** Seconds a client is asked to wait after a 503. */
const RETRY_AFTER_S = 5;

/** The most orders one export holds. */
const MAX_EXPORT = 10_000;

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

/** The id of a reply, assignment or callback: the same for a repeat with the same Idempotency-Key in the same scope, else new. */
const messageIdOf = (req: Request, ...scope: string[]): string => {
  const key = idempotencyKey(req);
  return `http:${key ? keyId(...scope, key) : randomUUID()}`;
};

export function createGateway(d: GatewayDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  if (d.settings.trustProxy) app.set('trust proxy', /^\d+$/.test(d.settings.trustProxy) ? Number(d.settings.trustProxy) : d.settings.trustProxy);
  app.use(requestId());
  app.use(countRequests());
  app.use(traceRequests());
  app.use(accessLog(d.log));
  app.use(...securityHeaders(d.settings.corsOrigins));
  app.use(audit(d.audit, d.log));
  app.use(failedAuthLimit(d.settings.authFailuresPerMinute));
  // The console (console/): static files and the published bundles it uses; its data comes from
  // the API with the user's own key, so the pages themselves are public.
  const modules = path.join(projectRoot, 'node_modules');
  app.use('/console/vendor/dmn-js/assets', express.static(path.join(modules, 'dmn-js/dist/assets'), { fallthrough: false }));
  app.use('/console/vendor/bpmn-js/assets', express.static(path.join(modules, 'bpmn-js/dist/assets'), { fallthrough: false }));
  const bundles: Record<string, string> = {
    'chart.umd.min.js': 'chart.js/dist/chart.umd.min.js',
    'bpmn-navigated-viewer.production.min.js': 'bpmn-js/dist/bpmn-navigated-viewer.production.min.js',
    'dmn-modeler.production.min.js': 'dmn-js/dist/dmn-modeler.production.min.js',
    'dmn-viewer.production.min.js': 'dmn-js/dist/dmn-viewer.production.min.js',
  };
  app.get('/console/vendor/:file', (req, res, next) => {
    const file = bundles[String(req.params.file)];
    if (!file) return next(new HttpError(404, 'NOT_FOUND', 'no such file'));
    res.sendFile(path.join(modules, file), { maxAge: '1h' });
  });
  // The order's statuses, their names and which have ended come from the order core, not a copy in the console.
  // FROM: the statuses a unit's action is taken from (the transition table), for the unit's desk.
  // owing: where a unit still owes the answer (it may add files to it).
  const unitFrom = { acknowledge: TRANSITIONS.acknowledge.from, reply: TRANSITIONS.reply.from, return: TRANSITIONS.return.from, owing: OWING_STATUSES };
  // Every name a screen shows for a code (statuses, steps, roles, tasks, stuck reasons) comes from domain/text.ts and the order core, in one module.
  const stuckNames: Record<StuckReason, string> = STUCK_REASON_NAMES;
  const taskNames: Record<HumanTaskKind, string> = TASK_NAMES;
  const typeNames: Record<(typeof ORDER_TYPES)[number], string> = TYPE_NAMES;
  const channelNames: Record<(typeof CHANNELS)[number], string> = CHANNEL_NAMES;
  const names = {
    STATUS: Object.fromEntries(ORDER_STATUSES.map((s) => [s, STATUSES[s].zh])),
    DONE: DONE_STATUSES,
    FROM: unitFrom,
    STEP: STEP_NAMES,
    ROLE: ROLE_NAMES,
    TASK: taskNames,
    SATISFACTION: SATISFACTION_NAMES,
    REASON: stuckNames,
    MODE: MODE_NAMES,
    ERROR: ERROR_TEXT,
    TYPE: typeNames,
    CHANNEL: channelNames,
    EMERGENCY: EMERGENCY_NAMES,
    JOB: JOB_NAMES,
  };
  const namesModule = Object.entries(names).map(([k, v]) => `export const ${k} = ${JSON.stringify(v)};\n`).join('');
  app.get('/console/names.js', (_req, res) => void res.type('text/javascript').set('cache-control', 'max-age=3600').send(namesModule));
  // The centre's time zone (CENTRE_TIME_ZONE): the console shows every instant in it.
  const centreModule = `export const TIME_ZONE = ${JSON.stringify(d.settings.timeZone)};\n`;
  app.get('/console/centre.js', (_req, res) => void res.type('text/javascript').set('cache-control', 'no-cache').send(centreModule));
  app.use('/console', express.static(path.join(projectRoot, 'console'), { fallthrough: false, index: 'index.html' }));
  // The API's documentation page: Swagger UI (swagger-ui-dist) reading /api/v1/openapi.json, all served from here.
  app.get('/api/v1/docs', (req, res, next) => (req.originalUrl.split('?')[0]!.endsWith('/') ? next() : res.redirect(301, '/api/v1/docs/')));
  app.use('/api/v1/docs', express.static(path.join(projectRoot, 'gateway/api-docs'), { index: 'index.html' }), express.static(path.join(modules, 'swagger-ui-dist'), { index: false, fallthrough: false }));
  // Open311 clients send form-encoded bodies with the api_key in them: read before the key is.
  app.use('/open311', express.urlencoded({ extended: false, limit: '64kb' }), express.json({ limit: '64kb' }));
  // The e-mail confirmation page's button posts a form.
  app.use('/public/v1/contact', express.urlencoded({ extended: false, limit: '4kb' }));
  app.use(['/public/v1/progress', '/public/v1/evaluations'], express.urlencoded({ extended: false, limit: '4kb' }));
  app.use(authenticate(d.keys));
  app.use(rateLimitPerKey(d.settings.rateLimitPerMinute));
  // A model (a dispatch table, a process) is larger than any request: XML as it is, or JSON with it.
  app.use('/api/v1/models', express.text({ type: ['application/xml', 'text/xml'], limit: '2mb' }), express.json({ limit: '2mb' }));
  app.use(express.json({ limit: '64kb' }));

  type Handler = (req: Request, res: Response) => Promise<void> | void;
  const registered = new Set<RouteKey>();
  /** Every route goes through here: its roles come from ACCESS, and one without a line there cannot exist. */
  const route = (key: RouteKey, handler: Handler): void => {
    if (!(key in ACCESS)) throw new Error(`route ${key} has no line in gateway/access.ts`);
    registered.add(key);
    const [method, path] = key.split(' ') as [string, string];
    const fn = (req: Request, res: Response, next: NextFunction) => {
      try {
        const done = Promise.resolve(handler(req, res)).catch(next);
        localsOf(res).handled = done.then(() => undefined);
      } catch (err) {
        next(err);
      }
    };
    app[method.toLowerCase() as 'get' | 'post' | 'delete'](path, guard(key), fn);
  };

  const orderNoOf = (req: Request): string => {
    const orderNo = String(req.params.orderNo);
    if (!ORDER_NO.test(orderNo)) throw new HttpError(404, 'ORDER_NOT_FOUND', `order ${orderNo} does not exist (order numbers look like GD20261125000001)`);
    return orderNo;
  };
  const notFound = (orderNo: string) => new HttpError(404, 'ORDER_NOT_FOUND', `order ${orderNo} does not exist`);
  /** The order as this principal may see it: another unit's order does not exist for a unit. */
  const readable = async (p: Principal, orderNo: string) => {
    const order = await d.store.find(orderNo);
    if (!order || (p.role === 'unit' && !unitMaySee(p.unit!, order))) throw notFound(orderNo);
    return order;
  };

  route('GET /healthz', (_req, res) => {
    res.json({ status: 'alive' });
  });

  // Anyone may ask whether the hub is ready; only operators and admins are told why it is not.
  // Ready means "takes orders": that needs the database only. With the engine or Kafka down an
  // order is still accepted and waits in the outbox, so the answer is 200 "degraded", naming them
  // (a load balancer keeps sending intake here; an operator, or the hub_dependency_up metric,
  // sees what is down). Only a database that does not answer makes it 503 "not ready".
  route('GET /readyz', async (_req, res) => {
    const checks = await d.ready();
    const state = readyState(checks);
    const p = localsOf(res).principal;
    const detailed = p?.role === 'operator' || p?.role === 'admin';
    if (state === 'not ready') res.setHeader('Retry-After', String(RETRY_AFTER_S));
    const summary = (v: string): string => (v === 'up' ? 'up' : v.startsWith('warning') ? 'warning' : 'down');
    const shown = detailed ? checks : Object.fromEntries(Object.entries(checks).map(([k, v]) => [k, summary(v)]));
    res.status(state === 'not ready' ? 503 : 200).json({ status: state, checks: shown });
  });

  route('GET /api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  // The Kafka events for systems not written in TypeScript: AsyncAPI 3.0, and a JSON Schema per event.
  const asyncApi = asyncApiDocument('1.0.0');
  route('GET /api/v1/asyncapi.json', (_req, res) => {
    res.json(asyncApi);
  });
  route('GET /api/v1/events/:type/schema.json', (req, res) => {
    const type = String(req.params.type);
    if (!(type in eventPayloads)) throw new HttpError(404, 'NOT_FOUND', `no event type ${type}: ${Object.keys(eventPayloads).join(', ')}`);
    res.type('application/schema+json').send(JSON.stringify(eventSchema(type as EventType)));
  });

  // What this process's adapters did, for a Prometheus scrape with an operator's key.
  route('GET /metrics', async (_req, res) => {
    const text = await metrics.render();
    res.type(metrics.contentType).send(text);
  });

  route('GET /api/v1/me', (_req, res) => {
    const p = principalOf(res);
    res.json({ keyId: p.keyId, name: p.name, role: p.role, unit: p.unit, adapter: p.adapter });
  });

  route('GET /api/v1/catalog', (_req, res) => {
    res.json({
      categories: d.catalog.categories,
      categoryTree: categoryTree(d.catalog),
      categorySource: d.catalog.categorySource ?? null,
      districts: d.catalog.districts,
      units: d.catalog.units.map(({ code, name, level, parent }) => ({ code, name, level, parent: parent ?? null })),
    });
  });

  route('POST /api/v1/orders', async (req, res) => {
    const p = principalOf(res);
    const key = idempotencyKey(req);
    const body = parse(createOrderBody, req.body);
    // One key space per principal: two call-takers' keys never meet.
    const { order, created } = await acceptOrder(d, body, key === undefined ? undefined : keyId(p.keyId, key), actorOf(p));
    localsOf(res).target = order.orderNo!;
    res
      .status(created ? 201 : 200)
      .location(`/api/v1/orders/${order.orderNo}`)
      .json({ orderNo: order.orderNo, status: order.status, link: `/api/v1/orders/${order.orderNo}`, ...(order.mergedInto ? { mergedInto: order.mergedInto, mergedLink: `/api/v1/orders/${order.mergedInto}` } : {}) });
  });

  // 重复件: what the intake form shows before saving. Audited as a POST, with the order it found as the target.
  route('POST /api/v1/orders/repeat-check', async (req, res) => {
    const body = parse(repeatCheckBody, req.body);
    const found = await openRepeat(d, body, d.now());
    if (found) localsOf(res).target = found.orderNo!;
    res.json({ repeatOf: found ? { ...orderSummary(found, d.catalog, 'centre'), address: found.address, by: found.by } : null });
  });

  route('GET /api/v1/orders', async (req, res) => {
    const p = principalOf(res);
    const q = parse(listQuery, req.query);
    const rows = await d.store.list({ unit: p.role === 'unit' ? p.unit! : undefined, status: q.status, limit: q.limit, beforeId: q.before });
    const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
    const view = orderViewOf(p) ?? 'operator';
    res.json({ orders: rows.map((o) => orderSummary(o, d.catalog, view)), next: last ? `/api/v1/orders?limit=${q.limit}&before=${last.id}${q.status ? `&status=${q.status}` : ''}` : null });
  });

  /** 工单查询 for this reader: a unit's own orders only; a phone for the centre only (who looked is audited, as the route is a POST). */
  const orderQuery = (p: Principal, f: z.output<typeof orderExportBody>): OrderQuery => {
    if (f.phone && orderViewOf(p) !== 'centre') throw new HttpError(403, 'FORBIDDEN', 'only the centre searches orders by the caller\'s phone');
    const categories = f.category === undefined ? undefined : categoryLeaves(d.catalog, f.category);
    if (f.category !== undefined && !categories) throw new HttpError(422, 'UNKNOWN_CATEGORY', `category "${f.category}" is not in the catalog (GET /api/v1/catalog)`);
    return { unit: p.role === 'unit' ? p.unit! : undefined, status: f.status, handledBy: f.unit, categories, district: f.district, phone: f.phone, address: f.address, from: f.from, to: f.to, limit: 0 };
  };

  route('POST /api/v1/orders/search', async (req, res) => {
    const p = principalOf(res);
    const body = parse(orderSearchBody, req.body);
    const rows = await d.store.list({ ...orderQuery(p, body), limit: body.limit, beforeId: body.before });
    const last = rows.length === body.limit ? rows[rows.length - 1] : undefined;
    res.json({ orders: rows.map((o) => orderSummary(o, d.catalog, orderViewOf(p) ?? 'operator')), next: last ? { before: last.id } : null });
  });

  route('POST /api/v1/orders/search.csv', async (req, res) => {
    const p = principalOf(res);
    const rows = await d.store.list({ ...orderQuery(p, parse(orderExportBody, req.body)), limit: MAX_EXPORT + 1 });
    if (rows.length > MAX_EXPORT) throw new HttpError(422, 'EXPORT_TOO_LARGE', `more than ${MAX_EXPORT} orders match; narrow the search (from/to)`);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`orders-${chinaDate(d.now())}.csv`)
      .send(ordersCsv(rows, d.catalog, orderViewOf(p) ?? 'operator', d.settings.timeZone));
  });

  /**
   * 命中规则: the rule of the dispatch table that placed the order, in the table's version that did
   * (catalogueVersion "dispatch vN"), found again from the order's fields; null when unknown.
   */
  // An engine's version number names one content for good: what a version and its inputs matched
  // is kept, so that an order page does not read the table's history and parse its XML each time.
  const ruleCache = new Map<string, Promise<{ table: string; version: number; modelVersion: string; rule: MatchedRule | null } | null>>();
  const dispatchRule = (o: WorkOrderRow) => {
    const n = /^dispatch v(\d+)$/.exec(o.catalogueVersion ?? '')?.[1];
    if (!n || !d.models) return Promise.resolve(null);
    const models = d.models.models;
    const inputs = dispatchInputs(o);
    const key = `${n}:${JSON.stringify(inputs)}`;
    let found = ruleCache.get(key);
    if (!found) {
      found = (async () => {
        const version = (await models.history('dispatch.dmn')).find((v) => v.versions?.decisions.dispatch === Number(n));
        return version ? { table: 'dispatch.dmn', version: Number(n), modelVersion: version.id, rule: await matchedRule(version.content, 'dispatch', inputs) } : null;
      })();
      if (ruleCache.size > 1000) ruleCache.clear();
      ruleCache.set(key, found);
      // A miss (the version not recorded yet) or a failure is asked again next time.
      found.then((r) => r ?? ruleCache.delete(key), () => ruleCache.delete(key));
    }
    return found;
  };

  route('GET /api/v1/orders/:orderNo', async (req, res) => {
    const p = principalOf(res);
    const order = await readable(p, orderNoOf(req));
    const history = await d.store.history(order.orderNo!);
    const view = orderViewOf(p)!;
    // A view that names the citizen (the centre's; a unit's of an order not kept confidential): who looked is kept, as for a write.
    if (viewNamesCitizen(view, order)) localsOf(res).personalDataRead = true;
    const refs = view === 'unit' ? [] : await d.store.externalRefs(order.orderNo!);
    res.json({ ...orderDetail(view, order, history, d.catalog, refs), ...(view === 'unit' ? {} : { dispatchRule: await dispatchRule(order) }) });
  });

  // 附件: files on an order — the centre's, or a unit's for its answer — within the size and type
  // limits; listed and read by whom each is for (domain/attachments.ts); never on the public pages.
  const files = () => {
    if (!d.attachments || !d.attachmentPolicy) throw new HttpError(503, 'NOT_CONFIGURED', 'this hub keeps no attachments');
    return { store: d.attachments, policy: d.attachmentPolicy };
  };
  const fileView = (a: AttachmentRow, orderNo: string) => ({
    id: a.id, kind: a.kind, name: a.name, contentType: a.contentType, size: a.size, sha256: a.sha256, url: a.url, unit: a.unitCode, addedBy: a.addedBy, replyId: a.replyId, signedOffBy: a.signedOffBy, addedAt: a.createdAt.toISOString(),
    ...(a.url ? {} : { link: `/api/v1/orders/${orderNo}/attachments/${a.id}` }),
  });
  /** The request's bytes, read up to the limit: past it, refused without reading on. */
  const bytesOf = (req: Request, max: number): Promise<Buffer> =>
    new Promise((resolve, reject) => {
      const tooLarge = () => new HttpError(413, 'FILE_TOO_LARGE', `the file is larger than ${max} bytes, the most taken (ATTACHMENT_MAX_BYTES)`);
      if (Number(req.header('content-length') ?? 0) > max) return reject(tooLarge());
      const chunks: Buffer[] = [];
      let n = 0;
      req.on('data', (c: Buffer) => {
        n += c.length;
        if (n > max) {
          req.removeAllListeners('data');
          req.resume();
          reject(tooLarge());
        } else chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  route('POST /api/v1/orders/:orderNo/attachments', async (req, res) => {
    const p = principalOf(res);
    const { store, policy } = files();
    const order = await readable(p, orderNoOf(req));
    const orderNo = order.orderNo!;
    localsOf(res).target = orderNo;
    // A unit adds files to the answer it owes; the centre to an order it has not finished.
    if (p.role === 'unit' ? !(OWING_STATUSES.includes(order.status) && order.unitCode === p.unit) : isDone(order.status)) {
      throw new HttpError(409, 'NOT_OPEN_FOR_FILES', p.role === 'unit' ? `order ${orderNo} is ${order.status}: a unit adds files to the answer it still owes` : `order ${orderNo} is ${order.status}: it has ended`);
    }
    const bytes = await bytesOf(req, policy.maxBytes);
    const checked = checkUpload(policy, bytes, req.header('content-type'), await store.count(orderNo));
    if ('refused' in checked) throw new HttpError(checked.refused === 'FILE_TOO_LARGE' ? 413 : 422, checked.refused, checked.reason);
    const name = safeName(typeof req.query.name === 'string' ? req.query.name : undefined, checked.type);
    const row = await store.add({ orderNo, kind: p.role === 'unit' ? 'reply' : 'intake', name, contentType: checked.type, data: bytes, unitCode: p.role === 'unit' ? p.unit! : null, addedBy: actorOf(p) }, policy.maxPerOrder);
    if (!row) throw new HttpError(422, 'TOO_MANY_FILES', `order ${orderNo} has ${policy.maxPerOrder} files already, the most one order takes (ATTACHMENTS_PER_ORDER)`);
    res.status(201).json(fileView(row, orderNo));
  });

  route('GET /api/v1/orders/:orderNo/attachments', async (req, res) => {
    const p = principalOf(res);
    const order = await readable(p, orderNoOf(req));
    const viewer = { centre: p.role !== 'unit', unit: p.unit ?? null };
    const rows = (await files().store.list(order.orderNo!)).filter((a) => attachmentVisible(viewer, a, order));
    res.json({ orderNo: order.orderNo, attachments: rows.map((a) => fileView(a, order.orderNo!)) });
  });

  route('GET /api/v1/orders/:orderNo/attachments/:attachmentId', async (req, res) => {
    const p = principalOf(res);
    const order = await readable(p, orderNoOf(req));
    const id = String(req.params.attachmentId);
    const a = /^\d{1,18}$/.test(id) ? await files().store.read(order.orderNo!, id) : null;
    if (!a || !attachmentVisible({ centre: p.role !== 'unit', unit: p.unit ?? null }, a, order)) throw new HttpError(404, 'ATTACHMENT_NOT_FOUND', `order ${order.orderNo} has no file ${id} for this key`);
    if (!a.data) throw new HttpError(404, 'ATTACHMENT_NOT_FOUND', `file ${id} is a link the app gave (${a.url ?? ''}), not kept here`);
    // The citizen's photos are personal data: who opened one is kept, as for a read of the order.
    localsOf(res).target = order.orderNo!;
    localsOf(res).personalDataRead = true;
    res
      .type(a.contentType ?? 'application/octet-stream')
      .set({ 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(a.name)}`, 'x-content-type-options': 'nosniff', 'cache-control': 'private, no-store' })
      .send(a.data);
  });

  /** A unit's action on its own order: the unit comes from the key, the action's id from the Idempotency-Key. */
  const unitRoute = (key: RouteKey, action: string, run: (orderNo: string, who: UnitActor, req: Request) => Promise<'accepted' | 'duplicate'>): void =>
    route(key, async (req, res) => {
      const p = principalOf(res);
      const unit = findUnit(d.catalog, p.unit!);
      if (!unit) throw new HttpError(403, 'UNIT_NOT_FOUND', `this key's unit ${p.unit} is no longer in the catalog; ask the centre for a new key`);
      const orderNo = orderNoOf(req);
      await readable(p, orderNo);
      const who = { id: messageIdOf(req, unit.code, orderNo, action), unit: unit.code, unitName: unit.name, actor: actorOf(p) };
      const outcome = await run(orderNo, who, req);
      res.status(202).json({ orderNo, accepted: true, repeated: outcome === 'duplicate' });
    });

  unitRoute('POST /api/v1/orders/:orderNo/acknowledge', 'acknowledge', (orderNo, who) => acknowledgeOrder(d, orderNo, who));
  unitRoute('POST /api/v1/orders/:orderNo/reply', 'reply', async (orderNo, who, req) => {
    const body = parse(unitReplyBody, req.body);
    const ids = body.attachments ?? [];
    // 附件: only the unit's own files on this order not yet sent with an answer.
    const strange = ids.length > 0 ? await files().store.unlinked(orderNo, who.unit, ids) : [];
    if (strange.length > 0) throw new HttpError(422, 'ATTACHMENT_NOT_FOUND', `files ${strange.join(', ')} are not this unit's files on order ${orderNo} waiting for an answer; upload them first (POST …/attachments)`);
    const outcome = await submitReply(d, orderNo, { id: who.id, unit: who.unit, unitName: who.unitName, result: body.result, handledBy: body.handledBy, repliedAt: d.now().toISOString(), ...(ids.length > 0 ? { attachments: ids, signedOffBy: body.signedOffBy } : {}) }, who.actor);
    if (ids.length > 0) await files().store.linkToReply(orderNo, who.unit, ids, who.id, body.signedOffBy!);
    return outcome;
  });
  unitRoute('POST /api/v1/orders/:orderNo/return', 'return', (orderNo, who, req) => returnOrder(d, orderNo, who, parse(returnBody, req.body).reason));
  unitRoute('POST /api/v1/orders/:orderNo/extension', 'extension', (orderNo, who, req) => requestExtension(d, orderNo, who, parse(extensionBody, req.body)));
  unitRoute('POST /api/v1/orders/:orderNo/on-site', 'on-site', (orderNo, who) => confirmOnSite(d, orderNo, who));
  unitRoute('POST /api/v1/orders/:orderNo/progress', 'progress', (orderNo, who, req) => reportProgress(d, orderNo, who, parse(progressBody, req.body)));
  unitRoute('POST /api/v1/orders/:orderNo/sub-dispatch', 'sub-dispatch', (orderNo, who, req) => subDispatch(d, orderNo, who, parse(subDispatchBody, req.body)));

  route('GET /api/v1/tasks', async (req, res) => {
    const p = principalOf(res);
    const q = parse(taskQuery, req.query);
    const rows = await d.store.tasks({ role: p.role, unit: p.role === 'unit' ? p.unit! : undefined, status: q.status, kind: q.kind, orderNo: q.orderNo, limit: q.limit, afterId: q.after });
    const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
    const next = last ? `/api/v1/tasks?${new URLSearchParams({ ...(q.kind ? { kind: q.kind } : {}), ...(q.orderNo ? { orderNo: q.orderNo } : {}), status: q.status, limit: String(q.limit), after: last.id })}` : null;
    res.json({
      next,
      tasks: rows.map((t) => ({
        id: t.id,
        orderNo: t.orderNo,
        kind: t.kind,
        role: t.role,
        status: t.status,
        detail: JSON.parse(t.detail ?? 'null') as unknown,
        createdAt: t.createdAt.toISOString(),
        dueAt: t.dueAt?.toISOString() ?? null,
        completedAt: t.completedAt?.toISOString() ?? null,
        completedBy: t.completedBy,
        outcome: JSON.parse(t.outcome ?? 'null') as unknown,
        link: `/api/v1/tasks/${t.id}/complete`,
      })),
    });
  });

  route('POST /api/v1/tasks/:taskId/complete', async (req, res) => {
    const p = principalOf(res);
    const body = parse(completeTaskBody, req.body);
    const { orderNo } = await completeTask(d, String(req.params.taskId), { role: p.role, actor: actorOf(p), unit: p.unit }, body);
    localsOf(res).target = orderNo;
    res.json({ taskId: String(req.params.taskId), orderNo, done: true });
  });

  route('POST /api/v1/orders/:orderNo/assign', async (req, res) => {
    const p = principalOf(res);
    const orderNo = orderNoOf(req);
    const id = messageIdOf(req, p.keyId, orderNo);
    const body = parse(assignBody, req.body);
    const outcome = await assignOrder(d, orderNo, { id, unit: body.unit, mode: body.mode, reason: body.reason }, actorOf(p));
    res.status(202).json({ orderNo, accepted: true, repeated: outcome === 'duplicate' });
  });

  route('POST /api/v1/orders/:orderNo/callback', async (req, res) => {
    const p = principalOf(res);
    const orderNo = orderNoOf(req);
    const id = messageIdOf(req, orderNo);
    const body = parse(callbackBody, req.body);
    const outcome = await submitCallback(d, orderNo, id, body.satisfaction, body.note, actorOf(p), body.resolved);
    res.status(202).json({ orderNo, accepted: true, repeated: outcome === 'duplicate' });
  });

  /** Each group's counts, rates and name over a period, and their total. */
  const statisticsRows = async (by: StatDimension, from: Date, to: Date) => {
    const counts = await d.statistics.counts(by, from, to, d.now());
    const nameOf = (k: string): string =>
      by === 'unit' ? (k === '-' ? '无承办单位' : (findUnit(d.catalog, k)?.name ?? k)) : by === 'district' ? (d.catalog.districts.find((x) => x.code === k)?.name ?? k) : by === 'category' ? (d.catalog.categories.find((x) => x.code === k)?.name ?? k) : k;
    const rows = [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, c]) => ({ key, name: nameOf(key), ...c, ...ratesOf(c) }));
    const sum = [...counts.values()].reduce(addCounts, EMPTY_COUNTS);
    return { rows, total: { key: 'total', name: '合计', ...sum, ...ratesOf(sum) } };
  };

  /** The statistics rows of a query. */
  const statistics = async (query: unknown) => {
    const q = parse(statisticsQuery, query);
    const period = statisticsPeriod(q.from, q.to, d.now());
    if ('refused' in period) throw new HttpError(400, 'VALIDATION_FAILED', period.refused);
    const { from, to } = period;
    return { by: q.by, from: from.toISOString(), to: to.toISOString(), ...(await statisticsRows(q.by, from, to)) };
  };

  route('GET /api/v1/statistics', async (req, res) => {
    const [s, now] = await Promise.all([statistics(req.query), d.statistics.current(d.now())]);
    res.json({ ...s, now });
  });

  route('GET /api/v1/statistics.csv', async (req, res) => {
    const s = await statistics(req.query);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`statistics-${s.by}-${chinaDate(new Date(s.from))}-${chinaDate(new Date(Date.parse(s.to) - 1))}.csv`)
      .send(statisticsCsv([...s.rows, s.total]));
  });

  /** 考核: a period's units or districts scored and ranked by the centre's method (ASSESSMENT_FILE). */
  const assessment = async (query: unknown) => {
    const q = parse(assessmentQuery, query);
    const period = q.of ? reportPeriod(q.period, q.of) : lastWholePeriod(q.period, d.now());
    const { rows, total } = await statisticsRows(q.by, period.from, period.to);
    const m = d.assessment;
    return {
      by: q.by,
      period: { kind: period.kind, label: period.label, first: period.first, last: period.last, from: period.from.toISOString(), to: period.to.toISOString() },
      method: { ...m, lines: methodLines(m) },
      rows: assess(rows, m),
      total: { ...total, score: scoreOf(total, m), rank: null, ranked: false },
    };
  };
  const reportName = (a: Awaited<ReturnType<typeof assessment>>, ext: string) => `assessment-${a.by}-${a.period.kind}-${a.period.first}.${ext}`;

  route('GET /api/v1/assessment', async (req, res) => {
    res.json(await assessment(req.query));
  });

  route('GET /api/v1/assessment.csv', async (req, res) => {
    const a = await assessment(req.query);
    res.type('text/csv; charset=utf-8').attachment(reportName(a, 'csv')).send(assessmentCsv([...a.rows, a.total]));
  });

  route('GET /api/v1/assessment.xlsx', async (req, res) => {
    const a = await assessment(req.query);
    const columns = ASSESSMENT_CSV_COLUMNS;
    const book = xlsx([
      {
        name: `${a.by === 'unit' ? '单位' : '区'}考核排名`,
        header: columns.map(([, h]) => h),
        rows: [...a.rows, a.total].map((r) => columns.map(([k]) => assessmentCell(r as unknown as Record<string, unknown>, k))),
        percent: new Set(columns.flatMap(([k], i) => (k.endsWith('Rate') ? [i] : []))),
      },
      { name: '考核办法', header: ['项目', '内容'], rows: [['考核期', `${a.period.label}（${a.period.first} 至 ${a.period.last}，北京时间）`], ...a.method.lines] },
    ]);
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(reportName(a, 'xlsx')).send(Buffer.from(book));
  });

  /** 群众来电摘报: the days with a digest (newest first) and the newest one; a day's by its date. */
  route('GET /api/v1/digests', async (_req, res) => {
    const days = (await d.digests?.days(60)) ?? [];
    const latest = days[0] ? await d.digests!.get(days[0]) : null;
    res.json({ days, latest: latest ? { ...latest, text: digestText(latest, d.catalog.centre.name).text } : null });
  });
  route('GET /api/v1/digests/:day', async (req, res) => {
    const day = String(req.params.day);
    const got = /^\d{4}-\d{2}-\d{2}$/.test(day) ? await d.digests?.get(day) : null;
    if (!got) throw new HttpError(404, 'DIGEST_NOT_FOUND', `no digest of ${day}`);
    res.json({ ...got, text: digestText(got, d.catalog.centre.name).text });
  });

  /** 值班表: the shifts over a window (by default from a day ago to two weeks ahead), who is on duty now, and the gaps nobody covers. */
  route('GET /api/v1/duty-rota', async (req, res) => {
    const q = parse(rotaQuery, req.query);
    const now = d.now();
    const from = q.from ? new Date(q.from) : new Date(now.getTime() - 86_400_000);
    const to = q.to ? new Date(q.to) : new Date(now.getTime() + 14 * 86_400_000);
    if (!(from < to) || to.getTime() - from.getTime() > 366 * 86_400_000) throw new HttpError(400, 'VALIDATION_FAILED', '"from" must come before "to", at most a year apart');
    const [shifts, onDuty] = await Promise.all([d.rota.between(from, to), d.rota.onDuty(now)]);
    res.json({ from: from.toISOString(), to: to.toISOString(), shifts, onDuty, fallback: d.catalog.centre.dutyLeaderEmail, gaps: rotaGaps(shifts, from, to) });
  });

  route('POST /api/v1/duty-rota', async (req, res) => {
    const b = parse(shiftBody, req.body);
    const shift = await d.rota.add({ startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt), leaderName: b.leaderName, leaderEmail: b.leaderEmail, leaderPhone: b.leaderPhone ?? null }, actorOf(principalOf(res)), d.now());
    localsOf(res).target = `shift:${shift.id}`;
    res.status(201).json(shift);
  });

  route('DELETE /api/v1/duty-rota/:shiftId', async (req, res) => {
    const id = String(req.params.shiftId);
    localsOf(res).target = `shift:${id}`;
    if (!/^\d{1,18}$/.test(id) || !(await d.rota.remove(id))) throw new HttpError(404, 'SHIFT_NOT_FOUND', `no shift ${id}`);
    res.status(204).end();
  });

  /** 通报: a circular's view, with the names of the units it names. */
  const circularView = (c: CircularRow) => ({ ...c, units: c.units.map((code) => ({ code, name: findUnit(d.catalog, code)?.name ?? code })) });
  const circularOf = async (req: Request): Promise<CircularRow> => {
    const id = String(req.params.circularId);
    const c = /^\d{1,18}$/.test(id) ? await d.circulars.get(id) : null;
    if (!c) throw new HttpError(404, 'CIRCULAR_NOT_FOUND', `no circular ${id}`);
    return c;
  };
  const notDraft = (id: string) => new HttpError(409, 'CIRCULAR_NOT_DRAFT', `circular ${id} has been sent or discarded`);

  route('POST /api/v1/circulars', async (req, res) => {
    const p = principalOf(res);
    const body = parse(circularDraftBody, req.body ?? {});
    const policy = d.assessment.circular;
    const period = body.of ? reportPeriod('month', body.of) : lastWholePeriod('month', d.now());
    const [owing, ranking] = await Promise.all([d.circulars.chasedOwing(policy.chasedAtLeast), statisticsRows('unit', period.from, period.to)]);
    const name = (list: ReadonlyArray<{ code: string; name: string }>, code: string) => list.find((x) => x.code === code)?.name ?? code;
    const chased = owing.map((o) => ({ ...o, unitName: findUnit(d.catalog, o.unitCode)?.name ?? o.unitCode, categoryName: name(d.catalog.categories, o.category), districtName: name(d.catalog.districts, o.district) }));
    const last = lastRankedOf(assess(ranking.rows.filter((r) => r.key !== '-'), d.assessment), policy.lastRanked);
    const draft = draftCircular({ periodLabel: period.label, chased, last }, policy, { centreName: d.catalog.centre.name, methodName: d.assessment.name, today: d.now() });
    if (!draft) throw new HttpError(422, 'NOTHING_TO_CIRCULATE', `no order is owed after ${policy.chasedAtLeast} chases, and ${period.label} ranks nobody last`);
    const c = await d.circulars.draft({ ...draft, periodLabel: period.label, by: actorOf(p), at: d.now() });
    localsOf(res).target = `circular:${c.id}`;
    res.status(201).json(circularView(c));
  });

  route('GET /api/v1/circulars', async (req, res) => {
    const q = parse(circularListQuery, req.query);
    const rows = await d.circulars.list(q);
    res.json({ circulars: rows.map(circularView), next: rows.length === q.limit ? { before: rows.at(-1)!.id } : null });
  });

  route('GET /api/v1/circulars/:circularId', async (req, res) => {
    res.json(circularView(await circularOf(req)));
  });

  route('POST /api/v1/circulars/:circularId/edit', async (req, res) => {
    const c = await circularOf(req);
    const text = parse(circularEditBody, req.body);
    localsOf(res).target = `circular:${c.id}`;
    if ((await d.circulars.edit(c.id, text, actorOf(principalOf(res)), d.now())) !== 'edited') throw notDraft(c.id);
    res.json(circularView((await d.circulars.get(c.id))!));
  });

  route('POST /api/v1/circulars/:circularId/discard', async (req, res) => {
    const c = await circularOf(req);
    localsOf(res).target = `circular:${c.id}`;
    if ((await d.circulars.discard(c.id, actorOf(principalOf(res)), d.now())) !== 'discarded') throw notDraft(c.id);
    res.json(circularView((await d.circulars.get(c.id))!));
  });

  /** Sends a draft: numbered, recorded on every order it names, mailed to every unit it names and to the duty leader. */
  route('POST /api/v1/circulars/:circularId/approve', async (req, res) => {
    const c = await circularOf(req);
    const by = actorOf(principalOf(res));
    localsOf(res).target = `circular:${c.id}`;
    const leader = await dutyLeaderEmail(d, d.now());
    const sent = await d.circulars.send(c.id, by, d.now(), (draft) => {
      const mail = { subject: `${draft.circularNo} ${draft.title}`, text: `${draft.title}\n${draft.circularNo}\n\n${draft.body}`, ref: `circular:${draft.id}` };
      const units = draft.units.map((code) => findUnit(d.catalog, code)).filter((u) => u !== undefined);
      return {
        steps: draft.orders.map((orderNo) => ({ orderNo, entry: { step: 'circular' as const, actor: by, note: `${draft.circularNo}：${draft.title}`, detail: { circularId: draft.id, circularNo: draft.circularNo }, dedupKey: `circular:${draft.id}:${orderNo}` } })),
        mails: [
          ...units.map((u) => ({ channel: 'email' as const, destination: u.email, payload: mail, dedupKey: `circular:${draft.id}:email:${u.code}` })),
          { channel: 'email' as const, destination: leader, payload: mail, dedupKey: `circular:${draft.id}:email:leader` },
        ],
      };
    });
    if (sent === 'not-found') throw new HttpError(404, 'CIRCULAR_NOT_FOUND', `no circular ${c.id}`);
    if (sent === 'not-draft') throw notDraft(c.id);
    res.json(circularView(sent));
  });

  /** 领导批示: recorded by the centre; the unit reports back through its task (instruction-report). */
  route('POST /api/v1/orders/:orderNo/instructions', async (req, res) => {
    const p = principalOf(res);
    const orderNo = orderNoOf(req);
    const body = parse(instructionBody, req.body);
    const out = await giveInstruction(d, orderNo, { id: messageIdOf(req, p.keyId, orderNo, 'instruction').replace(/^http:/, ''), leader: body.leader, text: body.text, reportBy: new Date(body.reportBy) }, actorOf(p));
    res.status(out.repeated ? 200 : 201).json({ orderNo, ...out });
  });

  route('POST /api/v1/orders/:orderNo/supervision-notice', async (req, res) => {
    const p = principalOf(res);
    const orderNo = orderNoOf(req);
    const body = parse(supervisionNoticeBody, req.body);
    const notice = await issueSupervisionNotice(d, orderNo, { id: messageIdOf(req, p.keyId, orderNo, 'supervision-notice'), replyBy: new Date(body.replyBy), opinion: body.opinion }, actorOf(p));
    res.status(notice.repeated ? 200 : 201).json({ orderNo, ...notice });
  });

  route('POST /api/v1/orders/:orderNo/publish', async (req, res) => {
    const p = principalOf(res);
    const orderNo = orderNoOf(req);
    await readable(p, orderNo);
    const out = await publishOrder(d, orderNo, parse(publishBody, req.body), actorOf(p));
    res.json({ orderNo, published: true, ...out, link: `/public/v1/orders/${orderNo}` });
  });

  route('DELETE /api/v1/orders/:orderNo/publish', async (req, res) => {
    const p = principalOf(res);
    const orderNo = orderNoOf(req);
    await readable(p, orderNo);
    await withdrawOrder(d, orderNo, actorOf(p));
    res.status(204).end();
  });

  route('GET /public/v1/orders', async (req, res) => {
    const q = parse(publicListQuery, req.query);
    const rows = await d.store.published({ limit: q.limit, beforeId: q.before });
    const last = rows.length === q.limit ? rows[rows.length - 1] : undefined;
    res.json({ orders: rows.map((o) => publicOrder(o, d.catalog)), next: last ? `/public/v1/orders?limit=${q.limit}&before=${last.id}` : null });
  });

  route('GET /public/v1/orders/:orderNo', async (req, res) => {
    const orderNo = orderNoOf(req);
    const order = await d.store.find(orderNo);
    if (!order?.publishedAt) throw notFound(orderNo);
    res.json(publicOrder(order, d.catalog));
  });

  // 确认邮箱: the link in the one mail to an address nobody heard given shows a page with a button
  // (opening a link confirms nothing: mail scanners open links); the button's POST confirms.
  route('GET /public/v1/contact/confirm', async (req, res) => {
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const { outcome, orderNo } = await emailTokenStatus(d, token);
    res.status(outcome === 'unknown' ? 404 : 200).type('html').send(contactConfirmPage(outcome, orderNo, token));
  });

  route('POST /public/v1/contact/confirm', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const token = typeof body.token === 'string' ? body.token : '';
    const { outcome, orderNo } = await confirmEmail(d, token);
    if (orderNo) localsOf(res).target = orderNo;
    res.status(outcome === 'unknown' ? 404 : 200).type('html').send(contactConfirmPage(outcome, orderNo));
  });

  // 市民自助查询 and 一事一评: JSON for apps; the page's forms post the same fields and get HTML back.
  const asPage = (req: Request) => req.method === 'GET' || !!req.is('application/x-www-form-urlencoded');
  const sms = d.sms && !!d.codes;
  const citizenAnswer = async (req: Request, res: Response, run: () => Promise<{ orders: Progress[]; one: boolean }>, credential: () => { phone: string } | { token: string }, done?: string) => {
    try {
      const { orders, one } = await run();
      if (one) localsOf(res).target = orders[0]!.orderNo;
      if (asPage(req)) res.type('html').send(progressPage({ orders, credential: credential(), done, sms }));
      else res.json(one ? orders[0] : { orders });
    } catch (err) {
      // A wrong number, phone, link or code counts as a bad credential: the address is stopped after a few a minute.
      if (err instanceof LookupRefused && (err.code === 'PROGRESS_NOT_FOUND' || err.code === 'CODE_NOT_VALID')) localsOf(res).badCredential = true;
      if (!asPage(req) || !(err instanceof LookupRefused || err instanceof HttpError)) throw err;
      const code = (err as { code: string }).code as ApiErrorCode;
      res.status(err instanceof LookupRefused ? (STATUS_OF[code] ?? 400) : (err as HttpError).status).type('html').send(progressPage({ error: ERROR_TEXT[code] ?? err.message, sms }));
    }
  };
  const text = (v: unknown) => String(v ?? '');
  route('GET /public/v1/progress', (_req, res) => {
    res.type('html').send(progressPage({ sms }));
  });
  route('POST /public/v1/progress', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    await citizenAnswer(
      req,
      res,
      async () => {
        const q = parse(lookupBody, b);
        if ('orderNo' in q) return { orders: [await progressOf(d, q)], one: true };
        if (!sms) throw new HttpError(503, 'NOT_CONFIGURED', 'this hub sends no SMS: look an order up by its number and phone');
        return { orders: await progressByCode({ ...d, codes: d.codes! }, q.phone, q.code), one: false };
      },
      () => ({ phone: text(b.phone) }),
    );
  });
  route('POST /public/v1/progress/code', async (req, res) => {
    if (!sms) throw new HttpError(503, 'NOT_CONFIGURED', 'this hub sends no SMS: look an order up by its number and phone');
    const b = (req.body ?? {}) as Record<string, unknown>;
    const q = parse(codeBody, b);
    // Every request counts as a try from its address: the form sends no SMS cannon's worth.
    localsOf(res).badCredential = true;
    await sendCode({ ...d, codes: d.codes! }, q.phone);
    const said = '如该号码有诉求记录，验证码已通过短信发送，10分钟内有效';
    if (asPage(req)) res.status(202).type('html').send(progressPage({ sms, codeFor: q.phone, done: said }));
    else res.status(202).json({ accepted: true, message: said });
  });
  // 一事一评 from the closing SMS: the link's token opens the order it closed, and its evaluation.
  route('GET /p/:token', async (req, res) => {
    const token = text(req.params.token);
    await citizenAnswer(req, res, async () => ({ orders: [await progressOf(d, { token })], one: true }), () => ({ token }));
  });
  route('POST /public/v1/evaluations', async (req, res) => {
    const b = (req.body ?? {}) as Record<string, unknown>;
    await citizenAnswer(
      req,
      res,
      async () => {
        const q = parse(evaluationBody, { ...b, ...(b.comment === '' ? { comment: undefined } : {}) });
        const who = 'token' in q ? { token: q.token } : { orderNo: q.orderNo, phone: q.phone };
        return { orders: [await evaluate(d, who, q.rating as 1 | 2 | 3 | 4 | 5, q.comment || undefined)], one: true };
      },
      () => (typeof b.token === 'string' ? { token: b.token } : { phone: text(b.phone) }),
      '感谢您的评价',
    );
  });

  /** An entry as the API shows it. */
  const knowledgeView = (e: Awaited<ReturnType<KnowledgeStore['find']>> & object) => ({
    id: e.id,
    title: e.title,
    body: e.body,
    category: e.category,
    source: e.source,
    createdAt: e.createdAt.toISOString(),
    retired: e.retiredAt !== null,
    link: `/api/v1/knowledge/${e.id}`,
  });

  route('GET /api/v1/knowledge', async (req, res) => {
    const q = parse(knowledgeQuery, req.query);
    const found = await d.knowledge.search(q.q, { category: q.category, limit: q.limit });
    res.json({ entries: found.map((e) => ({ ...knowledgeView(e), score: e.score })) });
  });

  route('GET /api/v1/knowledge/:entryId', async (req, res) => {
    const id = String(req.params.entryId);
    const e = /^\d{1,18}$/.test(id) ? await d.knowledge.find(id) : null;
    if (!e) throw new HttpError(404, 'KNOWLEDGE_ENTRY_NOT_FOUND', `knowledge-base entry ${id} does not exist`);
    res.json(knowledgeView(e));
  });

  route('POST /api/v1/knowledge', async (req, res) => {
    const p = principalOf(res);
    const body = parse(knowledgeBody, req.body);
    if (body.category && !d.catalog.categories.some((c) => c.code === body.category)) throw new HttpError(422, 'UNKNOWN_CATEGORY', `category "${body.category}" is not in the catalog`);
    const e = await d.knowledge.add({ ...body, createdBy: actorOf(p) });
    localsOf(res).target = `kb:${e.id}`;
    res.status(201).location(`/api/v1/knowledge/${e.id}`).json(knowledgeView(e));
  });

  route('DELETE /api/v1/knowledge/:entryId', async (req, res) => {
    const id = String(req.params.entryId);
    if (!/^\d{1,18}$/.test(id) || !(await d.knowledge.retire(id))) throw new HttpError(404, 'KNOWLEDGE_ENTRY_NOT_FOUND', `no live knowledge-base entry ${id}`);
    res.status(204).end();
  });

  const operations = () => {
    if (!d.operations) throw new HttpError(503, 'OPERATIONS_UNAVAILABLE', 'this gateway runs without the operators\' tools');
    return d.operations;
  };

  route('GET /api/v1/orders/:orderNo/trace', async (req, res) => {
    const orderNo = String(req.params.orderNo);
    const order = await d.store.find(orderNo);
    if (!order) throw new HttpError(404, 'ORDER_NOT_FOUND', `order ${orderNo} does not exist`);
    localsOf(res).target = orderNo;
    res.json({ orderNo, entries: traceForOperator(await operations().ops.trace(orderNo), order) });
  });

  route('GET /api/v1/stuck', async (_req, res) => {
    const o = operations();
    const items = await o.ops.stuck(o.stuckOptions());
    res.json({ count: items.length, items });
  });

  route('POST /api/v1/orders/:orderNo/cancel', async (req, res) => {
    const orderNo = String(req.params.orderNo);
    const p = principalOf(res);
    const body = parse(cancelBody, req.body);
    localsOf(res).target = orderNo;
    res.json(await operations().cancel(orderNo, body.reason, { actor: actorOf(p), source: 'api', actorKey: p.keyId, role: p.role }));
  });

  // 合并与拆分 by the centre's hand (重复件).
  route('POST /api/v1/orders/:orderNo/merge', async (req, res) => {
    const orderNo = String(req.params.orderNo);
    const body = parse(mergeBody, req.body);
    localsOf(res).target = orderNo;
    res.json(await operations().merge(orderNo, body.into, body.reason, { actor: actorOf(principalOf(res)) }));
  });

  route('POST /api/v1/orders/:orderNo/split', async (req, res) => {
    const orderNo = String(req.params.orderNo);
    const body = parse(splitBody, req.body);
    localsOf(res).target = orderNo;
    res.json(await operations().split(orderNo, body.reason, { actor: actorOf(principalOf(res)) }));
  });

  route('POST /api/v1/outbox/:id/republish', async (req, res) => {
    const id = String(req.params.id);
    localsOf(res).target = `outbox:${id}`.slice(0, 64);
    const copy = /^[0-9a-f-]{36}$/.test(id) ? await operations().republish(id) : null;
    if (!copy) throw new HttpError(404, 'OUTBOX_ROW_NOT_FOUND', `no delivered engine or Kafka message ${id} (a row not sent yet is replayed, not republished)`);
    res.json({ id, republishedAs: copy });
  });

  route('POST /api/v1/orders/:orderNo/retry', async (req, res) => {
    const orderNo = String(req.params.orderNo);
    if (!(await d.store.find(orderNo))) throw new HttpError(404, 'ORDER_NOT_FOUND', `order ${orderNo} does not exist`);
    const p = principalOf(res);
    localsOf(res).target = orderNo;
    const retried = await operations().retry(orderNo, { actor: actorOf(p), source: 'api', actorKey: p.keyId, role: p.role });
    res.status(retried.some((r) => !r.ok) ? 502 : 200).json({ orderNo, retried });
  });

  const modelDeps = (): ModelDeps => {
    if (!d.models) throw new HttpError(503, 'MODELS_UNAVAILABLE', 'this gateway runs without the model store');
    return d.models;
  };
  const modelName = (req: Request): string => {
    const name = String(req.params.name);
    if (!MODEL_NAME.test(name)) throw new HttpError(404, 'MODEL_NOT_FOUND', `"${name}" is not a model's file name (dispatch.dmn, work-order.bpmn, …)`);
    return name;
  };
  const versionView = (v: ModelVersion, withContent = false) => ({ id: v.id, name: v.name, source: v.source, sha256: v.sha256, deployedBy: v.deployedBy, deployedAt: v.deployedAt, note: v.note, engine: v.engine, engineVersions: v.versions?.processes ?? null, ...(withContent ? { content: v.content } : {}) });
  const refusedModel = (err: unknown): never => {
    if (err instanceof ModelRefused) throw new HttpError(422, 'MODEL_INVALID', err.message, { problems: err.problems });
    if (err instanceof ModelNotFound) throw new HttpError(404, 'MODEL_NOT_FOUND', err.message);
    throw err;
  };

  route('GET /api/v1/models', async (_req, res) => {
    res.json({ models: [...(await modelDeps().models.current()).values()].map((v) => versionView(v)) });
  });

  route('GET /api/v1/models/:name', async (req, res) => {
    const name = modelName(req);
    const history = await modelDeps().models.history(name);
    if (history.length === 0) throw new HttpError(404, 'MODEL_NOT_FOUND', `no model ${name}`);
    // ?engineVersion=N: the version an instance runs (the engine's version number of the file's process, as its jobs report it).
    const engineVersion = typeof req.query.engineVersion === 'string' ? Number(req.query.engineVersion) : undefined;
    const processId = name.replace(/\.bpmn$/, '');
    const version =
      typeof req.query.version === 'string' ? history.find((v) => v.id === req.query.version)
      : engineVersion !== undefined ? history.find((v) => v.versions?.processes[processId] === engineVersion)
      : history[0];
    if (!version) throw new HttpError(404, 'MODEL_NOT_FOUND', `model ${name} has no version ${String(req.query.version ?? `deployed as ${processId} v${engineVersion}`)} among its last ${history.length}`);
    res.json({ name, version: versionView(version, true), history: history.map((v) => versionView(v)) });
  });

  route('POST /api/v1/models/:name', async (req, res) => {
    const name = modelName(req);
    const p = principalOf(res);
    const body = typeof req.body === 'string' ? { xml: req.body, note: typeof req.query.note === 'string' ? req.query.note : undefined, dryRun: req.query.dryRun === 'true' } : parse(deployModelBody, req.body);
    localsOf(res).target = name;
    const out = await deployModel(modelDeps(), name, body.xml, { actor: actorOf(p), source: 'api', actorKey: p.keyId, role: p.role }, { dryRun: body.dryRun, note: body.note }).catch(refusedModel);
    res.status(out.version ? 201 : 200).json({ name, deployed: out.version ? versionView(out.version) : null, changes: out.changes });
  });

  route('POST /api/v1/models/:name/rollback', async (req, res) => {
    const name = modelName(req);
    const p = principalOf(res);
    const body = parse(z.strictObject({ to: z.string().regex(/^\d{1,18}$/).optional() }), req.body ?? {});
    localsOf(res).target = name;
    const out = await rollbackModel(modelDeps(), name, { actor: actorOf(p), source: 'api', actorKey: p.keyId, role: p.role }, body.to).catch(refusedModel);
    res.json({ name, deployed: out.version ? versionView(out.version) : null, changes: out.changes });
  });

  route('POST /api/v1/dead-letters/:id/replay', async (req, res) => {
    const id = String(req.params.id);
    if (!/^\d{1,18}$/.test(id)) throw new HttpError(404, 'DEAD_LETTER_NOT_FOUND', `no dead letter ${id}`);
    localsOf(res).target = `dl:${id}`;
    const body = parse(replayDeadLetterBody, req.body ?? {});
    const topic = await operations().replayDeadLetter(id, body.value, actorOf(principalOf(res)));
    if (!topic) throw new HttpError(404, 'DEAD_LETTER_NOT_FOUND', `no dead letter ${id} to replay (replayed already, or it came from a legacy system, which sends it again itself)`);
    res.json({ id, replayedTo: topic });
  });

  route('POST /api/v1/outbox/:id/replay', async (req, res) => {
    const id = String(req.params.id);
    if (!/^[0-9a-f-]{36}$/.test(id)) throw new HttpError(404, 'OUTBOX_ROW_NOT_FOUND', `no outbox row ${id}`);
    localsOf(res).target = `outbox:${id.slice(0, 50)}`;
    if (!(await operations().replayOutbox(id))) throw new HttpError(404, 'OUTBOX_ROW_NOT_FOUND', `no parked outbox row ${id}`);
    res.json({ id, queued: true });
  });

  route('GET /api/v1/audit', async (req, res) => {
    const q = parse(listQuery.extend({ target: z.string().max(64).optional() }).omit({ status: true }), req.query);
    const rows = await d.audit.list({ target: q.target, limit: q.limit, beforeId: q.before });
    res.json({ entries: rows.map((r) => ({ ...r, at: r.at.toISOString() })) });
  });

  route('GET /api/v1/keys', async (_req, res) => {
    res.json({ keys: await d.keys.list() });
  });

  route('POST /api/v1/keys', async (req, res) => {
    const p = principalOf(res);
    const body = parse(createKeyBody, req.body);
    if (body.unit && !findUnit(d.catalog, body.unit)) throw new HttpError(422, 'UNKNOWN_UNIT', `unit "${body.unit}" is not in the catalog`);
    const { key, token } = await d.keys.create({ ...body, expiresAt: parseExpiry(body.expires), createdBy: actorOf(p) });
    localsOf(res).target = key.id;
    res.status(201).json({ key, token, note: '保存好此密钥：它只显示这一次 (the token is shown this once)' });
  });

  route('DELETE /api/v1/keys/:keyId', async (req, res) => {
    const revoked = await d.keys.revoke(String(req.params.keyId));
    if (!revoked) throw new HttpError(404, 'KEY_NOT_FOUND', `no live key ${req.params.keyId}`);
    res.status(204).end();
  });

  open311Routes(route, { ...d, table: d.open311 }, (req, ...scope) => {
    const key = idempotencyKey(req);
    return key === undefined ? undefined : keyId(...scope, key);
  });

  const missing = Object.keys(ACCESS).filter((k) => !registered.has(k as RouteKey));
  if (missing.length > 0) throw new Error(`gateway/access.ts names routes the gateway does not serve: ${missing.join(', ')}`);

  app.use(['/api', '/public', '/open311'], (_req, _res, next) => next(new HttpError(404, 'NOT_FOUND', 'no such endpoint; see /api/v1/openapi.json')));

  // Errors: JSON with a code and a message. A refusal is 4xx; a dependency down is 503; the rest is a bug.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    void _next;
    const e = err as { type?: string; status?: number; message?: string };
    // Open311 clients read errors as [{ code, description }] (GeoReport v2).
    const open311 = req.path.startsWith('/open311/');
    // `text` is what the centre's staff read (domain/text.ts); `message` the English detail for integrators.
    const send = (status: number, code: ApiErrorCode, message: string, details?: unknown): void => {
      if (open311) sendOpen311Error(req, res, status, `${code}: ${message}`);
      else res.status(status).json({ error: { code, message, text: ERROR_TEXT[code], details } });
    };
    if (err instanceof Open311Error) sendOpen311Error(req, res, err.status, `${err.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST'}: ${err.message}`);
    else if (err instanceof HttpError) {
      if (err.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="12345-hub"');
      send(err.status, err.code, err.message, err.details);
    }
    else if (err instanceof HubError && STATUS_OF[err.code as ApiErrorCode]) send(STATUS_OF[err.code as ApiErrorCode]!, err.code as ApiErrorCode, err.message);
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
