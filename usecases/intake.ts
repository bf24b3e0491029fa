/**
 * Intake and the messages the process waits for: shared by the gateway (HTTP) and the adapters
 * (Kafka), so that an order or a reply means the same whichever way it came.
 */
import type { OrderStore, NewOrder } from '../infra/db/orders.js';
import type { WorkOrderRow } from '../infra/db/entities.js';
import type { ZeebeClient } from '../infra/engine/zeebe-client.js';
import { STEP_NOTES } from '../domain/text.js';

export const PROCESS_ID = 'work-order';
/** Buffered this long when the instance is not yet waiting; Zeebe also deduplicates by messageId meanwhile. */
const MESSAGE_TTL_MS = 24 * 3600_000;

export interface IntakeDeps {
  store: OrderStore;
  zeebe: ZeebeClient;
}

/**
 * Registers the order and starts its process. A repeated request (same Idempotency-Key) returns
 * the first order and starts no second process; an order whose start failed earlier is started now.
 */
export async function acceptOrder(deps: IntakeDeps, input: NewOrder, idempotencyKey: string | undefined, actor: string): Promise<{ order: WorkOrderRow; created: boolean }> {
  const { order, created } = await deps.store.register(input, idempotencyKey, actor);
  if (order.processInstanceKey) return { order, created };
  const instance = await deps.zeebe.createProcessInstance({
    bpmnProcessId: PROCESS_ID,
    variables: { orderNo: order.orderNo!, category: order.category, district: order.district, urgent: order.urgent, redoCount: 0 },
  });
  await deps.store.applyStep(
    order.orderNo!,
    { step: 'process-started', actor: 'hub', note: '流程已启动', detail: { processInstanceKey: instance.processInstanceKey }, dedupKey: `process-started:${order.orderNo}` },
    { processInstanceKey: String(instance.processInstanceKey) },
  );
  return { order: { ...order, processInstanceKey: String(instance.processInstanceKey) }, created };
}

export interface UnitReply {
  /** The reply's own id (message id or a generated one): a repeat is applied once. */
  id: string;
  unit: string;
  unitName: string;
  result: string;
  handledBy: string;
  repliedAt: string;
}

/** Records the unit's reply (反馈) and hands it to the waiting process instance. */
export async function submitReply(deps: IntakeDeps, orderNo: string, reply: UnitReply, actor: string): Promise<void> {
  await deps.store.applyStep(orderNo, { step: 'reply', actor, note: STEP_NOTES.reply(reply.unitName), detail: reply, dedupKey: `reply:${reply.id}` }, { status: 'replied' });
  await deps.zeebe.publishMessage({
    name: 'unit-reply',
    correlationKey: orderNo,
    messageId: `reply:${reply.id}`,
    timeToLive: MESSAGE_TTL_MS,
    variables: { reply: { id: reply.id, unit: reply.unit, result: reply.result, handledBy: reply.handledBy, repliedAt: reply.repliedAt } },
  });
}

export type Satisfaction = 'satisfied' | 'basically-satisfied' | 'unsatisfied';

/** Records the callback's result (回访) and hands it to the waiting process instance. */
export async function submitCallback(deps: IntakeDeps, orderNo: string, callbackId: string, satisfaction: Satisfaction, note: string, actor: string): Promise<void> {
  await deps.store.applyStep(orderNo, { step: 'callback', actor, note: STEP_NOTES.callback(satisfaction), detail: { satisfaction, note }, dedupKey: `callback:${callbackId}` }, { satisfaction });
  await deps.zeebe.publishMessage({
    name: 'citizen-callback',
    correlationKey: orderNo,
    messageId: `callback:${callbackId}`,
    timeToLive: MESSAGE_TTL_MS,
    variables: { satisfaction },
  });
}
