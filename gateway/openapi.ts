/**
 * The OpenAPI 3.1 document: request schemas generated from the zod schemas the gateway validates
 * with, and each operation's security from gateway/access.ts (the roles it takes, as `x-roles`,
 * and the bearer API key scheme), so that what is documented is what is enforced.
 */
import { z } from 'zod';
import { ROLE_NAMES } from '../domain/access.js';
import { ERROR_TEXT } from '../domain/text.js';
import { ACCESS, type RouteKey } from './access.js';
import { assignBody, callbackBody, completeTaskBody, createKeyBody, createOrderBody, deployModelBody, extensionBody, knowledgeBody, orderExportBody, orderSearchBody, progressBody, publishBody, repeatCheckBody, returnBody, subDispatchBody, unitReplyBody, circularDraftBody, circularEditBody, supervisionNoticeBody, shiftBody, instructionBody, lookupBody, codeBody, evaluationBody, mergeBody, splitBody } from './schemas.js';

const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema: z.toJSONSchema(schema, { io: 'input' }) } } });
const error = { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const orderNo = { name: 'orderNo', in: 'path', required: true, schema: { type: 'string', pattern: '^GD\\d{14}$' } };
const assessmentParameters = [
  { name: 'period', in: 'query', required: false, schema: { type: 'string', enum: ['week', 'month', 'quarter', 'year'], default: 'month' } },
  { name: 'of', in: 'query', required: false, schema: { type: 'string', format: 'date', description: 'a China date inside the period (weeks run Monday to Sunday); default: the last whole period' } },
  { name: 'by', in: 'query', required: false, schema: { type: 'string', enum: ['unit', 'district'], default: 'unit' } },
];
const circularId = { name: 'circularId', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{1,18}$' } };
const idempotency = { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 128 } };
const paging = [
  { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
  { name: 'before', in: 'query', required: false, schema: { type: 'string' } },
];

/** What each operation does and takes, besides its security (which comes from ACCESS). */
const OPERATIONS: Record<RouteKey, Record<string, unknown>> = {
  'GET /healthz': { summary: 'The process is alive', responses: { 200: { description: 'alive' } } },
  'GET /readyz': { summary: 'Database, Zeebe and Kafka answer (reasons shown to operators and admins only)', responses: { 200: { description: 'ready' }, 503: { description: 'not ready' } } },
  'GET /api/v1/openapi.json': { summary: 'This document', responses: { 200: { description: 'the document' } } },
  'GET /api/v1/asyncapi.json': { summary: 'The canonical Kafka events as an AsyncAPI 3.0 document: each channel (topic), who writes it, each event\'s envelope and payload', responses: { 200: { description: 'the AsyncAPI document' } } },
  'GET /api/v1/events/:type/schema.json': {
    summary: "One event type's envelope as JSON Schema (draft-07), e.g. order.dispatched",
    parameters: [{ name: 'type', in: 'path', required: true, schema: { type: 'string', example: 'order.dispatched' } }],
    responses: { 200: { description: 'application/schema+json' }, 404: error },
  },
  'GET /metrics': { summary: 'Counters in the Prometheus text format: what each adapter did (hub_adapter_messages_total{adapter,direction,outcome})', responses: { 200: { description: 'text/plain; version=0.0.4' } } },
  'GET /api/v1/me': { summary: 'Whom the presented key stands for', responses: { 200: { description: 'key id, name, role, unit or adapter' } } },
  'GET /api/v1/catalog': { summary: 'Categories, districts and units (codes and zh-CN names)', responses: { 200: { description: 'the catalog' } } },
  'POST /api/v1/orders': {
    summary: 'Register a request as a work order (受理)',
    parameters: [idempotency],
    requestBody: { required: true, ...json(createOrderBody) },
    responses: { 201: { description: 'created: orderNo and link; a repeat call (the same matter at the same place as an open order, from the same phone or another, as REPEATS_FILE says) has status "merged" and mergedInto' }, 200: { description: 'the order an earlier request with this Idempotency-Key created' }, 400: error, 409: error, 413: error, 422: error },
  },
  'POST /api/v1/orders/repeat-check': {
    summary: '重复件 before saving: the open order a request from this phone about this category and place would be merged into (the call-taker sees it before pressing save); the body carries the phone, so it is not in a URL or a log',
    requestBody: { required: true, ...json(repeatCheckBody) },
    responses: { 200: { description: '{ repeatOf: null, or the open order (orderNo, title, status, address, unit, createdAt, by: same-caller or other-caller) }' }, 400: error },
  },
  'GET /api/v1/orders': {
    summary: 'Orders newest first; a unit key lists its own orders only',
    parameters: [{ name: 'status', in: 'query', required: false, schema: { type: 'string' } }, ...paging],
    responses: { 200: { description: 'a page of orders and the link to the next' } },
  },
  'POST /api/v1/orders/search': {
    summary: '工单查询: orders newest first by status, unit (承办单位 or its street), category (a group: its leaves), district, part of the address, accepted from/to, and — the centre only, audited — the caller\'s phone; a unit searches its own orders. The filters travel in the body, so a phone is never in a URL or a log',
    requestBody: { required: true, ...json(orderSearchBody) },
    responses: { 200: { description: '{ orders, next: { before } | null }' }, 400: error, 403: error, 422: error },
  },
  'POST /api/v1/orders/search.csv': {
    summary: 'The same search as CSV (UTF-8 with BOM, Chinese headings, times in the centre\'s zone), every matching order up to 10 000; more is refused (narrow the dates)',
    requestBody: { required: true, ...json(orderExportBody) },
    responses: { 200: { description: 'text/csv' }, 400: error, 403: error, 422: error },
  },
  'GET /api/v1/orders/:orderNo': {
    summary: 'One order with its history, as the caller may see it (centre, operator or unit view); another unit\'s order is 404',
    parameters: [orderNo],
    responses: { 200: { description: 'the order' }, 404: error },
  },
  'POST /api/v1/orders/:orderNo/attachments': {
    summary: '附件: add a file to an order — the centre\'s (call-takers, dispatchers, supervisors) to an open order, a unit\'s to the answer it owes (sent with it: reply\'s attachments and signedOffBy). The body is the file itself; it is what its bytes are (JPEG, PNG or PDF, ATTACHMENT_TYPES), at most ATTACHMENT_MAX_BYTES, and at most ATTACHMENTS_PER_ORDER on one order',
    parameters: [orderNo, { name: 'name', in: 'query', required: false, schema: { type: 'string', maxLength: 100 } }],
    requestBody: { required: true, content: Object.fromEntries(['image/jpeg', 'image/png', 'application/pdf'].map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) },
    responses: { 201: { description: 'kept: the file\'s id, name, type, size and SHA-256' }, 404: error, 409: error, 413: error, 422: error },
  },
  'GET /api/v1/orders/:orderNo/attachments': {
    summary: '附件: the order\'s files the caller may see (the centre all; a unit its own, and the intake ones of a request not kept confidential), without their bytes; an app\'s link is listed as its url',
    parameters: [orderNo],
    responses: { 200: { description: 'the files' }, 404: error },
  },
  'GET /api/v1/orders/:orderNo/attachments/:attachmentId': {
    summary: '附件: one file\'s bytes, as a download (who opened it is kept, as for a read of the order)',
    parameters: [orderNo, { name: 'attachmentId', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{1,18}$' } }],
    responses: { 200: { description: 'the file', content: Object.fromEntries(['image/jpeg', 'image/png', 'application/pdf'].map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) }, 404: error },
  },
  'POST /api/v1/orders/:orderNo/reply': {
    summary: 'The unit of the key replies with its result (反馈)',
    parameters: [orderNo, idempotency],
    requestBody: { required: true, ...json(unitReplyBody) },
    responses: { 202: { description: 'accepted' }, 400: error, 404: error, 409: error },
  },
  'POST /api/v1/orders/:orderNo/acknowledge': {
    summary: 'The unit of the key acknowledges the order (签收); not acknowledged in time, it is chased',
    parameters: [orderNo, idempotency],
    responses: { 202: { description: 'accepted' }, 404: error, 409: error },
  },
  'POST /api/v1/orders/:orderNo/return': {
    summary: 'The unit of the key returns the order as not its own (退单), with a reason; once per unit and order',
    parameters: [orderNo, idempotency],
    requestBody: { required: true, ...json(returnBody) },
    responses: { 202: { description: 'accepted: a dispatcher decides (task "redispatch")' }, 400: error, 404: error, 409: error },
  },
  'POST /api/v1/orders/:orderNo/extension': {
    summary: 'The unit of the key asks for a later deadline (延期), before the deadline, once per dispatch',
    parameters: [orderNo, idempotency],
    requestBody: { required: true, ...json(extensionBody) },
    responses: { 202: { description: 'accepted: a supervisor decides (task "extension-approval")' }, 400: error, 404: error, 409: error },
  },
  'POST /api/v1/orders/:orderNo/on-site': {
    summary: 'The unit of the key confirms it is on site (紧急件 到场); not on site by the deadline, the order goes to supervision',
    parameters: [orderNo, idempotency],
    responses: { 202: { description: 'accepted' }, 404: error, 409: error, 422: error },
  },
  'POST /api/v1/orders/:orderNo/progress': {
    summary: 'The unit of the key, on site, reports progress on an urgent order (进展), with the time it needs when known; without one each policy interval it is chased',
    parameters: [orderNo, idempotency],
    requestBody: { required: true, ...json(progressBody) },
    responses: { 202: { description: 'accepted' }, 400: error, 404: error, 409: error, 422: error },
  },
  'POST /api/v1/orders/:orderNo/sub-dispatch': {
    summary: 'A district (level 2) sends the order on to one of its streets (level 3, 下派); the street\'s answer comes back to the district for review (task "street-review")',
    parameters: [orderNo, idempotency],
    requestBody: { required: true, ...json(subDispatchBody) },
    responses: { 202: { description: 'accepted' }, 400: error, 404: error, 409: error, 422: error },
  },
  'GET /api/v1/tasks': {
    summary: 'The human tasks of the caller\'s role (改派, 退单审核, 延期审批, 答复审核, 协调); a unit\'s key lists its own (三级审核), oldest first',
    parameters: [
      { name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['open', 'done'], default: 'open' } },
      { name: 'kind', in: 'query', required: false, schema: { type: 'string', enum: ['redispatch', 'return-review', 'extension-approval', 'reply-review', 'coordination', 'street-review'] } },
      { name: 'orderNo', in: 'query', required: false, schema: { type: 'string' } },
      paging[0],
      { name: 'after', in: 'query', required: false, schema: { type: 'string', description: 'the last id of the previous page (the answer\'s "next" link)' } },
    ],
    responses: { 200: { description: 'tasks' } },
  },
  'POST /api/v1/tasks/:taskId/complete': {
    summary: 'Decide a task; the process moves on. A task completed already is 409',
    parameters: [{ name: 'taskId', in: 'path', required: true, schema: { type: 'string' } }],
    requestBody: { required: true, ...json(completeTaskBody) },
    responses: { 200: { description: 'done' }, 400: error, 404: error, 409: error, 422: error },
  },
  'POST /api/v1/orders/:orderNo/publish': {
    summary: 'Publish a closed order (政务公开) with a summary; the hub anonymises it and the unit\'s answer and refuses what still names the citizen',
    parameters: [orderNo],
    requestBody: { required: true, ...json(publishBody) },
    responses: { 200: { description: 'published: the texts as the public reads them' }, 400: error, 404: error, 409: error, 422: error },
  },
  'POST /api/v1/orders/:orderNo/instructions': {
    summary: '领导批示: a leader\'s instruction on an open order, recorded by the centre: shown to the unit, mailed to it, and the unit\'s task (instruction-report) due at reportBy, chased like any task when late; a repeat with the same Idempotency-Key answers 200',
    parameters: [orderNo, idempotency],
    requestBody: { required: true, ...json(instructionBody) },
    responses: { 201: { description: 'recorded' }, 200: { description: 'recorded before' }, 400: error, 404: error, 409: error, 422: error },
  },
  'POST /api/v1/orders/:orderNo/supervision-notice': {
    summary: '督办单: a written supervision notice to the unit that owes the order (its opinion and the time to answer by), recorded in the history, mailed to the unit and the duty leader; a repeat with the same Idempotency-Key answers the same notice (200)',
    parameters: [orderNo, idempotency],
    requestBody: { required: true, ...json(supervisionNoticeBody) },
    responses: { 201: { description: 'the notice as sent' }, 200: { description: 'the same notice, sent before' }, 400: error, 404: error, 409: error, 422: error },
  },
  'GET /public/v1/progress': { summary: '市民自助查询: the public page (no script): the order\'s number and the phone given at intake', responses: { 200: { description: 'text/html' } } },
  'POST /public/v1/progress': {
    summary: '市民自助查询: the citizen\'s own order by its number and the phone given — status, unit, the time expected, the answer once closed, whether it may be evaluated; or, with a mobile and the code sent to it, every order that phone gave ({ orders }, newest first, 20 at most); a wrong number, phone or code alike 404 (and counted against the address); the page\'s form gets HTML',
    requestBody: { required: true, ...json(lookupBody) },
    responses: { 200: { description: 'the progress' }, 400: error, 404: error, 429: error, 503: error },
  },
  'POST /public/v1/progress/code': {
    summary: '市民自助查询 by SMS: a one-time code (six digits, 10 minutes, five tries) to a mobile that gave an order, at most three an hour; the answer is the same whether one went; 503 without an SMS gateway',
    requestBody: { required: true, ...json(codeBody) },
    responses: { 202: { description: 'a code is on its way if the phone gave an order' }, 400: error, 429: error, 503: error },
  },
  'GET /p/:token': {
    summary: '一事一评 from the closing SMS: the page of the order the link closed, with its evaluation form while open (HTML, no script)',
    parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9A-Za-z]{8}$' } }],
    responses: { 200: { description: 'text/html' }, 404: { description: 'text/html: no order with this link' }, 429: error },
  },
  'POST /public/v1/evaluations': {
    summary: '一事一评: the citizen evaluates a closed order once (rating 1–5: 非常不满意 … 非常满意, a comment), by its number and phone or by the token of the closing SMS\'s link; counted in the statistics (好评率)',
    requestBody: { required: true, ...json(evaluationBody) },
    responses: { 200: { description: 'the progress, evaluated' }, 400: error, 404: error, 409: error, 429: error },
  },
  'GET /api/v1/digests': { summary: '群众来电摘报: the days with a digest (newest first, 60 at most) and the newest digest with its text', responses: { 200: { description: 'the days and the newest' } } },
  'GET /api/v1/digests/:day': { summary: 'One day\'s digest: volume against the usual, surging categories, districts and terms, hard cases, overdue orders, units in trouble, and the text mailed', parameters: [{ name: 'day', in: 'path', required: true, schema: { type: 'string', format: 'date' } }], responses: { 200: { description: 'the digest' }, 404: error } },
  'GET /api/v1/duty-rota': {
    summary: '值班表: the shifts over a window (default: from a day ago to two weeks ahead), who is on duty now, the standing address used where nobody is, and the gaps',
    parameters: [{ name: 'from', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } }, { name: 'to', in: 'query', required: false, schema: { type: 'string', format: 'date-time' } }],
    responses: { 200: { description: 'the rota' }, 400: error },
  },
  'POST /api/v1/duty-rota': { summary: 'Add a shift: its leader gets every escalation raised during it (督办, emergency hand-overs unconfirmed, tasks left open, circulars, supervision notices); a shift overlapping another is refused (409)', requestBody: { required: true, ...json(shiftBody) }, responses: { 201: { description: 'the shift' }, 400: error, 409: error, 422: error } },
  'DELETE /api/v1/duty-rota/:shiftId': { summary: 'Remove a shift', parameters: [{ name: 'shiftId', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{1,18}$' } }], responses: { 204: { description: 'removed' }, 404: error } },
  'POST /api/v1/circulars': {
    summary: '通报: a draft from the facts — orders their unit still owes after the method\'s number of chases, the last of a month\'s ranking (config/assessment.json `circular`); 422 when nobody is to be named',
    requestBody: { required: false, ...json(circularDraftBody) },
    responses: { 201: { description: 'the draft' }, 400: error, 422: error },
  },
  'GET /api/v1/circulars': { summary: 'Circulars, newest first', parameters: [{ name: 'status', in: 'query', required: false, schema: { type: 'string', enum: ['draft', 'sent', 'discarded'] } }, { name: 'limit', in: 'query', required: false, schema: { type: 'integer', default: 20 } }, { name: 'before', in: 'query', required: false, schema: { type: 'string' } }], responses: { 200: { description: 'a page of circulars' }, 400: error } },
  'GET /api/v1/circulars/:circularId': { summary: 'One circular', parameters: [circularId], responses: { 200: { description: 'the circular' }, 404: error } },
  'POST /api/v1/circulars/:circularId/edit': { summary: 'A supervisor\'s edit of a draft\'s title and text (who it names stays as drafted)', parameters: [circularId], requestBody: { required: true, ...json(circularEditBody) }, responses: { 200: { description: 'the draft' }, 400: error, 404: error, 409: error } },
  'POST /api/v1/circulars/:circularId/approve': { summary: 'Approve and send a draft: numbered in its year, a history step on each order it names, mailed to each unit it names and to the duty leader', parameters: [circularId], responses: { 200: { description: 'the circular as sent' }, 404: error, 409: error } },
  'POST /api/v1/circulars/:circularId/discard': { summary: 'Discard a draft', parameters: [circularId], responses: { 200: { description: 'the circular, discarded' }, 404: error, 409: error } },
  'DELETE /api/v1/orders/:orderNo/publish': { summary: 'Withdraw a published order', parameters: [orderNo], responses: { 204: { description: 'withdrawn' }, 404: error } },
  'GET /public/v1/orders': {
    summary: 'Published orders, newest first, anonymised (no name, phone, address or person named); no key needed',
    parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } }, paging[1]],
    responses: { 200: { description: 'a page of published orders' } },
  },
  'GET /public/v1/orders/:orderNo': { summary: 'One published order, anonymised', parameters: [orderNo], responses: { 200: { description: 'the order' }, 404: error } },
  'GET /public/v1/contact/confirm': {
    summary: 'The link in the one mail sent to an e-mail address nobody heard given: an HTML page asking its owner to confirm with a button (opening it confirms nothing); no key needed',
    parameters: [{ name: 'token', in: 'query', required: true, schema: { type: 'string' } }],
    responses: { 200: { description: 'a page with the button (or saying it was confirmed before)', content: { 'text/html': {} } }, 404: { description: 'no such link: a page saying so', content: { 'text/html': {} } } },
  },
  'POST /public/v1/contact/confirm': {
    summary: 'The button on that page: confirms the address (form field token); the close notice may then be sent there; no key needed',
    requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { token: { type: 'string' } }, required: ['token'] } } } },
    responses: { 200: { description: 'confirmed (or confirmed before): a page saying so', content: { 'text/html': {} } }, 404: { description: 'no such link: a page saying so', content: { 'text/html': {} } } },
  },
  'POST /api/v1/orders/:orderNo/assign': {
    summary: 'A dispatcher picks the unit for an order the rules could not place (人工派单; never the unit complained about)',
    parameters: [orderNo, idempotency],
    requestBody: { required: true, ...json(assignBody) },
    responses: { 202: { description: 'accepted' }, 400: error, 404: error, 409: error, 422: error },
  },
  'POST /api/v1/orders/:orderNo/callback': {
    summary: 'The callback result (回访): unsatisfied sends the order back to the unit once',
    parameters: [orderNo, idempotency],
    requestBody: { required: true, ...json(callbackBody) },
    responses: { 202: { description: 'accepted' }, 400: error, 404: error, 409: error },
  },
  'GET /api/v1/statistics': {
    summary: 'Volume, closure, on-time closure, satisfaction, return and repeat-call rates, per unit, district, category, day or month (definitions: domain/statistics.ts); and now: orders taken in today, open, and open past their deadline',
    parameters: [
      { name: 'by', in: 'query', required: false, schema: { type: 'string', enum: ['unit', 'district', 'category', 'day', 'month'], default: 'unit' } },
      { name: 'from', in: 'query', required: false, schema: { type: 'string', description: 'YYYY-MM-DD (China) or an ISO 8601 instant; default: the first of this month' } },
      { name: 'to', in: 'query', required: false, schema: { type: 'string', description: 'YYYY-MM-DD (that day included) or an ISO 8601 instant (excluded); default: now' } },
    ],
    responses: { 200: { description: 'rows and their total' }, 400: error },
  },
  'GET /api/v1/statistics.csv': {
    summary: 'The same figures as CSV (UTF-8 with BOM, zh-CN headings) for a spreadsheet',
    parameters: [{ name: 'by', in: 'query', required: false, schema: { type: 'string' } }, { name: 'from', in: 'query', required: false, schema: { type: 'string' } }, { name: 'to', in: 'query', required: false, schema: { type: 'string' } }],
    responses: { 200: { description: 'text/csv' }, 400: error },
  },
  'GET /api/v1/assessment': {
    summary: '考核: units or districts scored and ranked over a week, month, quarter or year by the centre\'s method (ASSESSMENT_FILE; formula: docs/assessment.md), every count and rate of the statistics beside the score',
    parameters: assessmentParameters,
    responses: { 200: { description: 'the period, the method, the rows ranked, their total' }, 400: error },
  },
  'GET /api/v1/assessment.csv': { summary: 'The same report as CSV (UTF-8 with BOM, zh-CN headings)', parameters: assessmentParameters, responses: { 200: { description: 'text/csv' }, 400: error } },
  'GET /api/v1/assessment.xlsx': { summary: 'The same report as an Excel workbook: the ranking, and the method in words on a second sheet', parameters: assessmentParameters, responses: { 200: { description: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, 400: error } },
  'GET /api/v1/knowledge': {
    summary: 'Search the knowledge base (知识库) in Chinese; best matches first',
    parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'string' } }, { name: 'category', in: 'query', required: false, schema: { type: 'string' } }, { name: 'limit', in: 'query', required: false, schema: { type: 'integer', default: 10 } }],
    responses: { 200: { description: 'entries with their score' }, 400: error },
  },
  'GET /api/v1/knowledge/:entryId': { summary: 'One knowledge-base entry', parameters: [{ name: 'entryId', in: 'path', required: true, schema: { type: 'string' } }], responses: { 200: { description: 'the entry' }, 404: error } },
  'POST /api/v1/knowledge': { summary: 'Add a knowledge-base entry', requestBody: { required: true, ...json(knowledgeBody) }, responses: { 201: { description: 'the entry' }, 400: error, 422: error } },
  'DELETE /api/v1/knowledge/:entryId': { summary: 'Retire an entry (orders that cited it keep the citation)', parameters: [{ name: 'entryId', in: 'path', required: true, schema: { type: 'string' } }], responses: { 204: { description: 'retired' }, 404: error } },
  'GET /api/v1/audit': {
    summary: 'The audit trail, newest first (who, what, which order, outcome, from where)',
    parameters: [{ name: 'target', in: 'query', required: false, schema: { type: 'string' } }, ...paging],
    responses: { 200: { description: 'entries' } },
  },
  'GET /api/v1/orders/:orderNo/trace': {
    summary: "One order's whole trail (operators): its steps, each job (completed, failed, incidents), the events read and sent and their state, dead letters, deliveries to legacy systems, people's tasks; oldest first, never a message's content",
    parameters: [orderNo],
    responses: { 200: { description: 'the trail' }, 404: error },
  },
  'GET /api/v1/stuck': {
    summary: 'What hangs, with the reason (operators): incident, no-worker, message-waiting, outbox-backlog, parked, dead-letter, timer-overdue, no-progress; each with what to do',
    responses: { 200: { description: 'stuck items, oldest first' } },
  },
  'POST /api/v1/orders/:orderNo/retry': {
    summary: "Runs again the order's jobs that ended in an incident, once their cause is fixed (recorded with who did it)",
    parameters: [orderNo],
    responses: { 200: { description: 'what was retried (an empty list: no open incident)' }, 404: error, 502: error },
  },
  'POST /api/v1/dead-letters/:id/replay': {
    summary: 'Send a dead letter back to its Kafka topic once its cause is fixed (operators); each consumer applies a message once. With {"value": "…"}, a mended copy (JSON) goes instead',
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { value: { type: 'string', description: 'the mended message, JSON' } } } } } },
    responses: { 200: { description: 'replayed' }, 404: error, 422: error },
  },
  'POST /api/v1/outbox/:id/replay': {
    summary: 'Put a parked outbox message back in the queue with a fresh count of attempts (operators)',
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    responses: { 200: { description: 'queued' }, 404: error },
  },
  'POST /api/v1/outbox/:id/republish': {
    summary: 'Send again a message already delivered that no receiver took (stuck reason message-waiting): an engine message with a new message id, a Kafka event as it was (operators)',
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    responses: { 200: { description: 'queued again: republishedAs, the new row' }, 404: error },
  },
  'POST /api/v1/orders/:orderNo/cancel': {
    summary: '撤销: end an order where it stands, with the reason (supervisors, operators): its process instance is cancelled, its open tasks leave the lists, the units working on it are told to stop (order.cancelled on their topic, an e-mail)',
    parameters: [orderNo],
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', minLength: 2, maxLength: 500 } } } } } },
    responses: { 200: { description: 'cancelled: what became of its instance, tasks and pending engine messages, and which units were told (unitsTold)' }, 404: error, 409: error, 422: error },
  },
  'POST /api/v1/orders/:orderNo/merge': {
    summary: '合并 (重复件): the centre finds an open order the same matter as another open order (dispatchers, supervisors): its process instance is cancelled, its open tasks leave the lists, the units working on it are told (order.cancelled, an e-mail), and it becomes "merged" into the other, which counts the repeat and may be reported up (REPEATS_FILE escalation)',
    parameters: [orderNo],
    requestBody: { required: true, ...json(mergeBody) },
    responses: { 200: { description: 'merged: into, what became of its instance, the units told, the levels reported up' }, 404: error, 409: error, 422: error },
  },
  'POST /api/v1/orders/:orderNo/split': {
    summary: '拆分 (重复件): a merged call is a matter of its own after all (dispatchers, supervisors): it starts a process of its own from the start, and the order it was merged into counts one repeat fewer',
    parameters: [orderNo],
    requestBody: { required: true, ...json(splitBody) },
    responses: { 200: { description: 'split: the order and the one it was merged into' }, 404: error, 409: error, 422: error },
  },
  'GET /api/v1/models': { summary: 'The models the hub runs (process owners, operators): each one\'s version now, where it came from, who deployed it and when', responses: { 200: { description: 'models' } } },
  'GET /api/v1/models/:name': {
    summary: "One model's version now (with its XML, or the one ?version= names) and its history, newest first",
    parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', example: 'dispatch.dmn' } }, { name: 'version', in: 'query', required: false, schema: { type: 'string' } }],
    responses: { 200: { description: 'the version and the history' }, 404: error },
  },
  'POST /api/v1/models/:name': {
    summary: 'Deploy a new version of a model (process owners): checked (bpmnlint and the Camunda 8.5 rules; a decision table whole and naming only known units and categories; the same process and decision ids), compared with what runs, deployed, recorded with who did it. The body is the XML (application/xml, with ?note= and ?dryRun=true) or JSON {xml, note, dryRun}',
    parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', example: 'dispatch.dmn' } }],
    requestBody: { required: true, content: { 'application/xml': { schema: { type: 'string' } }, ...json(deployModelBody).content } },
    responses: { 201: { description: 'deployed: the version and what changed' }, 200: { description: 'a dry run, or no change: what would change' }, 422: error },
  },
  'POST /api/v1/models/:name/rollback': {
    summary: 'Deploy an earlier version of a model again (process owners): the one {to} names, else the last one that differs from what runs',
    parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string', example: 'dispatch.dmn' } }],
    responses: { 200: { description: 'the version deployed and what changed' }, 404: error },
  },
  'GET /api/v1/keys': { summary: 'Every API key (never the secret)', responses: { 200: { description: 'keys' } } },
  'POST /api/v1/keys': { summary: 'Make an API key; its token is in this answer only', requestBody: { required: true, ...json(createKeyBody) }, responses: { 201: { description: 'the key and its token' }, 400: error, 422: error } },
  'DELETE /api/v1/keys/:keyId': { summary: 'Revoke a key at once', parameters: [{ name: 'keyId', in: 'path', required: true, schema: { type: 'string' } }], responses: { 204: { description: 'revoked' }, 404: error } },
  'GET /open311/v2/discovery.:format': { summary: 'Open311 GeoReport v2 discovery (.json or .xml)', tags: ['Open311'], parameters: [{ name: 'format', in: 'path', required: true, schema: { type: 'string', enum: ['json', 'xml'] } }], responses: { 200: { description: 'endpoints and formats' } } },
  'GET /open311/v2/services.:format': { summary: 'Open311 services (config/open311-services.yaml: each a hub category)', tags: ['Open311'], parameters: [{ name: 'format', in: 'path', required: true, schema: { type: 'string', enum: ['json', 'xml'] } }, { name: 'jurisdiction_id', in: 'query', schema: { type: 'string' } }], responses: { 200: { description: 'the service list' } } },
  'GET /open311/v2/services/:serviceCode.:format': { summary: 'Open311 service definition (no extra attributes)', tags: ['Open311'], parameters: [{ name: 'serviceCode', in: 'path', required: true, schema: { type: 'string' } }, { name: 'format', in: 'path', required: true, schema: { type: 'string', enum: ['json', 'xml'] } }], responses: { 200: { description: 'the definition' }, 404: { description: '[{ code, description }]' } } },
  'POST /open311/v2/requests.:format': {
    summary: 'Open311 service request: becomes a 12345 order (form-encoded: api_key, service_code, lat and long, address_string or address_id, zipcode, description, media_url, first_name, last_name, phone (required here: every citizen is called back), email). A missing or bad api_key is 403',
    tags: ['Open311'],
    parameters: [{ name: 'format', in: 'path', required: true, schema: { type: 'string', enum: ['json', 'xml'] } }],
    requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', required: ['service_code', 'phone'], properties: Object.fromEntries(['api_key', 'jurisdiction_id', 'service_code', 'lat', 'long', 'address_string', 'address_id', 'zipcode', 'description', 'media_url', 'first_name', 'last_name', 'phone', 'email', 'device_id', 'account_id'].map((k) => [k, { type: 'string' }])) } } } },
    responses: { 201: { description: '[{ service_request_id, service_notice, account_id }]' }, 400: { description: '[{ code, description }]' }, 403: { description: 'no api_key, or a bad one' }, 404: { description: 'unknown service_code or jurisdiction_id: [{ code, description }]' } },
  },
  'GET /open311/v2/requests.:format': {
    summary: 'Open311 service requests (public, anonymised): those taken through Open311, newest first, at most 1000; the last 90 days unless start_date/end_date say otherwise',
    tags: ['Open311'],
    parameters: [{ name: 'format', in: 'path', required: true, schema: { type: 'string', enum: ['json', 'xml'] } }, ...['jurisdiction_id', 'service_request_id', 'service_code', 'status', 'start_date', 'end_date'].map((name) => ({ name, in: 'query', schema: { type: 'string' } }))],
    responses: { 200: { description: 'the requests' }, 400: { description: '[{ code, description }]' } },
  },
  'GET /open311/v2/requests/:requestId.:format': { summary: 'One Open311 service request (public, anonymised): its status and the responsible agency', tags: ['Open311'], parameters: [{ name: 'requestId', in: 'path', required: true, schema: { type: 'string' } }, { name: 'format', in: 'path', required: true, schema: { type: 'string', enum: ['json', 'xml'] } }], responses: { 200: { description: '[the request]' }, 404: { description: '[{ code, description }]' } } },
};

