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

export const unitRepliedV1 = z.object({
  unit: z.string(),
  result: z.string().min(1).max(4000),
  handledBy: z.string().min(1).max(100),
  repliedAt: isoInstant,
});

export const eventPayloads = {
  'order.dispatched': { version: 1, schema: orderDispatchedV1 },
  'unit.replied': { version: 1, schema: unitRepliedV1 },
} as const;
export type EventType = keyof typeof eventPayloads;
export type EventPayload<T extends EventType> = z.output<(typeof eventPayloads)[T]['schema']>;

export const envelopeSchema = z.object({
  id: z.uuid(),
  type: z.enum(Object.keys(eventPayloads) as [EventType, ...EventType[]]),
  version: z.number().int().min(1),
  orderNo,
  occurredAt: isoInstant,
  source: z.string().min(1),
  payload: z.unknown(),
});

export interface Envelope<T extends EventType = EventType> {
  id: string;
  type: T;
  version: number;
  orderNo: string;
  occurredAt: string;
  source: string;
  payload: EventPayload<T>;
}

export function envelope<T extends EventType>(
  type: T,
  orderNo: string,
  payload: EventPayload<T>,
  source: string,
  occurredAt = new Date(),
): Envelope<T> {
  return {
    id: randomUUID(),
    type,
    version: eventPayloads[type].version,
    orderNo,
    occurredAt: occurredAt.toISOString(),
    source,
    payload: eventPayloads[type].schema.parse(payload) as EventPayload<T>,
  };
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
