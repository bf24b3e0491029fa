/**
 * The canonical Kafka events for integrators not writing TypeScript (gateway/asyncapi.ts): the
 * AsyncAPI 3.0 document valid by AsyncAPI's own JSON Schema, every event type on exactly one
 * channel whose address is the topic the hub uses, and each event's JSON Schema accepting the
 * envelopes the hub makes and refusing a broken one. The events the hub really sends and reads on
 * Kafka are checked against it in test/scenario/integrations.int.test.ts.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { CHANNELS, envelope, eventPayloads, partnerTopics, unitTopics, type EventType } from '../../domain/events.js';
import { asyncApiDocument, eventSchema } from '../../gateway/asyncapi.js';
import { problems, validator } from '../support/json-schema.js';

const doc = asyncApiDocument('1.0.0') as { channels: Record<string, { address: string; messages: Record<string, { $ref: string }> }>; components: { messages: Record<string, { name: string }> } };
const types = Object.keys(eventPayloads) as EventType[];

describe('the AsyncAPI document', () => {
  it("passes AsyncAPI 3.0's own JSON Schema", () => {
    const spec = JSON.parse(fs.readFileSync(createRequire(import.meta.url).resolve('@asyncapi/specs/schemas/3.0.0-without-$id.json'), 'utf8')) as Record<string, unknown>;
    const ajv = validator();
    expect(problems(ajv.compile(spec), doc)).toEqual([]);
  });

  it('puts every event type on exactly one channel, each address the topic the hub writes or reads', () => {
    const onChannels = Object.values(CHANNELS).flatMap((c) => [...c.events]);
    expect([...onChannels].sort()).toEqual([...types].sort());
    expect(CHANNELS.unitDispatched.address.replace('{unit}', 'water-group')).toBe(unitTopics('water-group').dispatched);
    expect(CHANNELS.unitReplied.address.replace('{unit}', 'water-group')).toBe(unitTopics('water-group').replied);
    expect(CHANNELS.partnerHandover.address.replace('{partner}', 'police-110')).toBe(partnerTopics('police-110').handover);
    expect(CHANNELS.partnerEvents.address.replace('{partner}', 'police-110')).toBe(partnerTopics('police-110').events);
    expect(Object.values(doc.components.messages).map((m) => m.name).sort()).toEqual([...types].sort());
  });
});

describe("each event's JSON Schema", () => {
  const ajv = validator();
  const samples: { [T in EventType]: unknown } = {
    'order.dispatched': { unit: 'water-group', unitName: '水务集团', type: 'complaint', category: 'water-outage', district: 'hexi', title: '停水', description: '停水一天', address: '河西区友谊路1号', urgent: false, handlingMode: 'phone-dispatch', dueAt: '2026-12-09T09:00:00.000Z', acknowledgeBy: '2026-12-06T11:00:00.000Z', round: 1, citizen: { name: '张三', phone: null, confidential: true } },
    'order.cancelled': { unit: 'water-group', reason: '重复受理', cancelledAt: '2026-12-06T09:00:00.000Z' },
    'unit.replied': { unit: 'water-group', result: '已恢复供水', handledBy: '王工', repliedAt: '2026-12-06T09:00:00.000Z' },
    'unit.acknowledged': { unit: 'water-group', acknowledgedAt: '2026-12-06T09:00:00.000Z', ref: { system: 'digital-city', id: 'DC-1' } },
    'unit.progressed': { unit: 'water-group', note: '正在抢修', at: '2026-12-06T09:00:00.000Z' },
    'unit.returned': { unit: 'water-group', reason: '不属于本单位', returnedAt: '2026-12-06T09:00:00.000Z' },
    'unit.extension-requested': { unit: 'water-group', dueAt: '2026-12-20T09:00:00.000Z', reason: '需协调施工', requestedAt: '2026-12-06T09:00:00.000Z' },
    'emergency.handover': { partner: 'medical-120', partnerName: '120', kind: 'medical', category: 'gas-leak', summary: '有人晕倒', location: '和平区南京路1号', district: 'heping', callbackNumber: '13800138000', attempt: 1, ackBy: '2026-12-06T09:01:00.000Z' },
    'emergency.acknowledged': { partner: 'medical-120', incidentId: 'JJ120-1', acknowledgedAt: '2026-12-06T09:00:30.000Z' },
    'partner.transferred': { partner: 'police-110', incidentId: 'JJ110-1', item: 'noise', title: '噪声', description: '夜间施工', address: '河西区友谊路35号', caller: { phone: '13800138000' }, transferredAt: '2026-12-06T09:00:00.000Z' },
    'partner.transfer-answered': { partner: 'police-110', incidentId: 'JJ110-1', accepted: true },
    'partner.transfer-concluded': { partner: 'police-110', incidentId: 'JJ110-1', outcome: 'closed', result: '已协调施工单位停止夜间施工', unitName: '河西区人民政府', satisfaction: 'satisfied', concludedAt: '2026-12-08T09:00:00.000Z' },
    'emergency.concluded': { partner: 'fire-119', incidentId: 'JJ119-1', result: '燃气泄漏已处置，无人员伤亡', concludedAt: '2026-12-06T10:00:00.000Z' },
  };

  it.each(types)('%s: accepts the envelope the hub makes, refuses one without its payload\'s fields or of another type', (type) => {
    const validate = ajv.compile(eventSchema(type));
    const orderNo = type === 'partner.transferred' ? null : 'GD20261206000001';
    const made = envelope(type, orderNo as never, samples[type] as never, 'hub', { correlationId: 'c-1' });
    expect(problems(validate, JSON.parse(JSON.stringify(made)))).toEqual([]);
    expect(problems(validate, { ...made, payload: {} })).not.toEqual([]);
    expect(problems(validate, { ...made, type: 'other.event' })).not.toEqual([]);
    if (orderNo) expect(problems(validate, { ...made, orderNo: '12345' })).not.toEqual([]);
  });
});
