/**
 * The emergency linkage adapter's mappers, pure: a hand-over → the platform's call (the line by
 * its number, the event id as the hand-over's id, so that a repeat is the same hand-over); a
 * line's acknowledgement → emergency.acknowledged, its id derived from the platform's event id.
 */
import { envelope, type Envelope } from '../../domain/events.js';
import { eventIdFor } from '../kit/ids.js';
import { MappingError, type LegacyMessage, type Outbound } from '../kit/types.js';
import type { HandoverCall, LinkageEvent } from './protocol.js';
import type { Settings } from './settings.js';

export const NAME = 'emergency-linkage';

/** "medical-120" → "120": the lines are known to the platform by their numbers. */
export const lineOf = (partner: string): string => partner.split('-').pop()!;

export function toHandover(event: Envelope, s: Settings): Outbound<HandoverCall> {
  if (event.type !== 'emergency.handover') return { kind: 'skip', reason: `${event.type} is not a hand-over` };
  const h = event.payload as Envelope<'emergency.handover'>['payload'];
  if (!s.PARTNERS.split(',').includes(h.partner)) throw new MappingError(`${h.partner} is not reached through this platform (ADAPTER_EMERGENCY_LINKAGE_PARTNERS)`);
  return {
    kind: 'call',
    idempotent: true,
    call: { handoverId: event.id, line: lineOf(h.partner), caseNo: event.orderNo, kind: h.kind, location: h.location, callbackNumber: h.callbackNumber, summary: h.summary, attempt: h.attempt, ackBy: h.ackBy },
  };
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
  if (e.type !== 'ack') throw new MappingError(`event ${e.eventId}: type "${String(e.type)}" is not taken here (ack)`);
  if (!e.caseNo || !/^GD\d{14}$/.test(e.caseNo)) throw new MappingError(`event ${e.eventId} has no hub order number in caseNo`);
  if (!e.incidentId) throw new MappingError(`event ${e.eventId}: an acknowledgement needs the line's incidentId`);
  const partner = s.PARTNERS.split(',').find((p) => lineOf(p) === String(e.line));
  if (!partner) throw new MappingError(`event ${e.eventId}: line ${String(e.line)} is not reached through this platform`);
  const at = chinaTime(e.time, m.receivedAt);
  return [envelope('emergency.acknowledged', e.caseNo, { partner, incidentId: e.incidentId, acknowledgedAt: at.toISOString(), ...(e.operator ? { by: e.operator.slice(0, 100) } : {}) }, NAME, { id: eventIdFor(NAME, e.caseNo, e.eventId), occurredAt: at })];
}
