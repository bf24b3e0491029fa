/**
 * The hub's reading of what units' systems send back, one topic per unit
 * (hub.unit.<code>.unit-replied.v1): replies, acknowledgements, returns, extension requests and
 * notes, whether a unit's system writes them itself or an adapter (adapters/kit) writes them for
 * it. An event counts only for the unit whose topic it came on (Kafka's ACLs let only that unit's
 * system write there): one that claims another unit is refused. Each is applied once: its event id
 * goes into the inbox in the same transaction as its effect. A legacy id it carries (a case number)
 * is kept on the order.
 *
 * An emergency line's topic carries its acknowledgements of hand-overs and its transfers to 12345
 * (usecases/transfer-in.ts: the transfer list decides, the line is told).
 *
 * Out of order is expected of legacy systems: an acknowledgement that comes after the order moved
 * on is noted and dropped, not refused. A message the hub cannot parse, or that the unit's rules
 * refuse, is dead-lettered at once; any other error that is not retriable after a bounded number
 * of tries. A retriable failure (database or broker down) is retried from the uncommitted offset,
 * keeping the order of the partition.
 */
import { unitMaySee } from '../domain/access.js';
import { safeName } from '../domain/attachments.js';
import type { RepeatPolicy } from '../domain/repeats.js';
import type { Consumer, Kafka, Producer } from 'kafkajs';
import { findUnit, type Catalog } from '../domain/catalog.js';
import { EventParseError, parseEnvelope, partnerOfEventsTopic, partnerTopics, UNIT_EVENTS, unitOfReplyTopic, unitTopics, type Envelope, type EventPayload, type UnitEventType } from '../domain/events.js';
import { acknowledgeHandover, recordPartnerConclusion } from '../usecases/emergency.js';
import { takeTransfer } from '../usecases/transfer-in.js';
import type { Decide } from '../infra/engine/job-contract.js';
import type { TrailRecorder } from '../infra/db/trail.js';
import type { AttachmentStore } from '../infra/db/attachments.js';
import type { DeadLetterStore } from '../infra/db/dead-letters.js';
import type { InboxEntry, OrderStore } from '../infra/db/orders.js';
import { describeError, HubError, isRetriable } from '../infra/errors.js';
import { CONSUMER_MAX_WAIT_MS, runConsumer } from '../infra/kafka.js';
import type { Logger } from '../infra/log.js';
import { submitReply } from '../usecases/submit-reply.js';
import { acknowledgeOrder, recordUnitNote, requestExtension, returnOrder, type UnitActor } from '../usecases/unit-actions.js';
import { deadLetter } from '../adapters/kit/dead-letter.js';
import { contextOf, inSpan, kafkaMessaging, markError, SpanKind } from '../infra/tracing.js';

export interface InboundDeps {
  kafka: Kafka;
  /** For dead letters. */
  producer: Pick<Producer, 'send'>;
  catalog: Catalog;
  store: OrderStore;
  deadLetters: DeadLetterStore;
  log: Logger;
  now: () => Date;
  groupId: string;
  /** KAFKA_SESSION_TIMEOUT_MS: how long a dead hub's membership holds the group's partitions. */
  sessionTimeoutMs: number;
  /** The engine's evaluation of a decision on its own (the transfer list). */
  decide: Decide;
  /** 重复件: a transfer repeating an open order's matter is merged into it (MERGE_WINDOW_HOURS). */
  repeats?: RepeatPolicy;
  /** The order trail: each event read, with what came of it. */
  trail?: TrailRecorder;
  /** An SMS gateway is configured: a transferred-in order's citizen gets the receipt by SMS too. */
  sms?: boolean;
  /** Tries of a message whose error is neither retriable nor a refusal, before it is dead-lettered. */
  maxTries?: number;
  /** 附件: where a unit's system's photo links are kept (none: they are not kept). */
  attachments?: Pick<AttachmentStore, 'addLink'>;
}

/** A link's file name as its path says, decoded when it can be (a stray "%" is kept as written, not an error after the step committed). */
const fileNameOf = (url: string): string => {
  const path = new URL(url).pathname;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
};

/**
 * The photos a unit's system linked to a step it took (or had taken before: an event read again
 * adds what a crash left out), kept as the unit's links on the order; a stale step keeps none.
 */
