/** The digital city management mappers, table-tested on real-looking messages, the ugly ones included. */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { envelope, parseEnvelope, type Envelope } from '../../domain/events.js';
import { MappingError } from '../kit/types.js';
import { fromNotice, fromReportAnswer, readReportAnswer, toCaseReport } from './mappers.js';
import { noticeXml, parseSystemTime } from './protocol.js';
import { settingsSchema } from './settings.js';

const s = settingsSchema.parse({ URL: 'http://127.0.0.1:9', CALLBACK_PORT: '9', CALLBACK_TOKEN: 't'.repeat(16) });

const dispatched = (category: string): Envelope =>
  envelope('order.dispatched', 'GD20261126000001', {
    unit: 'city-management', unitName: '市城市管理委员会', type: 'help', category, district: 'heping', title: '井盖缺失', description: '南京路井盖缺失，夜间危险', address: '和平区南京路1号',
    urgent: false, handlingMode: 'phone-dispatch', dueAt: '2026-11-30T10:00:00.000Z', round: 1, citizen: { name: '张三', phone: '13800138000', confidential: false },
  }, 'hub', { occurredAt: new Date('2026-11-26T12:30:00Z'), correlationId: 'c-1' });

const notice = (fields: Record<string, string | undefined>, encoding: 'gbk' | 'utf8' = 'gbk'): { body: Buffer; receivedAt: Date } => {
  const n = { NoticeId: 'N00000001', CaseId: 'SZCG20261126000001', SourceNo: 'GD20261126000001', Stage: '立案', Dept: '和平区城管委', OperateTime: '2026-11-26 20:35:10', ...fields };
  if (encoding === 'gbk') return { body: noticeXml(n as never), receivedAt: new Date('2026-11-26T13:00:00Z') };
  const xml = `<?xml version="1.0" encoding="UTF-8"?><CaseNotice>${Object.entries(n).filter(([, v]) => v !== undefined).map(([k, v]) => `<${k}>${v}</${k}>`).join('')}</CaseNotice>`;
  return { body: Buffer.from(xml, 'utf8'), receivedAt: new Date('2026-11-26T13:00:00Z') };
};

describe('digital city management: order → case report', () => {
  it.each([
    ['manhole-cover', 1, '01', '01', '上水井盖'],
    ['illegal-ad', 2, '02', '01', '非法小广告'],
    ['road-damage', 2, '04', '07', '道路破损'],
  ])('sends %s as type %i, codes %s/%s (%s), by the table the city edits', (category, type, main, sub, name) => {
    const out = toCaseReport(dispatched(category), s);
    expect(out.kind).toBe('call');
    if (out.kind !== 'call') return;
    expect(out.idempotent).toBe(true);
    expect(out.call).toMatchObject({ EventType: type, MainTypeCode: main, SubTypeCode: sub, TypeName: name, SourceNo: 'GD20261126000001', Address: '和平区南京路1号' });
  });

  it('writes times as the system does: China local time, no zone', () => {
    const out = toCaseReport(dispatched('manhole-cover'), s);
    expect(out.kind === 'call' && out.call).toMatchObject({ ReportTime: '2026-11-26 20:30:00', DueTime: '2026-11-30 18:00:00' });
  });

  it('uses the event id as the report\'s RequestId, so that the system makes one case however often it is sent', () => {
    const e = dispatched('manhole-cover');
    const out = toCaseReport(e, s);
    expect(out.kind === 'call' && out.call.RequestId).toBe(e.id);
  });

  it('refuses a category the table lacks, saying where to add it', () => {
    expect(() => toCaseReport(dispatched('noise'), s)).toThrow(MappingError);
    expect(() => toCaseReport(dispatched('noise'), s)).toThrow(/noise has no 部件\/事件 code in config\/digital-city-codes.yaml/);
  });

  it('keeps the case id the system gave on the order, as a note carrying it', () => {
    const e = dispatched('manhole-cover');
    const [note] = fromReportAnswer({ caseId: 'SZCG20261126000009' }, e, s);
    expect(note).toMatchObject({ type: 'unit.progressed', orderNo: e.orderNo, correlationId: 'c-1', payload: { unit: 'city-management', ref: { system: 'digital-city', id: 'SZCG20261126000009' } } });
    expect(fromReportAnswer({ caseId: 'SZCG20261126000009' }, e, s)[0]!.id, 'the same answer twice is one event').toBe(note!.id);
  });

  it.each([
    ['<Response><ResultCode>0</ResultCode><CaseId>SZCG1</CaseId></Response>', { ok: true, caseId: 'SZCG1' }],
    ['<Response><ResultCode>9</ResultCode><Message>系统繁忙</Message></Response>', { ok: false, busy: true }],
    ['<Response><ResultCode>1</ResultCode><Message>参数错误</Message></Response>', { ok: false, busy: false }],
    ['<Response><ResultCode>0</ResultCode></Response>', { ok: false, busy: false }],
  ])('reads the answer %s', (xml, expected) => {
    expect(readReportAnswer(xml)).toMatchObject(expected);
  });
});

