/**
 * The emergency linkage adapter's mappers, pure: a hand-over → the platform's call (the line by
 * its number, the event id as the hand-over's id, so that a repeat is the same hand-over); a
 * line's acknowledgement → emergency.acknowledged, and its result → emergency.concluded, each id
 * derived from the platform's event id; how 12345 ended a transfer → the platform's transfer result;
 * a line's transfer to 12345 → partner.transferred (its id derived from the line and its incident
 * id: the platform sending it again makes the same event), and the hub's answer to it → the
 * platform's transfer answer.
 */
import { envelope, type Envelope } from '../../domain/events.js';
import { eventIdFor } from '../kit/ids.js';
import { MappingError, type LegacyMessage, type Outbound } from '../kit/types.js';
import type { LinkageCall, LinkageEvent } from './protocol.js';
import type { Settings } from './settings.js';

export const NAME = 'emergency-linkage';

/** "medical-120" → "120": the lines are known to the platform by their numbers. */
export const lineOf = (partner: string): string => partner.split('-').pop()!;

/** The line's number, when the platform reaches its line; else a mapping error (the event is dead-lettered). */
function reached(partner: string, s: Settings): string {
  if (!s.PARTNERS.split(',').includes(partner)) throw new MappingError(`${partner} is not reached through this platform (ADAPTER_EMERGENCY_LINKAGE_PARTNERS)`);
  return lineOf(partner);
}

/** One call to the platform; each carries an id of its own (the event's), so a repeat is the same call. */
const call = (c: LinkageCall): Outbound<LinkageCall> => ({ kind: 'call', idempotent: true, call: c });

export function toCall(event: Envelope, s: Settings): Outbound<LinkageCall> {
  if (event.type === 'partner.transfer-concluded') {
    const c = event.payload;
    return call({ to: 'transferResults', body: { resultId: event.id, line: reached(c.partner, s), incidentId: c.incidentId, caseNo: event.orderNo, outcome: c.outcome, result: c.result, unitName: c.unitName, satisfaction: c.satisfaction, time: c.concludedAt } });
  }
  if (event.type === 'partner.transfer-answered') {
    const a = event.payload;
    return call({ to: 'transferAnswers', body: { answerId: event.id, line: reached(a.partner, s), incidentId: a.incidentId, accepted: a.accepted, caseNo: event.orderNo, reason: a.reason ?? null } });
  }
  if (event.type !== 'emergency.handover') return { kind: 'skip', reason: `${event.type} is not for the platform` };
  const h = event.payload;
  return call({ to: 'handovers', body: { handoverId: event.id, line: reached(h.partner, s), caseNo: event.orderNo, kind: h.kind, location: h.location, callbackNumber: h.callbackNumber, summary: h.summary, attempt: h.attempt, ackBy: h.ackBy } });
}

/** The platform's three-way call outcome → the hub's. */
const THREE_WAY: Record<string, 'hotline-takes' | 'partner-keeps'> = { '12345': 'hotline-takes', first: 'partner-keeps' };

function fromTransfer(e: LinkageEvent, partner: string, m: LegacyMessage): Envelope {
  const need = (v: string | undefined, what: string): string => {
    if (!v?.trim()) throw new MappingError(`transfer ${e.eventId}: no ${what}`);
    return v.trim();
  };
  const incidentId = need(e.incidentId, 'incidentId (接警编号)');
  let threeWayCall: 'hotline-takes' | 'partner-keeps' | undefined;
  if (e.threeWayCall) {
    threeWayCall = THREE_WAY[e.threeWayCall];
    if (!threeWayCall) throw new MappingError(`transfer ${e.eventId}: threeWayCall "${e.threeWayCall}" is neither "12345" nor "first"`);
  }
  const content = need(e.content, 'content');
  const at = chinaTime(e.time, m.receivedAt);
  return envelope(
    'partner.transferred',
    null,
    {
      partner,
      incidentId,
      item: need(e.item, 'item (移交清单事项)').slice(0, 32),
      ...(e.itemName ? { itemName: e.itemName.slice(0, 100) } : {}),
      ...(threeWayCall ? { threeWayCall } : {}),
      title: (e.title?.trim() || content).slice(0, 200),
      description: content.slice(0, 4000),
      address: need(e.location, 'location').slice(0, 300),
      ...(e.district?.trim() ? { district: e.district.trim() } : {}),
      caller: { ...(e.callerName?.trim() ? { name: e.callerName.trim().slice(0, 100) } : {}), phone: need(e.callerNumber, 'callerNumber') },
      transferredAt: at.toISOString(),
      ...(e.operator ? { by: e.operator.slice(0, 100) } : {}),
    },
    NAME,
    { id: eventIdFor(NAME, 'transfer', partner, incidentId), occurredAt: at },
  );
}

const chinaTime = (t: string | undefined, fallback: Date): Date => {
  if (!t) return fallback;
  const local = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(t.trim());
  const d = new Date(local ? `${local[1]}T${local[2]}+08:00` : t);
  return Number.isNaN(d.getTime()) ? fallback : d;
};

export function fromEvent(m: LegacyMessage, s: Settings): Envelope[] {
  let e: LinkageEvent;
  try {
    e = JSON.parse(m.body.toString('utf8')) as LinkageEvent;
  } catch {
    throw new MappingError('an event that is not JSON');
  }
  if (!e.eventId) throw new MappingError('an event without eventId: it could not be told from a repeat');
  if (e.type !== 'ack' && e.type !== 'result' && e.type !== 'transfer') throw new MappingError(`event ${e.eventId}: type "${String(e.type)}" is not taken here (ack, result, transfer)`);
  const partner = s.PARTNERS.split(',').find((p) => lineOf(p) === String(e.line));
  if (!partner) throw new MappingError(`event ${e.eventId}: line ${String(e.line)} is not reached through this platform`);
  if (e.type === 'transfer') return [fromTransfer(e, partner, m)];
  if (!e.caseNo || !/^GD\d{14}$/.test(e.caseNo)) throw new MappingError(`event ${e.eventId} has no hub order number in caseNo`);
  if (!e.incidentId) throw new MappingError(`event ${e.eventId}: ${e.type === 'ack' ? 'an acknowledgement' : 'a result'} needs the line's incidentId`);
  const at = chinaTime(e.time, m.receivedAt);
  if (e.type === 'result') {
    if (!e.result?.trim()) throw new MappingError(`event ${e.eventId}: a result without what the line did (result)`);
    return [envelope('emergency.concluded', e.caseNo, { partner, incidentId: e.incidentId, result: e.result.trim().slice(0, 2000), concludedAt: at.toISOString(), ...(e.operator ? { by: e.operator.slice(0, 100) } : {}) }, NAME, { id: eventIdFor(NAME, e.caseNo, e.eventId), occurredAt: at })];
  }
  return [envelope('emergency.acknowledged', e.caseNo, { partner, incidentId: e.incidentId, acknowledgedAt: at.toISOString(), ...(e.operator ? { by: e.operator.slice(0, 100) } : {}) }, NAME, { id: eventIdFor(NAME, e.caseNo, e.eventId), occurredAt: at })];
}
