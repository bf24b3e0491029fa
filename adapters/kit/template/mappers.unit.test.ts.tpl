/** __NAME__'s mappers on real-looking messages; add the system's ugly ones (charset, missing fields, time zones, repeats). */
import { describe, expect, it } from 'vitest';
import { envelope, parseEnvelope } from '../../domain/events.js';
import { MappingError } from '../kit/types.js';
import { fromNotice, toCall } from './mappers.js';
import { settingsSchema } from './settings.js';

const s = settingsSchema.parse({ URL: 'http://127.0.0.1:9', CALLBACK_PORT: '9', CALLBACK_TOKEN: 't'.repeat(16) });
const msg = (n: object) => ({ body: Buffer.from(JSON.stringify(n)), receivedAt: new Date('2026-11-26T12:00:00Z') });

describe('__NAME__ mappers', () => {
  it('sends a dispatched order with the event id as its request id', () => {
    const e = envelope('order.dispatched', 'GD20261126000001', {
      unit: '__UNIT__', unitName: '测试单位', type: 'help', category: '__CATEGORY__', district: 'heping', title: '测试', description: '测试内容', address: '和平区测试路1号',
      urgent: false, handlingMode: 'phone-dispatch', dueAt: '2026-11-30T10:00:00.000Z', round: 1, citizen: { name: '张三', phone: null, confidential: false },
    }, 'hub');
    const out = toCall(e, s);
    expect(out).toMatchObject({ kind: 'call', idempotent: true, call: { requestId: e.id, orderNo: 'GD20261126000001' } });
  });

  it.each([
    ['ack', 'unit.acknowledged'],
    ['progress', 'unit.progressed'],
    ['done', 'unit.replied'],
    ['return', 'unit.returned'],
  ])('maps %s to %s', (kind, type) => {
    const [e] = fromNotice(msg({ messageId: 'M1', ticketId: 'T1', orderNo: 'GD20261126000001', kind, text: '处理说明' }), s);
    expect(e!.type).toBe(type);
    expect(() => parseEnvelope(JSON.stringify(e))).not.toThrow();
  });

  it('makes one event of one message id, however often it comes', () => {
    const n = { messageId: 'M1', ticketId: 'T1', orderNo: 'GD20261126000001', kind: 'ack' };
    expect(fromNotice(msg(n), s)[0]!.id).toBe(fromNotice(msg(n), s)[0]!.id);
  });

  it.each([
    ['no message id', { ticketId: 'T1', orderNo: 'GD20261126000001', kind: 'ack' }],
    ['no order number', { messageId: 'M1', ticketId: 'T1', kind: 'ack' }],
    ['an unknown kind', { messageId: 'M1', ticketId: 'T1', orderNo: 'GD20261126000001', kind: 'eaten' }],
  ])('refuses a message with %s', (_what, n) => {
    expect(() => fromNotice(msg(n), s)).toThrow(MappingError);
  });
});