async function keepMedia(d: Pick<InboundDeps, 'attachments'>, orderNo: string, p: { unit: string; media?: Array<{ url: string; name?: string }> }, replyId: string | undefined, outcome: Outcome): Promise<Outcome> {
  if (outcome === 'stale' || !p.media?.length || !d.attachments) return outcome;
  for (const m of p.media) {
    await d.attachments.addLink({ orderNo, name: safeName(m.name ?? fileNameOf(m.url), 'image/jpeg'), url: m.url, addedBy: `unit:${p.unit}`, unitCode: p.unit, ...(replyId ? { replyId } : {}) });
  }
  return outcome;
}

/** The history's actor of a unit's event: the unit, and the operator who mended it if one did (更正; the column holds 100). */
export const unitActor = (unit: string, correctedBy?: string): string => (correctedBy ? `unit:${unit}（${correctedBy} 更正）`.slice(0, 100) : `unit:${unit}`);

class Misplaced extends HubError {
  constructor(message: string) {
    super('EVENT_MISPLACED', message, false);
  }
}

type Outcome = 'accepted' | 'duplicate' | 'stale';

async function apply(env: Envelope, d: InboundDeps, topic: string, correctedBy?: string): Promise<{ outcome: Outcome; orderNo: string | null }> {
  const outcome = await applyEvent(env, d, topic, correctedBy);
  return typeof outcome === 'string' ? { outcome, orderNo: env.orderNo } : outcome;
}

/**
 * What one event does (the translator between Kafka and the use cases), exported for its unit test.
 * `correctedBy`: the operator who mended this message from a dead letter (its dlq-corrected-by
 * header); the order's history then names them beside the unit whose event it stands for.
 */
export async function applyEvent(env: Envelope, d: Pick<InboundDeps, 'store' | 'catalog' | 'decide' | 'now' | 'repeats' | 'sms' | 'log' | 'attachments'>, topic: string, correctedBy?: string): Promise<Outcome | { outcome: Outcome; orderNo: string | null }> {
  const partner = partnerOfEventsTopic(topic);
  if (partner !== null) {
    if (env.type === 'partner.transferred') {
      if (env.payload.partner !== partner) throw new Misplaced(`a transfer on ${partner}'s topic claims to come from ${env.payload.partner}`);
      const t = await takeTransfer(d, env, env.payload);
      d.log.info({ partner, incidentId: env.payload.incidentId, item: env.payload.item, outcome: t.outcome, orderNo: t.orderNo }, 'transfer from an emergency line decided');
      return { outcome: t.outcome === 'duplicate' ? 'duplicate' : 'accepted', orderNo: t.orderNo };
    }
    if (env.type === 'emergency.concluded') {
      const c = env.payload;
      if (c.partner !== partner) throw new Misplaced(`a result on ${partner}'s topic claims to come from ${c.partner}`);
      if (env.orderNo === null) throw new Misplaced('a result without an order number');
      return recordPartnerConclusion(d, env.orderNo, { id: env.id, partner, incidentId: c.incidentId, result: c.result, concludedAt: new Date(c.concludedAt), by: c.by }, { messageId: env.id, source: topic });
    }
    if (env.type !== 'emergency.acknowledged') throw new Misplaced(`${env.type} does not belong on ${topic}`);
    const ack = env.payload;
    if (ack.partner !== partner) throw new Misplaced(`an acknowledgement on ${partner}'s topic claims to come from ${ack.partner}`);
    return acknowledgeHandover(d, env.orderNo, { id: env.id, partner, incidentId: ack.incidentId, by: ack.by }, { messageId: env.id, source: topic });
  }
  if (!(UNIT_EVENTS as readonly string[]).includes(env.type)) throw new Misplaced(`${env.type} does not belong on ${topic}`);
  const type = env.type as UnitEventType;
  const p = env.payload as EventPayload<UnitEventType>;
  const orderNo = env.orderNo;
  if (orderNo === null) throw new Misplaced(`${env.type} without an order number`);
  const topicUnit = unitOfReplyTopic(topic);
  if (p.unit !== topicUnit) throw new Misplaced(`an event on ${topicUnit ?? topic}'s topic claims to come from ${p.unit}; a unit writes on its own topic only`);
  const order = await d.store.find(orderNo);
  if (!order) throw new Misplaced(`order ${orderNo} does not exist`);
  // Only a unit the order is with may tie its own case to it: checked before anything is written.
  if (!unitMaySee(p.unit, order)) throw new Misplaced(`order ${orderNo} is not with ${p.unit}: its event is not applied and its ${p.ref ? `${p.ref.system} id is not linked` : 'content is kept here'}`);
  const unitName = findUnit(d.catalog, p.unit)?.name ?? p.unit;
  const who: UnitActor = { id: env.id, unit: p.unit, unitName, actor: unitActor(p.unit, correctedBy) };
  // The unit's case id is tied to the order in the step's own transaction: with the step, or not at all.
  const inbox: InboxEntry = { messageId: env.id, source: topic, ...(p.ref ? { link: p.ref } : {}) };
  switch (type) {
    case 'unit.replied': {
      const r = p as EventPayload<'unit.replied'>;
      return keepMedia(d, orderNo, r, env.id, await submitReply(d, orderNo, { id: env.id, unit: r.unit, unitName, result: r.result, handledBy: r.handledBy, repliedAt: r.repliedAt }, who.actor, inbox));
    }
    case 'unit.acknowledged':
      // Came after the reply, or after someone acknowledged on the web: nothing left to acknowledge.
      if (order.unitCode === p.unit && order.status !== 'dispatched') return 'stale';
      return acknowledgeOrder(d, orderNo, who, inbox);
    case 'unit.progressed':
      return keepMedia(d, orderNo, p, undefined, await recordUnitNote(d, orderNo, who, (p as EventPayload<'unit.progressed'>).note, inbox));
    case 'unit.returned':
      return returnOrder(d, orderNo, who, (p as EventPayload<'unit.returned'>).reason, inbox);
    case 'unit.extension-requested': {
      const x = p as EventPayload<'unit.extension-requested'>;
      return requestExtension(d, orderNo, who, { dueAt: new Date(x.dueAt), reason: x.reason }, inbox);
    }
  }
}

