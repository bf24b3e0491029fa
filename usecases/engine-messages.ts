/**
 * The messages a use case hands to the process engine, through the outbox (channel "zeebe"), in
 * the same transaction as the change they announce. Names and correlation keys match the
 * message definitions in bpmn/work-order.bpmn.
 */
import { correlationKeys } from '../domain/order.js';
import type { OutboxMessage } from '../infra/db/orders.js';
import type { ZeebeMessagePayload } from '../infra/outbox/senders.js';

export const PROCESS_ID = 'work-order';
export const MESSAGES = { start: 'order-accepted', reply: 'unit-reply', callback: 'citizen-callback', assign: 'manual-dispatch' } as const;

/**
 * Replies and callbacks are buffered this long when the instance is not yet waiting (its job is
 * still completing); Zeebe refuses a repeat of the same messageId meanwhile. The round in the
 * correlation key keeps a late one from completing a later round.
 */
const BUFFER_TTL_MS = 3600_000;

function message(name: string, correlationKey: string, messageId: string, timeToLive: number, variables: Record<string, unknown>, start = false): OutboxMessage {
  // `start`: what starts an instance rather than reaching a waiting one (an engine without message buffering needs to know).
  const payload: ZeebeMessagePayload = { name, correlationKey, messageId, timeToLive, variables, ...(start ? { start: true } : {}) };
  return { channel: 'zeebe', destination: name, messageKey: correlationKey, payload, dedupKey: `zeebe:${messageId}` };
}

/**
 * Starts the order's process instance (message start event). Zeebe creates no second instance
 * for a correlation key while one is active; with no buffering (TTL 0), a repeat after the
 * instance ended is refused by classify-order, which records the first instance only.
 */
export const startMessage = (o: { orderNo: string; correlationId: string; category: string; district: string; urgent: boolean; complainedUnit: string | null }): OutboxMessage =>
  message(MESSAGES.start, correlationKeys.start(o.correlationId), `start:${o.correlationId}`, 0, {
    orderNo: o.orderNo,
    correlationId: o.correlationId,
    category: o.category,
    district: o.district,
    urgent: o.urgent,
    complainedUnit: o.complainedUnit,
    redoCount: 0,
  }, true);

export const replyMessage = (correlationId: string, redoCount: number, replyId: string, reply: Record<string, unknown>): OutboxMessage =>
  message(MESSAGES.reply, correlationKeys.reply(correlationId, redoCount), `reply:${replyId}`, BUFFER_TTL_MS, { reply });

export const callbackMessage = (correlationId: string, redoCount: number, callbackId: string, satisfaction: string): OutboxMessage =>
  message(MESSAGES.callback, correlationKeys.callback(correlationId, redoCount), `callback:${callbackId}`, BUFFER_TTL_MS, { satisfaction });

/** 人工派单: the dispatcher's choice, for the instance waiting in "wait-manual-dispatch". */
export const assignMessage = (correlationId: string, assignId: string, dispatch: Record<string, unknown>): OutboxMessage =>
  message(MESSAGES.assign, correlationKeys.assign(correlationId), `assign:${assignId}`, BUFFER_TTL_MS, { dispatch, needsDispatcher: false });
