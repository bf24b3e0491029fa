/**
 * 紧急移交: hands the order to the emergency line bpmn/emergency-transfer.dmn named, with the
 * location and the caller's number to call back, through the outbox (Kafka, the line's handover
 * topic: the emergency-linkage adapter takes it on). Sets the instant by which the line must
 * acknowledge (ackDueAt: the DMN's ackSeconds after now), which the model's timer waits for. Each
 * attempt is its own step: a retried job finds its step and returns the same instant.
 */
import { z } from 'zod';
import { findPartner } from '../domain/catalog.js';
import { envelope, partnerTopics } from '../domain/events.js';
import { STEP_NOTES } from '../domain/text.js';
import { defineWorker } from '../infra/engine/job-contract.js';

export default defineWorker({
  variables: z.object({
    orderNo: z.string(),
    emergency: z.string().nullish(),
    /** `item`: the 12345→110 list's item when the request's words, not the call-taker, made it an emergency. */
    emergencyTransfer: z.object({ partner: z.string(), ackSeconds: z.number().positive(), item: z.string().nullish() }),
    handoverAttempt: z.number().int().min(0).nullish(),
  }),
  outputs: z.object({ ackDueAt: z.iso.datetime(), handoverAttempt: z.number().int().min(1) }),
  create: ({ store, catalog, now }) => async ({ orderNo, emergency, emergencyTransfer, handoverAttempt }, job) => {
    const partner = findPartner(catalog, emergencyTransfer.partner);
    if (!partner) throw new Error(`bpmn/emergency-transfer.dmn names the emergency line "${emergencyTransfer.partner}", which config/catalog.json does not list under partners; correct one of them, then retry the incident`);
    const attempt = (handoverAttempt ?? 0) + 1;
    const dedupKey = job.stepKey(`hand-over:${attempt}`);
    const done = await store.historyEntry(dedupKey);
    if (done) return { ackDueAt: (JSON.parse(done.detail ?? '{}') as { ackBy: string }).ackBy, handoverAttempt: attempt };
    const order = await store.find(orderNo);
    if (!order) throw new Error(`order ${orderNo} does not exist`);
    const ackBy = new Date(now().getTime() + emergencyTransfer.ackSeconds * 1000).toISOString();
    const event = envelope(
      'emergency.handover',
      orderNo,
      // Found by the list's words: the kind is the line's (fire-119 → fire).
      { partner: partner.code, partnerName: partner.name, kind: emergency ?? (emergencyTransfer.item ? partner.code.split('-')[0]! : 'unclear'), category: order.category, summary: order.description, location: order.address, district: order.district, callbackNumber: order.citizenPhone, attempt, ackBy },
      'hub',
      { correlationId: order.correlationId },
    );
    await store.applyStep(
      orderNo,
      { step: 'hand-over', actor: 'hub', note: STEP_NOTES.handOver(partner.name, attempt, emergencyTransfer.item), detail: { partner: partner.code, attempt, ackBy, item: emergencyTransfer.item ?? null }, dedupKey },
      { partnerCode: partner.code },
      [{ channel: 'kafka', destination: partnerTopics(partner.code).handover, messageKey: orderNo, payload: event, dedupKey: `${dedupKey}:kafka` }],
      { transition: 'handOver' },
    );
    return { ackDueAt: ackBy, handoverAttempt: attempt };
  },
});
