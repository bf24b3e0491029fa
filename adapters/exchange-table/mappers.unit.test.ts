/** The exchange-table mappers on rows as unit systems really write them, the ugly ones included. */
import { describe, expect, it } from 'vitest';
import { envelope, parseEnvelope, type Envelope } from '../../domain/events.js';
import { MappingError } from '../kit/types.js';
import { fromAnswerRow, toOrderRow } from './mappers.js';
import type { AnswerRow } from './protocol.js';
import { settingsSchema } from './settings.js';

const s = settingsSchema.parse({ DATABASE_URL: 'mysql://hub@127.0.0.1:3306/unit_exchange' });
const row = (r: Partial<AnswerRow>) => ({
  body: Buffer.from(JSON.stringify({ ID: 7, FKBH: 'FK0001', GDBH: 'GD20261126000001', FKLX: '3', FKNR: '已更换燃气表阀门', FKR: '张师傅', FKSJ: '2026-11-26 20:35:10', YQSJ: null, ...r })),
  receivedAt: new Date('2026-11-26T13:00:00Z'),
});

const dispatched = (confidential: boolean): Envelope =>
  envelope('order.dispatched', 'GD20261126000001', {
    unit: 'gas-group', unitName: '市燃气集团', type: 'help', category: 'gas-fault', district: 'hexi', title: '燃气表漏气', description: '厨房燃气表有异味', address: confidential ? '河西区（具体地址已隐去）' : '河西区友谊路1号',
    urgent: false, handlingMode: 'phone-dispatch', dueAt: '2026-11-30T10:00:00.000Z', round: 2, citizen: { name: confidential ? '' : '李四', phone: confidential ? null : '13900139000', confidential },
  }, 'hub', { occurredAt: new Date('2026-11-26T12:30:00Z') });

describe('exchange table: order → GD_XF row', () => {
  it('writes the order with China times, its round, and the event id as SJID (a repeat writes nothing)', () => {
    const e = dispatched(false);
    expect(toOrderRow(e, s)).toEqual({
      kind: 'call', idempotent: true,
      call: { SJID: e.id, GDBH: 'GD20261126000001', LC: 2, BT: '燃气表漏气', NR: '厨房燃气表有异味', DZ: '河西区友谊路1号', LXR: '李四', LXDH: '13900139000', BLSX: '2026-11-30 18:00:00', XFSJ: '2026-11-26 20:30:00' },
    });
  });

  it('writes no contact for a confidential citizen', () => {
    const out = toOrderRow(dispatched(true), s);
    expect(out.kind === 'call' && out.call).toMatchObject({ LXR: null, LXDH: null });
  });
});

describe('exchange table: GD_FK row → canonical event', () => {
  it.each([
    ['1', 'unit.acknowledged'],
    ['2', 'unit.progressed'],
    ['3', 'unit.replied'],
    ['4', 'unit.returned'],
  ])('maps FKLX %s to %s', (FKLX, type) => {
    const [e] = fromAnswerRow(row({ FKLX }), s);
    expect(e).toMatchObject({ type, orderNo: 'GD20261126000001', source: 'exchange-table' });
    expect(() => parseEnvelope(JSON.stringify(e))).not.toThrow();
  });

  it('maps an extension request with the date asked for, read as China time', () => {
    const [e] = fromAnswerRow(row({ FKLX: '5', FKNR: '需更换主管道，申请延期', YQSJ: '2026-12-05 18:00:00' }), s);
    expect(e).toMatchObject({ type: 'unit.extension-requested', payload: { dueAt: '2026-12-05T10:00:00.000Z', reason: '需更换主管道，申请延期' } });
  });

  it('reads FKSJ as China time, and takes the time it was read when FKSJ is empty or zero', () => {
    expect(fromAnswerRow(row({}), s)[0]!.payload).toMatchObject({ repliedAt: '2026-11-26T12:35:10.000Z', handledBy: '张师傅' });
    for (const FKSJ of [null, '0000-00-00 00:00:00', '']) expect(fromAnswerRow(row({ FKSJ }), s)[0]!.payload).toMatchObject({ repliedAt: '2026-11-26T13:00:00.000Z' });
  });

  it('trims the padding of CHAR columns', () => {
    expect(fromAnswerRow(row({ FKLX: '3 ', GDBH: 'GD20261126000001  ', FKBH: ' FK0001 ' }), s)[0]!.orderNo).toBe('GD20261126000001');
  });

  it('makes one event of one FKBH, whatever row it is in: a unit system that writes an answer twice is applied once', () => {
    expect(fromAnswerRow(row({ ID: 8 }), s)[0]!.id).toBe(fromAnswerRow(row({ ID: 9 }), s)[0]!.id);
    expect(fromAnswerRow(row({ FKBH: 'FK0002' }), s)[0]!.id).not.toBe(fromAnswerRow(row({}), s)[0]!.id);
  });

  it.each([
    ['no FKBH', { FKBH: null }, /no FKBH/],
    ['a blank FKBH', { FKBH: '  ' }, /no FKBH/],
    ['no order number', { GDBH: null }, /is not a hub order number/],
    ['an unknown FKLX', { FKLX: '9' }, /FKLX "9" is none of/],
    ['a 办结 without its result', { FKNR: null }, /办结 needs FKNR/],
    ['a 退回 without its reason', { FKLX: '4', FKNR: ' ' }, /退回 needs FKNR/],
    ['a 延期申请 without its date', { FKLX: '5', YQSJ: null }, /延期申请 needs YQSJ/],
  ])('refuses a row with %s, saying which row and why', (_what, r, reason) => {
    expect(() => fromAnswerRow(row(r), s)).toThrow(MappingError);
    expect(() => fromAnswerRow(row(r), s)).toThrow(reason);
  });
});