/** JSON Schema shorthands for the responses: an object with these fields always there, and these sometimes. */
const S = { type: 'string' } as const;
const N = { type: 'integer' } as const;
const B = { type: 'boolean' } as const;
const orderNoSchema = { type: 'string', pattern: '^GD\\d{14}$' } as const;
const obj = (required: Record<string, unknown>, optional: Record<string, unknown> = {}) => ({ type: 'object', required: Object.keys(required), properties: { ...required, ...optional } });
const list = (items: unknown) => ({ type: 'array', items });
const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** The response bodies, by name (components.schemas): what every 2xx JSON answer holds. */
const RESPONSE_SCHEMAS = {
  Accepted: obj({ orderNo: orderNoSchema, accepted: { const: true }, repeated: B }),
  OrderCreated: obj({ orderNo: orderNoSchema, status: S, link: S }, { mergedInto: orderNoSchema, mergedLink: S }),
  OrderSummary: obj({ orderNo: orderNoSchema, status: S }),
  OrderPage: obj({ orders: list(ref('OrderSummary')), next: nullable({ type: 'string' }) }),
  OrderSearchPage: obj({ orders: list(ref('OrderSummary')), next: nullable(obj({ before: S })) }),
  Order: obj({ orderNo: orderNoSchema, status: S, history: list({ type: 'object' }) }),
  PublicOrder: obj({ orderNo: orderNoSchema }),
  PublicOrderPage: obj({ orders: list(ref('PublicOrder')), next: nullable({ type: 'string' }) }),
  Me: obj({ keyId: S, name: S, role: S }, { unit: nullable({ type: 'string' }), adapter: nullable({ type: 'string' }) }),
  Catalog: obj({ categories: list({ type: 'object' }), categoryTree: list({ type: 'object' }), districts: list({ type: 'object' }), units: list(obj({ code: S, name: S })) }),
  RepeatCheck: obj({ repeatOf: nullable(ref('OrderSummary')) }),
  TaskPage: obj({ tasks: list(obj({ id: S, orderNo: orderNoSchema, kind: S, role: S, status: S })), next: nullable({ type: 'string' }) }),
  TaskDone: obj({ taskId: S, orderNo: orderNoSchema, done: { const: true } }),
  Published: obj({ orderNo: orderNoSchema, published: { const: true }, link: S }),
  Progress: obj({ orderNo: orderNoSchema, status: S, acceptedAt: S, evaluation: obj({ open: B }) }, { unit: nullable({ type: 'string' }), expectedBy: nullable({ type: 'string' }), closedAt: nullable({ type: 'string' }), answer: nullable({ type: 'string' }) }),
  OwnProgress: { oneOf: [ref('Progress'), obj({ orders: list(ref('Progress')) })] },
  CodeSent: obj({ accepted: B, message: S }),
  Digest: obj({ day: S, volume: obj({ today: N, usual: { type: 'number' } }), categories: list({ type: 'object' }), districts: list({ type: 'object' }), terms: list({ type: 'object' }), hardCases: list({ type: 'object' }), overdue: obj({ total: N }), unitsInTrouble: list({ type: 'object' }), text: S }),
  Digests: obj({ days: list(S), latest: nullable(ref('Digest')) }),
  Shift: obj({ id: S, startsAt: S, endsAt: S, leaderName: S, leaderEmail: S }, { leaderPhone: nullable({ type: 'string' }) }),
  Rota: obj({ from: S, to: S, shifts: list(ref('Shift')), onDuty: nullable(obj({ name: S, email: S })), fallback: S, gaps: list(obj({ from: S, to: S })) }),
  Circular: obj({ id: S, status: S, title: S, body: S, periodLabel: S, units: list(obj({ code: S, name: S })), orders: list(orderNoSchema), draftedBy: S }, { circularNo: nullable({ type: 'string' }) }),
  CircularPage: obj({ circulars: list(ref('Circular')), next: nullable(obj({ before: S })) }),
  Instruction: obj({ orderNo: orderNoSchema, instructionId: S, repeated: B }),
  SupervisionNotice: obj({ orderNo: orderNoSchema, noticeNo: S, subject: S, text: S, replyBy: S, repeated: B }),
  Assessment: obj({ by: S, period: obj({ kind: S, label: S, first: S, last: S, from: S, to: S }), method: obj({ name: S }), rows: list(obj({ key: S, name: S })), total: obj({ key: S, name: S }) }),
  Statistics: obj({ by: S, from: S, to: S, rows: list(obj({ key: S, name: S })), total: obj({ key: S, name: S }), now: { type: 'object' } }),
  KnowledgeEntry: obj({ id: S, title: S, body: S }),
  KnowledgeHits: obj({ entries: list(ref('KnowledgeEntry')) }),
  AuditPage: obj({ entries: list(obj({ action: S, at: S })) }),
  Trace: obj({ orderNo: orderNoSchema, entries: list({ type: 'object' }) }),
  Stuck: obj({ count: N, items: list(obj({ reason: S, message: S, text: S })) }),
  Retried: obj({ orderNo: orderNoSchema, retried: list({ type: 'object' }) }),
  Replayed: obj({ id: S, replayedTo: S }),
  Queued: obj({ id: S, queued: { const: true } }),
  Republished: obj({ id: S, republishedAs: nullable({ type: 'string' }) }),
  Cancelled: obj({ orderNo: orderNoSchema }),
  Merged: obj({ orderNo: orderNoSchema, into: orderNoSchema, unitsTold: list(S) }),
  Attachment: obj({ id: S, kind: S, name: S, addedBy: S, addedAt: S }),
  Attachments: obj({ orderNo: orderNoSchema, attachments: list(ref('Attachment')) }),
  Split: obj({ orderNo: orderNoSchema, from: orderNoSchema }),
  ModelVersion: obj({ id: S, name: S, source: S, deployedBy: S, deployedAt: S }),
  Models: obj({ models: list(ref('ModelVersion')) }),
  ModelHistory: obj({ name: S, version: ref('ModelVersion'), history: list(ref('ModelVersion')) }),
  Deployed: obj({ name: S, deployed: nullable(ref('ModelVersion')), changes: list(S) }),
  Keys: obj({ keys: list(obj({ id: S, name: S, role: S })) }),
  KeyMade: obj({ key: obj({ id: S, role: S }), token: S, note: S }),
  Alive: obj({ status: { const: 'alive' } }),
  Ready: obj({ status: { enum: ['ready', 'degraded', 'not ready'] }, checks: { type: 'object', additionalProperties: S } }),
} as const;

