/**
 * The messages a use case hands to the process engine, through the outbox (channel "engine"), in
 * the same transaction as the change they announce. Names and correlation keys match the
 * message definitions in bpmn/work-order.bpmn, bpmn/handle-order.bpmn and bpmn/street-handling.bpmn.
 */
import { correlationKeys, MESSAGES } from '../domain/order.js';
import type { EngineMessagePayload, OutboxMessage, WorkOrderRow } from './ports.js';

export const PROCESS_ID = 'work-order';

/**
 * Messages are buffered this long when the instance is not yet waiting (its job is still
 * completing); Zeebe refuses a repeat of the same messageId meanwhile. The dispatch or round in
 * the correlation key keeps a late one from completing a later wait.
 */
const BUFFER_TTL_MS = 3600_000;

function message(name: string, correlationKey: string, messageId: string, timeToLive: number, variables: Record<string, unknown>, flags: Pick<EngineMessagePayload, 'start' | 'expendable'> = {}): OutboxMessage {
  const payload: EngineMessagePayload = { name, correlationKey, messageId, timeToLive, variables, ...flags };
  return { channel: 'engine', destination: name, messageKey: correlationKey, payload, dedupKey: `engine:${messageId}` };
}

/** What bpmn/dispatch.dmn decides on: the order's own fields, as the start message gives them to the process. */
export const dispatchInputs = (o: Pick<WorkOrderRow, 'type' | 'category' | 'district' | 'urgent' | 'knowledgeEntryId'>) => ({
  type: o.type,
  category: o.category,
  district: o.district,
  urgent: o.urgent,
  // The call-taker answered from the knowledge base: the dispatch DMN makes it answer-now.
  answeredFromKnowledge: o.knowledgeEntryId !== null,
});

/** What the emergency list reads of a request: its title and description, or a confidential one's summary for units; at most 500 characters. */
const requestText = (o: { title?: string; description?: string; citizenConfidential?: boolean; unitSummary?: string | null }): string =>
  (o.citizenConfidential ? `${o.title ?? ''} ${o.unitSummary ?? ''}` : `${o.title ?? ''} ${o.description ?? ''}`).trim().slice(0, 500);

/**
 * Starts the order's process instance (message start event). Zeebe creates no second instance
 * for a correlation key while one is active; with no buffering (TTL 0), a repeat after the
 * instance ended is refused by classify-order, which records the first instance only.
 */
export const startMessage = (o: { orderNo: string; correlationId: string; type: string; category: string; district: string; urgent: boolean; complainedUnit: string | null; knowledgeEntryId: string | null; emergencyKind?: string | null; threeWayCall?: string | null; title?: string; description?: string; citizenConfidential?: boolean; unitSummary?: string | null }): OutboxMessage =>
  message(
    MESSAGES.start,
    correlationKeys.start(o.correlationId),
    `start:${o.correlationId}`,
    0,
    {
      orderNo: o.orderNo,
      correlationId: o.correlationId,
      ...dispatchInputs(o),
      complainedUnit: o.complainedUnit,
      // 紧急联动: bpmn/emergency-transfer.dmn decides on these first, and on the request's words
      // (its 12345→110 list): never a confidential caller's own words, the call-taker's summary.
      emergency: o.emergencyKind ?? null,
      threeWayCall: o.threeWayCall ?? null,
      requestText: requestText(o),
      redoCount: 0,
      // The intake's trace goes with it: the engine's sender adds the row's traceparent (infra/engine/port.ts).
    },
    { start: true },
  );

/**
 * 抽查不合格: a closed order starts again at work-order's second message start event, as a redo to
 * the unit that answered (redo-order claims the new instance). One start per failed check: a
 * repeat finds the instance claimed and ends (DUPLICATE_INSTANCE).
 */
export const reopenMessage = (
  o: Pick<WorkOrderRow, 'orderNo' | 'correlationId' | 'type' | 'category' | 'district' | 'urgent' | 'knowledgeEntryId' | 'complainedUnit' | 'redoCount'>,
  checkId: string,
  dispatch: { mode: string; unit: string; workingDays: number; minutes: null },
): OutboxMessage =>
  message(
    MESSAGES.reopen,
    correlationKeys.reopen(o.correlationId, checkId),
    `reopen:${o.correlationId}:${checkId}`,
    0,
    { orderNo: o.orderNo, correlationId: o.correlationId, ...dispatchInputs(o), complainedUnit: o.complainedUnit, emergency: null, threeWayCall: null, redoCount: o.redoCount, reopened: true, ...dispatchVariables(dispatch) },
    { start: true },
  );

