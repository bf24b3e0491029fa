/**
 * The canonical Kafka events as an AsyncAPI 3.0 document and a JSON Schema per event, generated
 * from their definitions (domain/events.ts: the envelope, each payload's schema, the channels), so
 * that a unit's or an emergency line's system written in any language reads and writes them without
 * the hub's code: served at /api/v1/asyncapi.json and /api/v1/events/{type}.schema.json. The
 * schemas are JSON Schema draft-07, AsyncAPI's default schema format. A test checks the events the
 * hub really sends and reads on Kafka against them.
 */
import { z } from 'zod';
import { CHANNELS, eventPayloads, ORDERLESS_EVENTS, type EventType } from '../domain/events.js';

const EVENT_TYPES = Object.keys(eventPayloads) as EventType[];

/** The JSON Schema of one event type's envelope, with its payload's schema inside. */
export function eventSchema(type: EventType): Record<string, unknown> {
  const { version, schema } = eventPayloads[type];
  const payload = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' }) as Record<string, unknown>;
  delete payload.$schema;
  const orderless = (ORDERLESS_EVENTS as readonly string[]).includes(type);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `${type}.v${version}`,
    title: `${type} v${version}`,
    type: 'object',
    required: ['id', 'type', 'version', 'orderNo', 'occurredAt', 'source', 'payload'],
    properties: {
      id: { type: 'string', format: 'uuid', description: 'the event id: receivers deduplicate on it (also the Kafka header event-id)' },
      type: { const: type },
      version: { const: version },
      orderNo: orderless ? { type: ['string', 'null'], pattern: '^GD\\d{14}$' } : { type: 'string', pattern: '^GD\\d{14}$', description: 'the 12345 order number; the Kafka key' },
      occurredAt: { type: 'string', format: 'date-time' },
      source: { type: 'string', minLength: 1, description: 'who wrote it: hub, or the adapter' },
      correlationId: { type: 'string', maxLength: 64 },
      payload,
    },
  };
}

const messageName = (type: EventType): string => type.replace(/[.-](\w)/g, (_m, c: string) => c.toUpperCase());

/** The AsyncAPI 3.0 document of every channel and event. */
export function asyncApiDocument(version: string): Record<string, unknown> {
  const messages = Object.fromEntries(
    EVENT_TYPES.map((type) => [
      messageName(type),
      {
        name: type,
        title: type,
        contentType: 'application/json',
        headers: {
          type: 'object',
          properties: {
            'event-id': { type: 'string', description: 'the envelope id' },
            'event-type': { type: 'string', const: type },
            'correlation-id': { type: 'string' },
            traceparent: { type: 'string', description: 'W3C trace context of the order' },
          },
        },
        payload: { $ref: `#/components/schemas/${messageName(type)}` },
        bindings: { kafka: { key: { type: 'string', description: 'the order number; for an event without one, the line and its incident id' } } },
      },
    ]),
  );
  const schemas = Object.fromEntries(EVENT_TYPES.map((type) => [messageName(type), eventSchema(type)]));
  const channels = Object.fromEntries(
    Object.entries(CHANNELS).map(([id, c]) => [
      id,
      {
        address: c.address,
        title: c.title,
        parameters: { [c.parameter]: { description: c.parameter === 'unit' ? "the unit's code in config/catalog.json (units)" : "the emergency line's code in config/catalog.json (partners)" } },
        messages: Object.fromEntries(c.events.map((type) => [messageName(type), { $ref: `#/components/messages/${messageName(type)}` }])),
      },
    ]),
  );
  // Operations as a legacy system sees them: it receives what the hub sends, and sends the rest.
  const operations = Object.fromEntries(
    Object.entries(CHANNELS).map(([id, c]) => [
      `${c.from === 'hub' ? 'receive' : 'send'}${id[0]!.toUpperCase()}${id.slice(1)}`,
      { action: c.from === 'hub' ? 'receive' : 'send', channel: { $ref: `#/channels/${id}` }, messages: c.events.map((type) => ({ $ref: `#/channels/${id}/messages/${messageName(type)}` })) },
    ]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: '12345 hotline hub: canonical events',
      version,
      description: 'The events the hub and the systems of units and emergency lines exchange over Kafka, each in the same envelope. A unit reads only its own topics (a Kafka ACL on the prefix hub.unit.<code>.). Receivers deduplicate on the envelope id.',
      license: { name: 'Apache-2.0', url: 'https://www.apache.org/licenses/LICENSE-2.0' },
    },
    defaultContentType: 'application/json',
    servers: { kafka: { host: 'KAFKA_BROKERS', protocol: 'kafka', description: "the centre's Kafka cluster (the hub's KAFKA_BROKERS setting)" } },
    channels,
    operations,
    components: { messages, schemas },
  };
}
