import { describe, expect, it } from 'vitest';
import { citizenNotices, codeSms, contactAtIntake, EMAIL_TEMPLATES, evaluationLinks, LINK_TOKEN_LENGTH, newCode, newLinkToken, NOTICES_PER_DESTINATION_PER_DAY, noticeDestinations, SMS_LINK_BASE_MAX, SMS_SEGMENT, SMS_TEMPLATES, smsSegments } from '../../domain/notices.js';
import { loadConfig } from '../../infra/config.js';

const HEARD = new Date('2026-11-26T02:00:00Z');
/** A request taken on the phone: its contact confirmed as it was given. */
const order = { orderNo: 'GD20261126000001', title: '小区停水', citizenPhone: '13800138000', citizenEmail: null as string | null, citizenConfidential: false, citizenPhoneConfirmedAt: HEARD as Date | null, citizenEmailConfirmedAt: HEARD as Date | null };

describe('citizen notices', () => {
  it.each(Object.keys(SMS_TEMPLATES) as Array<keyof typeof SMS_TEMPLATES>)('keeps the %s SMS within one segment of %i characters', (kind) => {
    const text = SMS_TEMPLATES[kind]({ orderNo: 'GD99999999999999' });
    expect([...text].length).toBeLessThanOrEqual(SMS_SEGMENT);
    expect(smsSegments(text)).toBe(1);
    expect(text.startsWith('【12345热线】')).toBe(true);
  });

  it('keeps the closing SMS with the longest evaluation link, and the one-time code, within one segment', () => {
    const link = `${'a'.repeat(SMS_LINK_BASE_MAX)}${newLinkToken()}`;
    const closed = SMS_TEMPLATES.closed({ orderNo: 'GD99999999999999', link });
    expect(smsSegments(closed)).toBe(1);
    expect(smsSegments(`${closed}x`), 'the limit is the segment, not less').toBe(2);
    expect(smsSegments(codeSms('999999'))).toBe(1);
  });

  it('makes the link short from PUBLIC_URL when it fits, and leaves it out of the SMS when it does not (the e-mail keeps it)', () => {
    expect(evaluationLinks('https://12345.tj.gov.cn', '')).toEqual({ sms: '12345.tj.gov.cn/p/', email: 'https://12345.tj.gov.cn/p/' });
    expect(evaluationLinks('https://rexian.municipal-government.example.gov.cn', '')).toEqual({ sms: null, email: 'https://rexian.municipal-government.example.gov.cn/p/' });
    expect(evaluationLinks('https://rexian.municipal-government.example.gov.cn', 'rx.gov.cn/p/').sms).toBe('rx.gov.cn/p/');
    expect(() => loadConfig({ SMS_LINK_BASE: 'x'.repeat(SMS_LINK_BASE_MAX + 1) })).toThrow(/SMS_LINK_BASE/);
    expect(() => loadConfig({ SMS_LINK_BASE: 'a b/p/' })).toThrow(/SMS_LINK_BASE/);
  });

  it('draws link tokens and codes from the whole alphabet, never twice alike in a thousand', () => {
    const tokens = new Set(Array.from({ length: 1000 }, newLinkToken));
    expect(tokens.size).toBe(1000);
    for (const t of tokens) expect(t).toMatch(new RegExp(`^[0-9A-Za-z]{${LINK_TOKEN_LENGTH}}$`));
    const codes = Array.from({ length: 1000 }, newCode);
    for (const c of codes) expect(c).toMatch(/^\d{6}$/);
    expect(new Set(codes.map((c) => c[0])).size, 'every first digit, 0 included').toBe(10);
  });

  it('puts the link in the closing SMS and the closing mail, and nowhere else', () => {
    const evaluation = { sms: '12345.tj.gov.cn/p/Ab3dE7xK', email: 'https://12345.tj.gov.cn/p/Ab3dE7xK' };
    const [sms, mail] = citizenNotices('closed', { ...order, citizenEmail: 'a@example.invalid' }, { sms: true, evaluation });
    expect((sms!.payload as { text: string }).text).toBe(`【12345热线】工单${order.orderNo}已办结，请评价：12345.tj.gov.cn/p/Ab3dE7xK`);
    expect((mail!.payload as { text: string }).text).toContain('https://12345.tj.gov.cn/p/Ab3dE7xK');
    const received = citizenNotices('received', { ...order, citizenEmail: 'a@example.invalid' }, { sms: true, evaluation });
    expect(JSON.stringify(received)).not.toContain('Ab3dE7xK');
    const [short] = citizenNotices('closed', order, { sms: true, evaluation: { sms: null, email: evaluation.email } });
    expect((short!.payload as { text: string }).text, 'no short address: the closing SMS as before').toContain('已办结，感谢您对12345热线的支持');
  });

  it('counts segments of longer texts as carriers bill them (67 characters each)', () => {
    expect(smsSegments('字'.repeat(70))).toBe(1);
    expect(smsSegments('字'.repeat(71))).toBe(2);
    expect(smsSegments('字'.repeat(134))).toBe(2);
    expect(smsSegments('字'.repeat(135))).toBe(3);
  });

  it('sends an SMS to a mobile number only, with or without +86, and only with a gateway', () => {
    expect(citizenNotices('received', order, { sms: true }).map((m) => [m.channel, m.destination])).toEqual([['sms', '13800138000']]);
    expect(citizenNotices('received', { ...order, citizenPhone: '+86 138-0013-8000' }, { sms: true })[0]!.destination).toBe('13800138000');
    expect(citizenNotices('received', { ...order, citizenPhone: '022-23456789' }, { sms: true })).toEqual([]);
    expect(citizenNotices('received', order, { sms: false })).toEqual([]);
  });

  it('e-mails a citizen who gave an address, in zh-CN, with the order number', () => {
    const [mail] = citizenNotices('closed', { ...order, citizenEmail: 'a@example.invalid' }, { sms: false });
    expect(mail).toMatchObject({ channel: 'email', destination: 'a@example.invalid', payload: { orderNo: order.orderNo, subject: EMAIL_TEMPLATES.closed(order).subject } });
    expect((mail!.payload as { text: string }).text).toContain('已办结');
  });

  it('quotes nothing the requester wrote: a receipt cannot carry their words to an address they chose', () => {
    const spam = { ...order, title: '恭喜中奖！点击 http://spam.example 领取', citizenEmail: 'victim@example.invalid' };
    for (const kind of ['received', 'closed'] as const) {
      for (const m of citizenNotices(kind, spam, { sms: true })) expect(JSON.stringify(m.payload)).not.toMatch(/中奖|spam\.example/);
    }
  });

  it('tells a confidential request nothing in writing', () => {
    expect(citizenNotices('received', { ...order, citizenEmail: 'a@example.invalid', citizenConfidential: true }, { sms: true })).toEqual([]);
  });

  it('keeps one row per notice and order, however often the step runs', () => {
    const [a] = citizenNotices('received', order, { sms: true });
    const [b] = citizenNotices('received', order, { sms: true });
    expect(a!.dedupKey).toBe(b!.dedupKey);
    expect(a!.dedupKey).not.toBe(citizenNotices('closed', order, { sms: true })[0]!.dedupKey);
  });

  it('writes to a destination at most a few times a day, whoever gives it, each destination counted on its own', () => {
    const both = { ...order, citizenEmail: 'victim@example.invalid' };
    expect(noticeDestinations({ ...both, citizenPhone: '+86 138-0013-8000' }, { sms: true })).toEqual(['13800138000', 'victim@example.invalid']);
    const under = new Map([['13800138000', NOTICES_PER_DESTINATION_PER_DAY - 1], ['victim@example.invalid', NOTICES_PER_DESTINATION_PER_DAY - 1]]);
    expect(citizenNotices('received', both, { sms: true, recent: under }).map((m) => m.channel)).toEqual(['sms', 'email']);
    const mailFull = new Map([['victim@example.invalid', NOTICES_PER_DESTINATION_PER_DAY]]);
    expect(citizenNotices('received', both, { sms: true, recent: mailFull }).map((m) => m.channel)).toEqual(['sms']);
    const bothFull = new Map([['13800138000', NOTICES_PER_DESTINATION_PER_DAY + 3], ['victim@example.invalid', NOTICES_PER_DESTINATION_PER_DAY]]);
    expect(citizenNotices('closed', both, { sms: true, recent: bothFull })).toEqual([]);
  });

  it('counts nothing for a confidential request or a destination it would not write to', () => {
    expect(noticeDestinations({ ...order, citizenEmail: 'a@example.invalid', citizenConfidential: true }, { sms: true })).toEqual([]);
    expect(noticeDestinations({ ...order, citizenPhone: '022-23456789' }, { sms: true })).toEqual([]);
    expect(noticeDestinations(order, { sms: false })).toEqual([]);
  });

  describe('a contact nobody at the centre heard given (an app, the web)', () => {
    const unheard = { ...order, citizenEmail: 'someone@example.invalid', citizenPhoneConfirmedAt: null, citizenEmailConfirmedAt: null };
    const url = 'https://12345.example.gov.cn/public/v1/contact/confirm?token=abc';

    it('is confirmed at intake only where a person took the request', () => {
      expect(contactAtIntake('phone', 'a@example.invalid', HEARD)).toEqual({ phoneConfirmedAt: HEARD, emailConfirmedAt: HEARD });
      expect(contactAtIntake('transfer', null, HEARD)).toEqual({ phoneConfirmedAt: HEARD, emailConfirmedAt: null });
      for (const channel of ['app', 'web', 'wechat', 'email', 'sms']) expect(contactAtIntake(channel, 'a@example.invalid', HEARD)).toEqual({ phoneConfirmedAt: null, emailConfirmedAt: null });
    });

    it('gets one mail asking to confirm the address instead of a receipt, and no SMS', () => {
      const out = citizenNotices('received', unheard, { sms: true, confirmUrl: url });
      expect(out.map((m) => [m.channel, m.destination])).toEqual([['email', 'someone@example.invalid']]);
      expect(out[0]!.payload).toMatchObject({ subject: expect.stringContaining('请确认') as string, text: expect.stringContaining(url) as string });
      expect((out[0]!.payload as { text: string }).text).toContain('如非您本人操作，请忽略本邮件');
    });

    it('gets nothing at the close until confirmed, then the notice; the phone once a callback reached it', () => {
      expect(citizenNotices('closed', unheard, { sms: true, confirmUrl: url })).toEqual([]);
      expect(citizenNotices('closed', { ...unheard, citizenEmailConfirmedAt: HEARD }, { sms: true }).map((m) => m.channel)).toEqual(['email']);
      expect(citizenNotices('closed', { ...unheard, citizenPhoneConfirmedAt: HEARD }, { sms: true }).map((m) => m.channel)).toEqual(['sms']);
    });

    it('is asked nothing without a confirmation link to give', () => {
      expect(citizenNotices('received', unheard, { sms: true })).toEqual([]);
    });
  });
});