/**
 * 拆分: a merged call, split off by the centre, starts an instance of its own from the start, under
 * a key of its own (an order merged by hand may have had an instance before, whose start key and
 * Camunda 7 business key are taken).
 */
export const splitStartMessage = (o: Parameters<typeof startMessage>[0], splitId: string): OutboxMessage => {
  const m = startMessage(o);
  const key = correlationKeys.split(o.correlationId, splitId);
  const payload = { ...(m.payload as EngineMessagePayload), correlationKey: key, messageId: `start:${key}` };
  return { ...m, messageKey: key, payload, dedupKey: `engine:start:${key}` };
};

/** What the handle-order process needs of a dispatch the rules did not make: the decision and its mode. */
const dispatchVariables = (dispatch: { mode: string } & Record<string, unknown>) => ({ dispatch, handlingMode: dispatch.mode });

// A unit's answers to one dispatch (wait-unit-response in handle-order).

export const replyMessage = (correlationId: string, dispatchSeq: number, replyId: string, reply: Record<string, unknown>): OutboxMessage =>
  message(MESSAGES.unitResponse, correlationKeys.unit(correlationId, dispatchSeq), `reply:${replyId}`, BUFFER_TTL_MS, { unitResponse: { kind: 'reply' }, reply });

/** 退单: with the order's returns so far (this one included) for hard-case.dmn, and no supervisor's flag. */
export const returnMessage = (correlationId: string, dispatchSeq: number, returnId: string, reason: string, returnCount: number): OutboxMessage =>
  message(MESSAGES.unitResponse, correlationKeys.unit(correlationId, dispatchSeq), `return:${returnId}`, BUFFER_TTL_MS, { unitResponse: { kind: 'return', reason }, returnCount, flagged: false });

/** 延期申请: asking for more time is also an acknowledgement. */
export const extensionRequestMessage = (correlationId: string, dispatchSeq: number, requestId: string): OutboxMessage =>
  message(MESSAGES.unitResponse, correlationKeys.unit(correlationId, dispatchSeq), `extension:${requestId}`, BUFFER_TTL_MS, { unitResponse: { kind: 'extension' }, acknowledged: true });

/** 签收: only stops the acknowledge timer (the order row is the record), so it is dropped when nothing waits. */
export const acknowledgeMessage = (correlationId: string, dispatchSeq: number, ackId: string): OutboxMessage =>
  message(MESSAGES.acknowledge, correlationKeys.acknowledge(correlationId, dispatchSeq), `ack:${ackId}`, BUFFER_TTL_MS, { acknowledged: true }, { expendable: true });

// 三级: a district sends the order on to one of its streets and reviews the street's answers (street-handling).

export const subDispatchedMessage = (correlationId: string, dispatchSeq: number, id: string, subDispatch: { unit: string; dueAt: string }): OutboxMessage =>
  message(MESSAGES.subDispatched, correlationKeys.subDispatch(correlationId, dispatchSeq), `sub-dispatch:${id}`, BUFFER_TTL_MS, { subDispatch });

export const streetReplyMessage = (correlationId: string, dispatchSeq: number, replyId: string): OutboxMessage =>
  message(MESSAGES.streetReply, correlationKeys.streetReply(correlationId, dispatchSeq), `street-reply:${replyId}`, BUFFER_TTL_MS, { streetReplied: true });

/** Approved, the street's answer goes up as the district's reply: the same variables as a unit's own reply. */
export const streetReviewedMessage = (correlationId: string, dispatchSeq: number, taskId: string, review: { approved: boolean; reason: string }, reply?: Record<string, unknown>): OutboxMessage =>
  message(MESSAGES.streetReviewed, correlationKeys.streetReview(correlationId, dispatchSeq), `street-reviewed:${taskId}`, BUFFER_TTL_MS, {
    streetReview: review,
    ...(review.approved ? { unitResponse: { kind: 'reply' }, reply } : {}),
  });

/** 协办: a helper unit's answer ends its wait (co-handling in handle-order). */
export const helperReplyMessage = (correlationId: string, dispatchSeq: number, unit: string, replyId: string): OutboxMessage =>
  message(MESSAGES.helperReply, correlationKeys.helper(correlationId, unit, dispatchSeq), `helper-reply:${replyId}`, BUFFER_TTL_MS, {});