/** Which body each route's 2xx JSON answers carry. Routes not here answer text, CSV, HTML, XML or nothing. */
const RESPONDS: Partial<Record<RouteKey, keyof typeof RESPONSE_SCHEMAS | 'any'>> = {
  'GET /healthz': 'Alive',
  'GET /readyz': 'Ready',
  'GET /api/v1/openapi.json': 'any',
  'GET /api/v1/asyncapi.json': 'any',
  'GET /api/v1/me': 'Me',
  'GET /api/v1/catalog': 'Catalog',
  'POST /api/v1/orders': 'OrderCreated',
  'GET /api/v1/orders': 'OrderPage',
  'POST /api/v1/orders/repeat-check': 'RepeatCheck',
  'POST /api/v1/orders/search': 'OrderSearchPage',
  'GET /api/v1/orders/:orderNo': 'Order',
  'POST /api/v1/orders/:orderNo/acknowledge': 'Accepted',
  'POST /api/v1/orders/:orderNo/reply': 'Accepted',
  'POST /api/v1/orders/:orderNo/return': 'Accepted',
  'POST /api/v1/orders/:orderNo/extension': 'Accepted',
  'POST /api/v1/orders/:orderNo/sub-dispatch': 'Accepted',
  'POST /api/v1/orders/:orderNo/on-site': 'Accepted',
  'POST /api/v1/orders/:orderNo/progress': 'Accepted',
  'POST /api/v1/orders/:orderNo/assign': 'Accepted',
  'POST /api/v1/orders/:orderNo/callback': 'Accepted',
  'POST /api/v1/orders/:orderNo/publish': 'Published',
  'GET /public/v1/orders': 'PublicOrderPage',
  'GET /public/v1/orders/:orderNo': 'PublicOrder',
  'GET /api/v1/tasks': 'TaskPage',
  'POST /api/v1/tasks/:taskId/complete': 'TaskDone',
  'GET /api/v1/statistics': 'Statistics',
  'GET /api/v1/assessment': 'Assessment',
  'GET /api/v1/duty-rota': 'Rota',
  'GET /api/v1/digests': 'Digests',
  'GET /api/v1/digests/:day': 'Digest',
  'POST /public/v1/progress': 'OwnProgress',
  'POST /public/v1/progress/code': 'CodeSent',
  'POST /public/v1/evaluations': 'Progress',
  'POST /api/v1/duty-rota': 'Shift',
  'POST /api/v1/circulars': 'Circular',
  'GET /api/v1/circulars': 'CircularPage',
  'GET /api/v1/circulars/:circularId': 'Circular',
  'POST /api/v1/circulars/:circularId/edit': 'Circular',
  'POST /api/v1/circulars/:circularId/approve': 'Circular',
  'POST /api/v1/circulars/:circularId/discard': 'Circular',
  'POST /api/v1/orders/:orderNo/supervision-notice': 'SupervisionNotice',
  'POST /api/v1/orders/:orderNo/instructions': 'Instruction',
  'GET /api/v1/knowledge': 'KnowledgeHits',
  'POST /api/v1/knowledge': 'KnowledgeEntry',
  'GET /api/v1/knowledge/:entryId': 'KnowledgeEntry',
  'GET /api/v1/audit': 'AuditPage',
  'GET /api/v1/orders/:orderNo/trace': 'Trace',
  'GET /api/v1/stuck': 'Stuck',
  'POST /api/v1/orders/:orderNo/retry': 'Retried',
  'POST /api/v1/dead-letters/:id/replay': 'Replayed',
  'POST /api/v1/outbox/:id/replay': 'Queued',
  'POST /api/v1/outbox/:id/republish': 'Republished',
  'POST /api/v1/orders/:orderNo/cancel': 'Cancelled',
  'POST /api/v1/orders/:orderNo/merge': 'Merged',
  'POST /api/v1/orders/:orderNo/attachments': 'Attachment',
  'GET /api/v1/orders/:orderNo/attachments': 'Attachments',
  'POST /api/v1/orders/:orderNo/split': 'Split',
  'GET /api/v1/models': 'Models',
  'GET /api/v1/models/:name': 'ModelHistory',
  'POST /api/v1/models/:name': 'Deployed',
  'POST /api/v1/models/:name/rollback': 'Deployed',
  'GET /api/v1/keys': 'Keys',
  'POST /api/v1/keys': 'KeyMade',
};

