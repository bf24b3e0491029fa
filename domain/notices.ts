/**
 * What a citizen is told, and how (zh-CN): a receipt when the request is taken (受理回执) and a
 * notice when it is closed (办结告知), by SMS to a mobile number and by e-mail to an address the
 * citizen gave. An SMS fits one segment (70 characters, GSM 03.38's limit for UCS-2 text, which
 * Chinese carriers bill by): a unit test renders every template with the longest values. A
 * confidential request (保密件) is told nothing in writing: the callback agent calls. Anyone may
 * give any number or address at intake (Open311 included), so one destination gets at most
 * NOTICES_PER_DESTINATION_PER_DAY notices a day, whoever gives it: the hotline's official sender
 * is no relay for flooding a stranger. And nothing is written to a contact before it is
 * confirmed: a phone given to a person (a call-taker, an emergency line's operator) or reached by
 * the callback; an e-mail address by the button behind the link in the one mail that asks
 * (EMAIL_TEMPLATES.confirm).
 */
import { createHash, randomInt } from 'node:crypto';
import type { OutboxMessage } from './outgoing.js';

/** Characters in one SMS segment of Chinese text; a longer one goes as several, each of 67. */
export const SMS_SEGMENT = 70;
export const smsSegments = (text: string): number => ([...text].length <= SMS_SEGMENT ? 1 : Math.ceil([...text].length / 67));

const SIGN = '【12345热线】';

/**
 * The closing SMS carries the evaluation link (一事一评) when the hub has a short enough address
 * for it (SMS_LINK_BASE): `link` is that address and the token, at most SMS_LINK_MAX characters.
 */
export const SMS_TEMPLATES = {
  received: (p: { orderNo: string }) => `${SIGN}您的诉求已受理，工单号${p.orderNo}。我们将按时限办理，并电话回访。`,
  closed: (p: { orderNo: string; link?: string }) => (p.link ? `${SIGN}工单${p.orderNo}已办结，请评价：${p.link}` : `${SIGN}您反映的诉求（工单号${p.orderNo}）已办结，感谢您对12345热线的支持。`),
} as const;

/** The one-time code a phone asks for to see its own orders (市民自助查询), and how long it holds. */
export const CODE_TTL_MINUTES = 10;
export const codeSms = (code: string): string => `${SIGN}验证码${code}，${CODE_TTL_MINUTES}分钟内有效，用于查询您的诉求办理进度。如非本人操作，请忽略。`;

/** Characters of the evaluation link that still keep the closing SMS in one segment. */
export const SMS_LINK_MAX = SMS_SEGMENT - [...SMS_TEMPLATES.closed({ orderNo: 'GD00000000000000', link: ' ' })].length + 1;
/** Characters of an evaluation link's token: 62^8 (about 2×10^14) tokens, against a few tries a minute from one address. */
export const LINK_TOKEN_LENGTH = 8;
/** The longest address SMS_LINK_BASE may be: the link is it and a token. */
export const SMS_LINK_BASE_MAX = SMS_LINK_MAX - LINK_TOKEN_LENGTH;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** A new evaluation link's token (the closing SMS's), from the system's random source. */
export const newLinkToken = (): string => Array.from({ length: LINK_TOKEN_LENGTH }, () => BASE62[randomInt(62)]).join('');
/** A new one-time code: six digits. */
export const newCode = (): string => String(randomInt(1_000_000)).padStart(6, '0');

/** The gateway's address as citizens reach it: PUBLIC_URL, or this host's for a local demo. */
export const publicUrl = (c: { PUBLIC_URL: string; HOST: string; PORT: number | string }): string => c.PUBLIC_URL || `http://${c.HOST}:${c.PORT}`;

/**
 * Where the citizen evaluates: `sms` (short, no scheme, for the one segment) when one fits, and
 * `email` (the whole address). The path is /p/TOKEN on the gateway's public address.
 */
export function evaluationLinks(publicUrl: string, smsLinkBase: string): { sms: string | null; email: string } {
  const sms = smsLinkBase || `${publicUrl.replace(/^https?:\/\//, '')}/p/`;
  return { sms: [...sms].length <= SMS_LINK_BASE_MAX ? sms : null, email: `${publicUrl}/p/` };
}

// No text the requester wrote is quoted: anyone may give any address at intake (Open311 included),
// and a receipt quoting their words would carry them under the hotline's name to whomever they chose.
export const EMAIL_TEMPLATES = {
  received: (p: { orderNo: string }) => ({
    subject: `${SIGN}您的诉求已受理（${p.orderNo}）`,
    text: `您好：\n\n您反映的诉求已受理，工单号 ${p.orderNo}。我们将转交承办单位按时限办理，办结后电话回访。\n\n查询办理进度请拨打12345，并告知工单号。\n\n12345政务服务便民热线\n（本邮件由系统发送，请勿直接回复）`,
  }),
  /** The one mail to an address nobody at the centre heard: it asks before anything else is written there. */
  confirm: (p: { orderNo: string; url: string }) => ({
    subject: `${SIGN}请确认接收工单通知的邮箱（${p.orderNo}）`,
    text: `您好：\n\n有人向12345热线反映诉求（工单号 ${p.orderNo}）时留下了此邮箱，用于接收办理结果通知。\n\n如是您本人，请打开以下链接确认：\n${p.url}\n\n如非您本人操作，请忽略本邮件：未经确认，此邮箱不会再收到12345热线关于该工单的邮件。\n\n12345政务服务便民热线\n（本邮件由系统发送，请勿直接回复）`,
  }),
  closed: (p: { orderNo: string; url?: string }) => ({
    subject: `${SIGN}您的诉求已办结（${p.orderNo}）`,
    text: `您好：\n\n您反映的诉求（工单号 ${p.orderNo}）已办结。感谢您对12345热线的支持。\n\n${p.url ? `请对本次办理作出评价（一事一评）：\n${p.url}\n\n` : ''}如对办理结果有意见，请拨打12345，并告知工单号。\n\n12345政务服务便民热线\n（本邮件由系统发送，请勿直接回复）`,
  }),
} as const;

