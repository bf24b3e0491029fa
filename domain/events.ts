/**
 * Canonical events, defined once: the envelope and each event's payload schema, validated at
 * runtime (zod) and typed at compile time. Gateway, workers and adapters import them from here;
 * an adapter declares which event types and versions it speaks in its manifest.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/**
 * Topics. Each unit system has two topics of its own, so that it reads only its own orders and a
 * Kafka ACL on the prefix `hub.unit.<unit code>.` gives it exactly those (DOMAIN.md §5):
 * - hub.unit.<code>.order-dispatched.v1: hub → the unit's system, orders dispatched to it, keyed
 *   by order number;
 * - hub.unit.<code>.unit-replied.v1: the unit's system → hub, its replies; a reply that claims
 *   another unit is dead-lettered.
 */
export const TOPICS = {
  /** Whatever the hub could not parse or apply: the reason and where it came from, never the message itself. */
  deadLetter: 'hub.dead-letter.v1',
} as const;

export const unitTopics = (unit: string): { dispatched: string; replied: string } => ({
  dispatched: `hub.unit.${unit}.order-dispatched.v1`,
  replied: `hub.unit.${unit}.unit-replied.v1`,
});

/**
 * An emergency line's two topics (110/119/120/122, catalog `partners`): hand-overs to it, and what
 * it sends back (acknowledgements of hand-overs).
 */
export const partnerTopics = (partner: string): { handover: string; events: string } => ({
  handover: `hub.partner.${partner}.handover.v1`,
  events: `hub.partner.${partner}.events.v1`,
});

/**
 * The Kafka channels and the events each carries, as the AsyncAPI document publishes them
 * (gateway/asyncapi.ts): who writes them, and the topic each address stands for. A unit test keeps
 * every event type on exactly one channel and each address equal to unitTopics/partnerTopics.
 */
export const CHANNELS = {
  unitDispatched: { address: 'hub.unit.{unit}.order-dispatched.v1', parameter: 'unit', from: 'hub', events: ['order.dispatched', 'order.cancelled'], title: "派单: orders dispatched to a unit, and those the centre cancelled; read by the unit's system" },
  unitReplied: { address: 'hub.unit.{unit}.unit-replied.v1', parameter: 'unit', from: 'unit', events: ['unit.replied', 'unit.acknowledged', 'unit.progressed', 'unit.returned', 'unit.extension-requested'], title: "单位答复: what a unit's system sends the hub about its orders" },
  partnerHandover: { address: 'hub.partner.{partner}.handover.v1', parameter: 'partner', from: 'hub', events: ['emergency.handover', 'partner.transfer-answered', 'partner.transfer-concluded'], title: '紧急移交: hand-overs to an emergency line, and the answers to its transfers and how they ended' },
  partnerEvents: { address: 'hub.partner.{partner}.events.v1', parameter: 'partner', from: 'partner', events: ['emergency.acknowledged', 'emergency.concluded', 'partner.transferred'], title: "联动单位: an emergency line's acknowledgements, the results of what it took, and its transfers to 12345" },
} as const;

/** The partner whose events topic this is, or null. */
export const partnerOfEventsTopic = (topic: string): string | null => /^hub\.partner\.([a-z0-9-]+)\.events\.v1$/.exec(topic)?.[1] ?? null;

/** The unit whose reply topic this is, or null for any other topic. */
export const unitOfReplyTopic = (topic: string): string | null => /^hub\.unit\.([a-z0-9-]+)\.unit-replied\.v1$/.exec(topic)?.[1] ?? null;

const orderNo = z.string().regex(/^GD\d{14}$/, 'an order number such as GD20261125000001');
const isoInstant = z.iso.datetime({ offset: true });

export const orderDispatchedV1 = z.object({
  unit: z.string(),
  unitName: z.string(),
  type: z.string(),
  category: z.string(),
  district: z.string(),
  title: z.string(),
  description: z.string(),
  address: z.string(),
  urgent: z.boolean(),
  handlingMode: z.string(),
  dueAt: isoInstant,
  /** 签收: the unit is chased when it has not acknowledged by then (added within v1: optional). */
  acknowledgeBy: isoInstant.optional(),
  round: z.number().int().min(1),
  citizen: z.object({ name: z.string(), phone: z.string().nullable(), confidential: z.boolean() }),
});

/**
 * The legacy system's own id for the order (a digital city management case id, a 110 incident
 * id): kept on the order, so that an operator finds the order by either. Optional in every event a
 * unit's system sends.
 */
export const externalRef = z.object({ system: z.string().regex(/^[a-z0-9-]{2,40}$/, 'an adapter name'), id: z.string().min(1).max(100) });

/**
 * 撤单: the hotline ended an order the unit holds (a test call, a duplicate, an instance beyond
 * repair), with the reason: the unit stops working on it. Sent on the unit's dispatched topic.
 */
export const orderCancelledV1 = z.object({ unit: z.string(), reason: z.string().min(1).max(500), cancelledAt: isoInstant });

