/** __NAME__'s mappers, pure: canonical events ↔ the system's calls and messages. */
import { envelope, type Envelope } from '../../domain/events.js';
import { eventIdFor } from '../kit/ids.js';
import { MappingError, type LegacyMessage, type Outbound } from '../kit/types.js';
import { KINDS, type Notice, type OrderAnswer, type OrderCall } from './protocol.js';
import type { Settings } from './settings.js';

export const NAME = '__NAME__';

/** order.dispatched → the system's order call; the event id is its request id, so a repeat is one ticket. */
export function toCall(event: Envelope, _s: Settings): Outbound<OrderCall> {
  if (event.type !== 'order.dispatched') return { kind: 'skip', reason: `${event.type} is not sent to ${NAME}` };
  const o = event.payload;
  return { kind: 'call', idempotent: true, call: { requestId: event.id, orderNo: event.orderNo, title: o.title, description: o.description, address: o.address, dueAt: o.dueAt } };
}

/** The system's answer: its ticket id, kept on the order. */
export function fromAnswer(answer: OrderAnswer, event: Envelope, s: Settings): Envelope[] {
  if (event.type !== 'order.dispatched') return [];
  const unit = event.payload.unit;
  if (!s.UNITS.split(',').includes(unit)) return [];
  return [envelope('unit.progressed', event.orderNo, { unit, note: `已接收，编号 ${answer.ticketId}`, at: new Date().toISOString(), ref: { system: NAME, id: answer.ticketId } }, NAME, { id: eventIdFor(NAME, 'answer', event.id), correlationId: event.correlationId })];
}

/** A message of the system → a canonical event; its id from the system's message id. */
export function fromNotice(m: LegacyMessage, s: Settings): Envelope[] {
  let n: Notice;
  try {
    n = JSON.parse(m.body.toString('utf8')) as Notice;
  } catch {
    throw new MappingError('a message that is not JSON');
  }
  if (!n.messageId) throw new MappingError('a message without messageId: it could not be told from a repeat');
  if (!n.orderNo || !/^GD\d{14}$/.test(n.orderNo)) throw new MappingError(`message ${n.messageId} has no hub order number`);
  if (!KINDS.includes(n.kind)) throw new MappingError(`message ${n.messageId}: kind "${String(n.kind)}" is none of ${KINDS.join(', ')}`);
  const at = n.at && !Number.isNaN(Date.parse(n.at)) ? new Date(n.at) : m.receivedAt;
  const unit = s.UNITS.split(',')[0]!;
  const ref = n.ticketId ? { system: NAME, id: n.ticketId } : undefined;
  const opts = { id: eventIdFor(NAME, n.orderNo, n.messageId), occurredAt: at };
  switch (n.kind) {
    case 'ack':
      return [envelope('unit.acknowledged', n.orderNo, { unit, acknowledgedAt: at.toISOString(), ref }, NAME, opts)];
    case 'done':
      return [envelope('unit.replied', n.orderNo, { unit, result: n.text || '已办结', handledBy: (n.by || NAME).slice(0, 100), repliedAt: at.toISOString(), ref }, NAME, opts)];
    case 'return':
      return [envelope('unit.returned', n.orderNo, { unit, reason: (n.text || '非本单位职责').slice(0, 500), returnedAt: at.toISOString(), ref }, NAME, opts)];
    default:
      return [envelope('unit.progressed', n.orderNo, { unit, note: (n.text || '处理中').slice(0, 1000), at: at.toISOString(), ref }, NAME, opts)];
  }
}