/** 紧急件: on site (it stops the on-site timer), and each progress report (it restarts the report timer). */
export const onSiteMessage = (correlationId: string, dispatchSeq: number, id: string): OutboxMessage =>
  message(MESSAGES.onSite, correlationKeys.onSite(correlationId, dispatchSeq), `on-site:${id}`, BUFFER_TTL_MS, {});

export const progressMessage = (correlationId: string, dispatchSeq: number, id: string): OutboxMessage =>
  message(MESSAGES.progress, correlationKeys.progress(correlationId, dispatchSeq), `progress:${id}`, BUFFER_TTL_MS, {});

// The centre's decisions (human tasks).

export const extensionDecidedMessage = (correlationId: string, dispatchSeq: number, taskId: string, extension: { approved: boolean; dueAt: string | null }): OutboxMessage =>
  message(MESSAGES.extensionDecided, correlationKeys.extension(correlationId, dispatchSeq), `extension-decided:${taskId}`, BUFFER_TTL_MS, { extension });

/** 改派: to a named unit, by the rules again, or a dispute for a supervisor's review. */
export const redispatchMessage = (
  correlationId: string,
  dispatchSeq: number,
  taskId: string,
  decision: { action: 'unit'; dispatch: { mode: string } & Record<string, unknown> } | { action: 'rules' | 'dispute' },
): OutboxMessage =>
  message(MESSAGES.redispatch, correlationKeys.redispatch(correlationId, dispatchSeq), `redispatch:${taskId}`, BUFFER_TTL_MS, {
    redispatch: { action: decision.action },
    ...(decision.action === 'unit' ? dispatchVariables(decision.dispatch) : {}),
  });

/** 退单审核: the unit named (the one that returned it, or another), or — flagged — a hard case for a consultation. */
export const returnReviewedMessage = (correlationId: string, dispatchSeq: number, taskId: string, dispatch: ({ mode: string } & Record<string, unknown>) | 'consult'): OutboxMessage =>
  message(MESSAGES.returnReviewed, correlationKeys.returnReview(correlationId, dispatchSeq), `return-reviewed:${taskId}`, BUFFER_TTL_MS, dispatch === 'consult' ? { flagged: true } : { ...dispatchVariables(dispatch), flagged: false });

/** 会诊决定: the lead unit and the longer deadline the consultation decided. */
export const consultationDecidedMessage = (correlationId: string, dispatchSeq: number, taskId: string, dispatch: { mode: string } & Record<string, unknown>): OutboxMessage =>
  message(MESSAGES.consultationDecided, correlationKeys.consultation(correlationId, dispatchSeq), `consultation-decided:${taskId}`, BUFFER_TTL_MS, dispatchVariables(dispatch));

/** 答复审核: a person's review of the unit's answer. */
export const replyReviewedMessage = (correlationId: string, dispatchSeq: number, taskId: string, review: { approved: boolean; reason: string }): OutboxMessage =>
  message(MESSAGES.replyReviewed, correlationKeys.review(correlationId, dispatchSeq), `reply-reviewed:${taskId}`, BUFFER_TTL_MS, { review });

/** 协调办理: the outcome a supervisor recorded. */
export const coordinationRecordedMessage = (correlationId: string, taskId: string, outcome: string): OutboxMessage =>
  message(MESSAGES.coordinationRecorded, correlationKeys.coordination(correlationId), `coordination-recorded:${taskId}`, BUFFER_TTL_MS, { coordination: { outcome } });

export const callbackMessage = (correlationId: string, redoCount: number, callbackId: string, satisfaction: string): OutboxMessage =>
  message(MESSAGES.callback, correlationKeys.callback(correlationId, redoCount), `callback:${callbackId}`, BUFFER_TTL_MS, { satisfaction });

/** 人工派单: the dispatcher's choice, for the instance waiting in "wait-manual-dispatch". */
export const assignMessage = (correlationId: string, assignId: string, dispatch: { mode: string } & Record<string, unknown>): OutboxMessage =>
  message(MESSAGES.assign, correlationKeys.assign(correlationId), `assign:${assignId}`, BUFFER_TTL_MS, { ...dispatchVariables(dispatch), needsDispatcher: false });

/** 紧急移交: the emergency line acknowledged (wait-partner-ack in bpmn/emergency-handover.bpmn). */
export const partnerAcknowledgedMessage = (correlationId: string, ackId: string, ack: { partner: string; incidentId: string }): OutboxMessage =>
  message(MESSAGES.partnerAcknowledged, correlationKeys.handover(correlationId), `partner-ack:${ackId}`, BUFFER_TTL_MS, { partnerAck: ack });