/**
 * Photos and documents a unit's system links to its step (数字城管's 处置 and 结案 photos): kept on
 * the order as links, the unit's own, and never fetched by the hub. At most nine, http(s) only.
 */
export const mediaLinks = z
  .array(z.object({ url: z.url({ protocol: /^https?$/ }).max(500), name: z.string().min(1).max(100).optional() }))
  .max(9)
  .optional();

export const unitRepliedV1 = z.object({
  unit: z.string(),
  result: z.string().min(1).max(4000),
  handledBy: z.string().min(1).max(100),
  repliedAt: isoInstant,
  ref: externalRef.optional(),
  media: mediaLinks,
});

/** 签收: the unit (or its system: 立案) has taken the order on. */
export const unitAcknowledgedV1 = z.object({ unit: z.string(), acknowledgedAt: isoInstant, ref: externalRef.optional() });

/** A step inside the unit's system that the hub only records (派遣, 处置, 核查; a case number given). */
export const unitProgressedV1 = z.object({ unit: z.string(), note: z.string().min(1).max(1000), at: isoInstant, ref: externalRef.optional(), media: mediaLinks });

/** 退单: not the unit's matter, with the reason. */
export const unitReturnedV1 = z.object({ unit: z.string(), reason: z.string().min(2).max(500), returnedAt: isoInstant, ref: externalRef.optional() });

/** 延期: the unit asks for a later deadline. */
export const unitExtensionRequestedV1 = z.object({ unit: z.string(), dueAt: isoInstant, reason: z.string().min(2).max(500), requestedAt: isoInstant, ref: externalRef.optional() });

/**
 * 紧急移交: an emergency found at intake, handed to its emergency line with what it needs at once:
 * where, the caller's number to call back, what happened; and by when it must acknowledge.
 */
export const emergencyHandoverV1 = z.object({
  partner: z.string(),
  partnerName: z.string(),
  kind: z.string(),
  category: z.string(),
  summary: z.string().min(1).max(4000),
  location: z.string().min(1).max(300),
  district: z.string(),
  callbackNumber: z.string(),
  attempt: z.number().int().min(1),
  ackBy: isoInstant,
});

/** The emergency line took the hand-over: its incident id (接警编号). */
export const emergencyAcknowledgedV1 = z.object({ partner: z.string(), incidentId: z.string().min(1).max(100), acknowledgedAt: isoInstant, by: z.string().max(100).optional() });

/**
 * 紧急联动 to the end: what the emergency line did with a matter 12345 handed over (its 处警结果),
 * after it acknowledged; the hub records it in the order's history.
 */
export const emergencyConcludedV1 = z.object({ partner: z.string(), incidentId: z.string().min(1).max(100), result: z.string().min(1).max(2000), concludedAt: isoInstant, by: z.string().max(100).optional() });

/**
 * 110转12345: a matter an emergency line took that is not its own (a non-emergency on its transfer
 * list, or one a three-way call gave to 12345). It comes before there is an order: the hub makes
 * one of it once, whatever number of times the line sends it (the line's incident id is the key).
 * `item` is the line's transfer-list item (bpmn/transfer-in.dmn decides whether 12345 takes it).
 */
export const partnerTransferredV1 = z.object({
  partner: z.string(),
  incidentId: z.string().min(1).max(100),
  item: z.string().min(1).max(32),
  itemName: z.string().max(100).optional(),
  /** 三方通话: when the line was unsure, what the call agreed (hotline-takes / partner-keeps). */
  threeWayCall: z.enum(['hotline-takes', 'partner-keeps']).optional(),
  title: z.string().min(1).max(200),
  description: z.string().min(1).max(4000),
  address: z.string().min(1).max(300),
  district: z.string().optional(),
  caller: z.object({ name: z.string().max(100).optional(), phone: z.string().min(3).max(32) }),
  transferredAt: isoInstant,
  by: z.string().max(100).optional(),
});

/** The hub's answer to a transfer: the 12345 order made of it, or why 12345 does not take it. */
export const partnerTransferAnsweredV1 = z.object({
  partner: z.string(),
  incidentId: z.string().min(1).max(100),
  accepted: z.boolean(),
  reason: z.string().max(500).optional(),
});

/** How 12345 ended a matter the line transferred: the order's close (the unit's answer, the citizen's verdict) or its cancellation. */
export const partnerTransferConcludedV1 = z.object({
  partner: z.string(),
  incidentId: z.string().min(1).max(100),
  outcome: z.enum(['closed', 'cancelled']),
  /** The unit's answer as the order closed, or the operator's reason for cancelling. */
  result: z.string().max(4000),
  unitName: z.string().max(100).nullable(),
  satisfaction: z.string().nullable(),
  concludedAt: isoInstant,
});