export async function startInbound(d: InboundDeps): Promise<{ close: () => Promise<void> }> {
  const maxTries = d.maxTries ?? 3;
  const tries = new Map<string, number>();
  const consumer: Consumer = d.kafka.consumer({ groupId: d.groupId, maxWaitTimeInMs: CONSUMER_MAX_WAIT_MS, sessionTimeout: d.sessionTimeoutMs, heartbeatInterval: Math.max(1000, Math.floor(d.sessionTimeoutMs / 10)) });
  await consumer.connect();
  // Every unit's topic; a unit added to the catalog is read after the next start.
  await consumer.subscribe({ topics: [...d.catalog.units.map((u) => unitTopics(u.code).replied), ...d.catalog.partners.map((p) => partnerTopics(p.code).events)], fromBeginning: true });
  const running = await runConsumer(consumer, {
    eachMessage: ({ topic, partition, message }) => inSpan(`process ${topic}`, { kind: SpanKind.CONSUMER, parent: contextOf(message.headers?.traceparent?.toString()), attributes: { ...kafkaMessaging('process', topic, { group: d.groupId, partition, offset: message.offset }), 'hub.consumer': 'inbound' } }, async (span) => {
      const where = { topic, partition, offset: message.offset };
      const at = `${topic}/${partition}/${message.offset}`;
      try {
        const env = parseEnvelope(message.value);
        span.setAttributes({ 'hub.event.type': env.type, 'hub.event.id': env.id });
        const correctedBy = message.headers?.['dlq-corrected'] ? message.headers['dlq-corrected-by']?.toString() : undefined;
        const { outcome, orderNo } = await apply(env, d, topic, correctedBy);
        span.setAttributes({ 'hub.order_no': orderNo ?? '', 'hub.outcome': outcome });
        tries.delete(at);
        d.log.info({ ...where, eventId: env.id, type: env.type, orderNo, source: env.source, outcome }, 'unit event consumed');
        d.trail?.record({ orderNo, kind: 'kafka-in', component: 'hub-inbound', detail: { ...where, eventId: env.id, type: env.type, source: env.source, outcome } });
      } catch (err) {
        if (isRetriable(err)) {
          d.log.warn({ ...where, err }, 'unit event not applied yet (a dependency is down); it will be tried again');
          throw err;
        }
        const refused = err instanceof EventParseError || err instanceof HubError;
        const n = (tries.get(at) ?? 0) + 1;
        if (!refused && n < maxTries) {
          tries.set(at, n);
          d.log.error({ ...where, err, tries: n }, 'unit event failed; trying again before dead-lettering it');
          throw err;
        }
        tries.delete(at);
        markError(span, describeError(err));
        await deadLetter({ deadLetters: d.deadLetters, producer: d.producer, log: d.log }, 'hub', { topic, partition, message }, refused ? describeError(err) : `failed ${n} times: ${describeError(err)}`);
      }
    }),
  }, d.log);
  return {
    close: async () => {
      running.stop();
      await consumer.disconnect();
    },
  };
}