describe('digital city management: notice → canonical event', () => {
  it.each([
    ['立案', 'unit.acknowledged'],
    ['派遣', 'unit.progressed'],
    ['处置', 'unit.progressed'],
    ['核查', 'unit.progressed'],
    ['结案', 'unit.replied'],
    ['作废', 'unit.returned'],
  ])('maps stage %s (sent in GBK) to %s, with the case id', (Stage, type) => {
    const [e] = fromNotice(notice({ Stage, Opinion: '已现场处置，井盖已更换' }), s);
    expect(e!.type).toBe(type);
    expect(e!.orderNo).toBe('GD20261126000001');
    expect((e!.payload as { ref: unknown }).ref).toEqual({ system: 'digital-city', id: 'SZCG20261126000001' });
    expect(() => parseEnvelope(JSON.stringify(e))).not.toThrow();
  });

  it('reads GBK Chinese text as written', () => {
    const [e] = fromNotice(notice({ Stage: '结案', Opinion: '已现场处置，井盖已更换' }), s);
    expect(e!.payload).toMatchObject({ result: '已现场处置，井盖已更换', handledBy: '和平区城管委' });
  });

  it('reads a notice whose declaration says GB2312, and one in UTF-8', () => {
    const gb = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="GB2312"?>'), iconv.encode('<CaseNotice><NoticeId>N9</NoticeId><CaseId>C9</CaseId><SourceNo>GD20261126000001</SourceNo><Stage>处置</Stage><Opinion>清理完毕</Opinion></CaseNotice>', 'gbk')]);
    expect((fromNotice({ body: gb, receivedAt: new Date() }, s)[0]!.payload as { note: string }).note).toContain('清理完毕');
    expect(fromNotice(notice({ Stage: '处置' }, 'utf8'), s)[0]!.type).toBe('unit.progressed');
  });

  it.each([
    ['2026-11-26 20:35:10', '2026-11-26T12:35:10.000Z'],
    ['2026/11/26 20:35', '2026-11-26T12:35:00.000Z'],
    ['2026-11-26T12:35:10Z', '2026-11-26T12:35:10.000Z'],
    ['2026-11-26 20:35:10+0800', '2026-11-26T12:35:10.000Z'],
  ])('takes the time %s as %s (no zone is China time)', (text, iso) => {
    expect(parseSystemTime(text)?.toISOString()).toBe(iso);
    const [e] = fromNotice(notice({ Stage: '立案', OperateTime: text }), s);
    expect((e!.payload as { acknowledgedAt: string }).acknowledgedAt).toBe(iso);
  });

  it('uses the time it arrived when the notice has none, or one that is not a time', () => {
    for (const OperateTime of [undefined, '昨天下午']) {
      const [e] = fromNotice(notice({ Stage: '立案', OperateTime }), s);
      expect((e!.payload as { acknowledgedAt: string }).acknowledgedAt).toBe('2026-11-26T13:00:00.000Z');
    }
  });

  it('takes the photos of 处置 and 结案 as links that go with the step (semicolons or spaces between)', () => {
    const photos = 'http://szcg.example.gov.cn/photo/SZCG1/before.jpg; https://szcg.example.gov.cn/photo/SZCG1/after.jpg';
    const [done] = fromNotice(notice({ Stage: '结案', Opinion: '井盖已更换', Photos: photos }), s);
    expect(done!.payload).toMatchObject({ result: '井盖已更换', media: [{ url: 'http://szcg.example.gov.cn/photo/SZCG1/before.jpg' }, { url: 'https://szcg.example.gov.cn/photo/SZCG1/after.jpg' }] });
    const [step] = fromNotice(notice({ Stage: '处置', Opinion: '已更换', Photos: 'http://szcg.example.gov.cn/p/1.jpg' }), s);
    expect(step!.payload).toMatchObject({ note: '数字城管处置（和平区城管委）：已更换（照片1张）', media: [{ url: 'http://szcg.example.gov.cn/p/1.jpg' }] });
    expect(() => parseEnvelope(JSON.stringify(done))).not.toThrow();
    expect(fromNotice(notice({ Stage: '结案' }), s)[0]!.payload, 'no photos: no media').not.toHaveProperty('media');
  });

  it.each([
    ['a photo that is no address', 'before.jpg', /photo "before.jpg" is no http\(s\) address/],
    ['a file: address', 'file:///etc/passwd', /photo "file:\/\/\/etc\/passwd"/],
    ['ten photos', Array.from({ length: 10 }, (_, i) => `http://x.example/${i}.jpg`).join(';'), /carries 10 photos; the hub takes 9/],
  ])('refuses a notice with %s, naming it (the dead letter keeps the notice)', (_what, Photos, reason) => {
    expect(() => fromNotice(notice({ Stage: '结案', Photos }), s)).toThrow(reason);
  });

  it('makes one event id of one notice id, however often it comes; another notice id is another event', () => {
    const a = fromNotice(notice({ Stage: '处置' }), s)[0]!;
    const b = fromNotice(notice({ Stage: '处置' }), s)[0]!;
    const c = fromNotice(notice({ Stage: '处置', NoticeId: 'N00000002' }), s)[0]!;
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
  });

  it.each([
    ['no NoticeId', { NoticeId: undefined }, /without NoticeId/],
    ['no CaseId', { CaseId: undefined }, /has no CaseId/],
    ['no order number', { SourceNo: undefined }, /no hub order number/],
    ['an order number of another shape', { SourceNo: '12345' }, /no hub order number/],
    ['a stage the protocol lacks', { Stage: '挂账' }, /stage "挂账"/],
  ])('refuses a notice with %s', (_what, fields, reason) => {
    expect(() => fromNotice(notice(fields), s)).toThrow(reason);
  });

  it('refuses a body that is not the system\'s XML', () => {
    expect(() => fromNotice({ body: Buffer.from('{"Stage":"立案"}'), receivedAt: new Date() }, s)).toThrow(MappingError);
    expect(() => fromNotice({ body: Buffer.from('<Other><Stage>立案</Stage></Other>'), receivedAt: new Date() }, s)).toThrow(/no <CaseNotice>/);
  });
});