const MOBILE = /^(?:\+?86)?(1[3-9]\d{9})$/;

export interface CitizenContact {
  orderNo: string;
  title: string;
  citizenPhone: string;
  citizenEmail: string | null;
  citizenConfidential: boolean;
  citizenPhoneConfirmedAt: Date | null;
  citizenEmailConfirmedAt: Date | null;
}

/** Channels on which a person at the centre (or an emergency line's operator) took the request and heard the contact given. */
export const CONTACT_HEARD_CHANNELS: readonly string[] = ['phone', 'transfer'];

/** How a confirmation link's token is kept (and looked up): its SHA-256, hex. */
export const contactTokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** What of a new request's contact is confirmed when it is taken: all of it where a person heard it given, nothing otherwise. */
export const contactAtIntake = (channel: string, email: string | null | undefined, now: Date): { phoneConfirmedAt: Date | null; emailConfirmedAt: Date | null } =>
  CONTACT_HEARD_CHANNELS.includes(channel) ? { phoneConfirmedAt: now, emailConfirmedAt: email ? now : null } : { phoneConfirmedAt: null, emailConfirmedAt: null };

/** Notices one mobile number or e-mail address gets in NOTICE_WINDOW_MS at most, from every order together. */
export const NOTICES_PER_DESTINATION_PER_DAY = 5;
export const NOTICE_WINDOW_MS = 86_400_000;

/** The mobile number an SMS goes to (11 digits, without +86), or undefined for a landline or no number. */
const mobileOf = (phone: string): string | undefined => MOBILE.exec(phone.replace(/[\s-]/g, ''))?.[1];

/** Where a citizen's notices would go (a mobile number, an address), before the daily limit: what to count first. */
export function noticeDestinations(o: Pick<CitizenContact, 'citizenPhone' | 'citizenEmail' | 'citizenConfidential'>, how: { sms: boolean }): string[] {
  if (o.citizenConfidential) return [];
  const mobile = how.sms ? mobileOf(o.citizenPhone) : undefined;
  return [...(mobile ? [mobile] : []), ...(o.citizenEmail ? [o.citizenEmail] : [])];
}

/**
 * The outbox rows that tell the citizen: an SMS to a mobile number when the hub has an SMS gateway
 * (SMS_URL; without one no SMS is kept for later, as a receipt days late would mislead), an e-mail
 * to an address given (it waits for SMTP_URL like every e-mail). `recent`: the notices each
 * destination got in the last NOTICE_WINDOW_MS; one that had its NOTICES_PER_DESTINATION_PER_DAY
 * gets no more (the order goes on; the citizen hears by phone at the callback).
 */
export function citizenNotices(
  kind: keyof typeof SMS_TEMPLATES,
  o: CitizenContact,
  how: { sms: boolean; recent?: ReadonlyMap<string, number>; confirmUrl?: string; /** The closing notice's evaluation link: its address on each channel. */ evaluation?: { sms: string | null; email: string } },
): OutboxMessage[] {
  if (o.citizenConfidential) return [];
  const mobile = how.sms ? mobileOf(o.citizenPhone) : undefined;
  const email = o.citizenEmail;
  const out: OutboxMessage[] = [];
  const links = { link: how.evaluation?.sms ?? undefined, url: how.evaluation?.email };
  if (mobile && o.citizenPhoneConfirmedAt) out.push({ channel: 'sms', destination: mobile, payload: { text: SMS_TEMPLATES[kind]({ orderNo: o.orderNo, ...links }), orderNo: o.orderNo }, dedupKey: `notice:${kind}:${o.orderNo}:sms` });
  if (email && o.citizenEmailConfirmedAt) out.push({ channel: 'email', destination: email, payload: { ...EMAIL_TEMPLATES[kind]({ orderNo: o.orderNo, ...links }), orderNo: o.orderNo }, dedupKey: `notice:${kind}:${o.orderNo}:email` });
  // An address nobody heard given: one mail, asking, in place of the receipt.
  else if (email && kind === 'received' && how.confirmUrl) out.push({ channel: 'email', destination: email, payload: { ...EMAIL_TEMPLATES.confirm({ orderNo: o.orderNo, url: how.confirmUrl }), orderNo: o.orderNo }, dedupKey: `notice:${kind}:${o.orderNo}:email` });
  return out.filter((m) => (how.recent?.get(m.destination) ?? 0) < NOTICES_PER_DESTINATION_PER_DAY);
}