/** The route's JSON answer body, as documented (undefined: it answers no JSON). */
export function responseSchemaOf(key: RouteKey): Record<string, unknown> | undefined {
  const name = RESPONDS[key];
  if (!name) return undefined;
  return name === 'any' ? { type: 'object' } : { $ref: `#/components/schemas/${name}` };
}

/** A stable operationId from the route: its method and path words, e.g. postApiV1OrdersOrderNoReply. */
export const operationIdOf = (key: RouteKey): string => {
  const [method, route] = key.split(' ') as [string, string];
  return `${method.toLowerCase()}${route.replace(/[^A-Za-z0-9]+([A-Za-z0-9])?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`;
};

const unauthorized = { description: 'no key, or a key that is unknown, expired or revoked', content: error.content };
const forbidden = { description: 'the key\'s role may not call this', content: error.content };
const limited = { description: 'too many requests with this key (Retry-After)', content: error.content };

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [key, access] of Object.entries(ACCESS) as Array<[RouteKey, (typeof ACCESS)[RouteKey]]>) {
    const [method, route] = key.split(' ') as [string, string];
    const openPath = route.replace(/:(\w+)/g, '{$1}');
    const op = { operationId: operationIdOf(key), ...OPERATIONS[key] } as unknown as { responses: Record<string, unknown> } & Record<string, unknown>;
    const body = responseSchemaOf(key);
    if (body) {
      op.responses = Object.fromEntries(
        Object.entries(op.responses).map(([code, r]) => [code, code.startsWith('2') && code !== '204' ? { ...(r as object), content: { 'application/json': { schema: body } } } : r]),
      );
    }
    if (access === 'public') op.security = [];
    else {
      op.security = [{ apiKey: [] }];
      op['x-roles'] = access;
      op.description = `角色 roles: ${access.map((r) => `${r}（${ROLE_NAMES[r]}）`).join(', ')}`;
      op.responses = { ...op.responses, 401: unauthorized, 403: forbidden, 429: limited };
    }
    (paths[openPath] ??= {})[method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: { title: '12345 hotline integration hub', version: '1.0.0' },
    security: [{ apiKey: [] }],
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'hub_<id>_<secret> (hub keys create)', description: 'An API key bound to one role (and, for units, one unit; for integrations, one adapter).' },
      },
      schemas: {
        ...RESPONSE_SCHEMAS,
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'text'],
              properties: {
                code: { type: 'string', enum: Object.keys(ERROR_TEXT), description: 'stable: programs branch on it' },
                message: { type: 'string', description: 'the detail, in English, for integrators' },
                text: { type: 'string', description: 'what the centre\'s staff are told, in Chinese (one sentence per code)' },
                details: {},
              },
            },
          },
        },
      },
    },
  };
}
