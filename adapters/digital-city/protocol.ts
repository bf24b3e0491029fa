/**
 * The wire format of a digital city management system (数字城管, GB/T 30428) as such systems
 * commonly expose it to a 12345 platform: HTTP POST of XML, its own case ids (案卷号), result
 * codes in a 200 answer, and status notices pushed back to a callback URL in the system's own
 * charset (GBK here), with local China time and no zone. Shared by the adapter's mappers, its
 * transport and the simulator; nothing here talks to a network.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import iconv from 'iconv-lite';

export const PATHS = { report: '/szcg/api/case/report', notify: '/dcm/notify' } as const;
/** The header that carries the shared token on a notice (the system's own scheme). */
export const TOKEN_HEADER = 'x-szcg-token';

/** 部件 (components: manhole covers, lamps) are type 1, 事件 (events: illegal ads, garbage) type 2. */
export type CaseKind = 'component' | 'event';

export interface CaseReport {
  SourceNo: string;
  RequestId: string;
  EventType: 1 | 2;
  MainTypeCode: string;
  SubTypeCode: string;
  TypeName: string;
  Title: string;
  Description: string;
  Address: string;
  District: string;
  ReportTime: string;
  DueTime: string;
}

/** 立案 register, 派遣 dispatch, 处置 handle, 核查 verify, 结案 close; 作废 not taken on (不予立案). */
export const STAGES = ['立案', '派遣', '处置', '核查', '结案', '作废'] as const;
export type Stage = (typeof STAGES)[number];

export interface CaseNotice {
  NoticeId: string;
  CaseId: string;
  SourceNo?: string;
  Stage: string;
  Dept?: string;
  Opinion?: string;
  OperateTime?: string;
  /** 处置/结案 photos (处置前, 处置后): the system's own addresses of them, separated by semicolons. */
  Photos?: string;
}

/** The most photo addresses one notice may carry. */
export const MAX_PHOTOS = 9;

/** Result codes of the system's answers: 0 done, 9 busy (come back later), anything else refused. */
export const RESULT = { ok: '0', refused: '1', busy: '9' } as const;

const builder = new XMLBuilder({ format: false, suppressEmptyNode: true });
const parser = new XMLParser({ parseTagValue: false, trimValues: true });

const xml = (root: string, body: object, encoding = 'UTF-8'): string => `<?xml version="1.0" encoding="${encoding}"?>${builder.build({ [root]: body })}`;

export const reportXml = (r: CaseReport): string => xml('CaseReport', r);
export const noticeXml = (n: CaseNotice): Buffer => iconv.encode(xml('CaseNotice', n, 'GBK'), 'gbk');
export const answerXml = (a: { ResultCode: string; Message?: string; CaseId?: string }): string => xml('Response', a);

/** The text of an XML body in the charset its declaration (or content type) names; UTF-8 when neither does. */
export function decodeXml(body: Buffer, contentType?: string): string {
  const head = body.subarray(0, 100).toString('latin1');
  const declared = /encoding=["']([A-Za-z0-9_-]+)["']/.exec(head)?.[1] ?? /charset=([A-Za-z0-9_-]+)/i.exec(contentType ?? '')?.[1] ?? 'utf-8';
  const charset = declared.toLowerCase() === 'gb2312' ? 'gbk' : declared.toLowerCase();
  if (!iconv.encodingExists(charset)) throw new Error(`unknown charset ${declared}`);
  return iconv.decode(body, charset);
}

/** The root element of an XML text, as strings; throws when it is not XML or has another root. */
export function parseXml(text: string, root: string): Record<string, string> {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(text, true) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`not XML: ${(err as Error).message.split('\n')[0]}`);
  }
  const el = doc[root];
  if (!el || typeof el !== 'object') throw new Error(`no <${root}> element`);
  return Object.fromEntries(Object.entries(el).map(([k, v]) => [k, Array.isArray(v) ? String(v[0]) : String(v)]));
}

/** China time as such systems write it: "2026-11-26 20:30:00", no zone. */
export function chinaLocal(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * An instant from the system's time text: local China time without a zone (its usual form), or
 * with an explicit zone or Z (some installations send UTC). Null when it is not a time at all.
 */
export function parseSystemTime(text: string | undefined): Date | null {
  if (!text) return null;
  const t = text.trim().replace(/\//g, '-');
  const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!m) return null;
  const zone = m[4] ? (m[4] === 'Z' ? 'Z' : m[4].includes(':') ? m[4] : `${m[4].slice(0, 3)}:${m[4].slice(3)}`) : '+08:00';
  const d = new Date(`${m[1]}T${m[2]!.length === 5 ? `${m[2]}:00` : m[2]}${m[3] ?? ''}${zone}`);
  return Number.isNaN(d.getTime()) ? null : d;
}