export const eventPayloads = {
  'order.dispatched': { version: 1, schema: orderDispatchedV1 },
  'order.cancelled': { version: 1, schema: orderCancelledV1 },
  'unit.replied': { version: 1, schema: unitRepliedV1 },
  'unit.acknowledged': { version: 1, schema: unitAcknowledgedV1 },
  'unit.progressed': { version: 1, schema: unitProgressedV1 },
  'unit.returned': { version: 1, schema: unitReturnedV1 },
  'unit.extension-requested': { version: 1, schema: unitExtensionRequestedV1 },
  'emergency.handover': { version: 1, schema: emergencyHandoverV1 },
  'emergency.acknowledged': { version: 1, schema: emergencyAcknowledgedV1 },
  'emergency.concluded': { version: 1, schema: emergencyConcludedV1 },
  'partner.transferred': { version: 1, schema: partnerTransferredV1 },
  'partner.transfer-answered': { version: 1, schema: partnerTransferAnsweredV1 },
  'partner.transfer-concluded': { version: 1, schema: partnerTransferConcludedV1 },
} as const;

/**
 * Events that may come without an order number: a transfer in comes before its order, and the
 * answer to a declined one has none. Kafka's key is then the line and its incident id.
 */
export const ORDERLESS_EVENTS = ['partner.transferred', 'partner.transfer-answered'] as const;
export type OrderlessEventType = (typeof ORDERLESS_EVENTS)[number];
const orderless = (t: string): boolean => (ORDERLESS_EVENTS as readonly string[]).includes(t);

/** What a unit's system sends the hub, on its own topic (hub.unit.<code>.unit-replied.v1). */
export const UNIT_EVENTS = ['unit.replied', 'unit.acknowledged', 'unit.progressed', 'unit.returned', 'unit.extension-requested'] as const;
export type UnitEventType = (typeof UNIT_EVENTS)[number];
export type EventType = keyof typeof eventPayloads;
export type EventPayload<T extends EventType> = z.output<(typeof eventPayloads)[T]['schema']>;

export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.enum(Object.keys(eventPayloads) as [EventType, ...EventType[]]),
  version: z.number().int().min(1),
  orderNo: orderNo.nullable(),
  occurredAt: isoInstant,
  source: z.string().min(1),
  /** The order's correlation id, carried from intake through the hub to the legacy call and its logs. */
  correlationId: z.string().max(64).optional(),
  payload: z.unknown(),
}).refine((e) => e.orderNo !== null || orderless(e.type), { message: 'orderNo: an order number is required for this event type', path: ['orderNo'] });

/** One event type's envelope; `Envelope` alone is the union of all, told apart by `type`. */
export type Envelope<T extends EventType = EventType> = T extends EventType ? EnvelopeOf<T> : never;

export interface EnvelopeOf<T extends EventType> {
  id: string;
  type: T;
  version: number;
  /** null only for ORDERLESS_EVENTS. */
  orderNo: T extends OrderlessEventType ? string | null : string;
  occurredAt: string;
  source: string;
  correlationId?: string;
  payload: EventPayload<T>;
}

/**
 * A new event. `id` is given when the event stands for a message of a legacy system: derived from
 * that message's own id (adapters/kit/ids.ts), so that the system sending it twice makes one event.
 */
export function envelope<T extends EventType>(
  type: T,
  orderNo: EnvelopeOf<T>['orderNo'],
  payload: EventPayload<T>,
  source: string,
  opts: { occurredAt?: Date; correlationId?: string; id?: string } = {},
): Envelope<T> {
  return {
    id: opts.id ?? randomUUID(),
    type,
    version: eventPayloads[type].version,
    orderNo,
    occurredAt: (opts.occurredAt ?? new Date()).toISOString(),
    source,
    ...(opts.correlationId ? { correlationId: opts.correlationId } : {}),
    payload: eventPayloads[type].schema.parse(payload) as EventPayload<T>,
  } as Envelope<T>;
}

/** Kafka's key: the order number (one order's events in order), else the line and its incident. */
export function messageKeyOf(e: Envelope): string {
  if (e.orderNo !== null) return e.orderNo;
  const p = e.payload as { partner: string; incidentId: string };
  return `${p.partner}:${p.incidentId}`;
}

export class EventParseError extends Error {
  readonly code = 'EVENT_INVALID';
  readonly retriable = false;
}

/** Parses and validates a raw message into a typed envelope, or says exactly what is wrong. */
export function parseEnvelope(raw: string | Buffer | null): Envelope {
  if (raw === null) throw new EventParseError('empty message (no value)');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString());
  } catch (err) {
    // JSON.parse quotes the text around the fault; the reason must not carry the message's content.
    const at = /position (\d+)/.exec((err as Error).message)?.[1];
    throw new EventParseError(`not JSON${at ? ` (syntax error at position ${at})` : ''}`);
  }
  const env = envelopeSchema.safeParse(json);
  if (!env.success) throw new EventParseError(`bad envelope: ${z.prettifyError(env.error)}`);
  const spec = eventPayloads[env.data.type];
  if (env.data.version !== spec.version) {
    throw new EventParseError(`${env.data.type} version ${env.data.version} is not spoken here (only ${spec.version})`);
  }
  const payload = spec.schema.safeParse(env.data.payload);
  if (!payload.success) throw new EventParseError(`bad ${env.data.type} payload: ${z.prettifyError(payload.error)}`);
  return { ...env.data, payload: payload.data } as Envelope;
}
