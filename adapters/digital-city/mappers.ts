/**
 * The digital city management adapter's mappers, pure: a dispatched order → a case report; the
 * system's answer (its case id) and its status notices → canonical events.
 */
import { envelope, type Envelope } from '../../domain/events.js';
import { eventIdFor } from '../kit/ids.js';
import { MappingError, type LegacyMessage, type Outbound } from '../kit/types.js';
import { chinaLocal, decodeXml, MAX_PHOTOS, parseSystemTime, parseXml, RESULT, STAGES, type CaseNotice, type CaseReport, type Stage } from './protocol.js';
import type { Settings } from './settings.js';

export const NAME = 'digital-city';
export const SYSTEM_NAME = '数字城管';

/** order.dispatched → a case report. Its RequestId is the event id: the system takes a report once however often it is sent. */
export function toCaseReport(event: Envelope, s: Settings): Outbound<CaseReport> {
  if (event.type !== 'order.dispatched') return { kind: 'skip', reason: `${event.type} is not sent to ${SYSTEM_NAME}` };
  const o = event.payload as Envelope<'order.dispatched'>['payload'];
  const code = s.codes[o.category];
  if (!code) throw new MappingError(`category ${o.category} has no 部件/事件 code in ${s.CODES_FILE}; add it there, restart the adapter and replay this dead letter`);
  return {
    kind: 'call',
    idempotent: true,
    call: {
      SourceNo: event.orderNo,
      RequestId: event.id,
      EventType: code.kind === 'component' ? 1 : 2,
      MainTypeCode: code.main,
      SubTypeCode: code.sub,
      TypeName: code.name,
      Title: o.title,
      Description: o.description,
      Address: o.address,
      District: o.district,
      ReportTime: chinaLocal(new Date(event.occurredAt)),
      DueTime: chinaLocal(new Date(o.dueAt)),
    },
  };
}

/** The system's answer to a report: its case id, recorded on the order as a note carrying the id. */
export function fromReportAnswer(answer: { caseId: string }, event: Envelope, s: Settings): Envelope[] {
  const unit = (event.payload as { unit: string }).unit;
  if (!s.UNITS.split(',').includes(unit) || event.orderNo === null) return [];
  return [
    envelope('unit.progressed', event.orderNo, { unit, note: `${SYSTEM_NAME}已接收，案卷号 ${answer.caseId}`, at: event.occurredAt, ref: { system: NAME, id: answer.caseId } }, NAME, {
      id: eventIdFor(NAME, 'report', event.id),
      correlationId: event.correlationId,
    }),
  ];
}

/** A notice's photo addresses (Photos, semicolons between), as links; one that is no http(s) address refuses the notice, named. */
function photosOf(n: CaseNotice): Array<{ url: string }> | undefined {
  const urls = (n.Photos ?? '').split(/[;\s]+/).filter(Boolean);
  if (urls.length === 0) return undefined;
  if (urls.length > MAX_PHOTOS) throw new MappingError(`notice ${n.NoticeId} carries ${urls.length} photos; the hub takes ${MAX_PHOTOS} a step`);
  for (const u of urls) {
    const ok = URL.canParse(u) && /^https?:$/.test(new URL(u).protocol) && u.length <= 500;
    if (!ok) throw new MappingError(`notice ${n.NoticeId}: photo "${u.slice(0, 80)}" is no http(s) address of at most 500 characters`);
  }
  return urls.map((url) => ({ url }));
}

/**
 * A status notice → the canonical event of its stage: 立案 acknowledges, 派遣/处置/核查 are noted,
 * 结案 is the unit's reply, 作废 (not taken on) returns the order. The event id is derived from the
 * notice id: a notice sent twice is one event. The order is the notice's SourceNo (the number the
 * hub gave the case); the unit is the first the adapter stands for. Photos (处置前/处置后) go with
 * the step as links the hub keeps on the order, as the unit's.
 */
export function fromNotice(m: LegacyMessage, s: Settings): Envelope[] {
  let n: CaseNotice;
  try {
    n = parseXml(decodeXml(m.body, m.contentType), 'CaseNotice') as unknown as CaseNotice;
  } catch (err) {
    throw new MappingError(`a notice that cannot be read: ${(err as Error).message}`);
  }
  if (!n.NoticeId) throw new MappingError('a notice without NoticeId: it could not be told from a repeat');
  if (!n.CaseId) throw new MappingError(`notice ${n.NoticeId} has no CaseId`);
  if (!n.SourceNo || !/^GD\d{14}$/.test(n.SourceNo)) throw new MappingError(`notice ${n.NoticeId} (case ${n.CaseId}) has no hub order number in SourceNo`);
  const stage = n.Stage as Stage;
  if (!STAGES.includes(stage)) throw new MappingError(`notice ${n.NoticeId}: stage "${n.Stage}" is none of ${STAGES.join(', ')}`);
  const at = parseSystemTime(n.OperateTime) ?? m.receivedAt;
  const unit = s.UNITS.split(',')[0]!;
  const ref = { system: NAME, id: n.CaseId };
  // Notice ids are the system's; the order and case are part of the id, should it ever number again (a rebuilt system).
  const opts = { id: eventIdFor(NAME, 'notice', n.SourceNo, n.CaseId, n.NoticeId), occurredAt: at };
  const dept = n.Dept ? `（${n.Dept}）` : '';
  const photos = photosOf(n);
  const media = photos ? { media: photos } : {};
  switch (stage) {
    case '立案':
      return [envelope('unit.acknowledged', n.SourceNo, { unit, acknowledgedAt: at.toISOString(), ref }, NAME, opts)];
    case '结案':
      return [envelope('unit.replied', n.SourceNo, { unit, result: n.Opinion || `${SYSTEM_NAME}案卷 ${n.CaseId} 已结案`, handledBy: (n.Dept || SYSTEM_NAME).slice(0, 100), repliedAt: at.toISOString(), ref, ...media }, NAME, opts)];
    case '作废':
      return [envelope('unit.returned', n.SourceNo, { unit, reason: `${SYSTEM_NAME}不予立案${dept}：${n.Opinion || '未说明理由'}`.slice(0, 500), returnedAt: at.toISOString(), ref }, NAME, opts)];
    default:
      return [envelope('unit.progressed', n.SourceNo, { unit, note: `${SYSTEM_NAME}${stage}${dept}${n.Opinion ? `：${n.Opinion}` : ''}${photos ? `（照片${photos.length}张）` : ''}`.slice(0, 1000), at: at.toISOString(), ref, ...media }, NAME, opts)];
  }
}

/** The system's answer to a report, read: its case id, or why not (busy is worth another try). */
export function readReportAnswer(text: string): { ok: true; caseId: string } | { ok: false; busy: boolean; message: string } {
  const a = parseXml(text, 'Response');
  if (a.ResultCode === RESULT.ok && a.CaseId) return { ok: true, caseId: a.CaseId };
  return { ok: false, busy: a.ResultCode === RESULT.busy, message: `${SYSTEM_NAME} answered ResultCode ${a.ResultCode ?? '(none)'}: ${a.Message ?? ''}` };
}
