/**
 * The exchange-table adapter's mappers, pure: a dispatched order → a GD_XF row; a GD_FK row → the
 * canonical event of its kind, its id derived from the unit's own answer number (FKBH), so that a
 * row the unit's system wrote twice is one event.
 */
import { envelope, type Envelope } from '../../domain/events.js';
import { eventIdFor } from '../kit/ids.js';
import { MappingError, type LegacyMessage, type Outbound } from '../kit/types.js';
import { chinaLocal, fromChinaLocal, KINDS, type AnswerRow, type OrderRow } from './protocol.js';
import type { Settings } from './settings.js';

export const NAME = 'exchange-table';

export function toOrderRow(event: Envelope, _s: Settings): Outbound<OrderRow> {
  if (event.type !== 'order.dispatched') return { kind: 'skip', reason: `${event.type} is not written to GD_XF` };
  const o = event.payload as Envelope<'order.dispatched'>['payload'];
  return {
    kind: 'call',
    // INSERT IGNORE on the unique SJID: a repeat writes nothing.
    idempotent: true,
    call: {
      SJID: event.id,
      GDBH: event.orderNo,
      LC: o.round,
      BT: o.title.slice(0, 200),
      NR: o.description,
      DZ: o.address.slice(0, 300),
      LXR: o.citizen.name.slice(0, 50) || null,
      LXDH: o.citizen.phone,
      BLSX: chinaLocal(new Date(o.dueAt)),
      XFSJ: chinaLocal(new Date(event.occurredAt)),
    },
  };
}

export function fromAnswerRow(m: LegacyMessage, s: Settings): Envelope[] {
  const r = JSON.parse(m.body.toString('utf8')) as AnswerRow;
  const kind = KINDS[(r.FKLX ?? '').trim() as keyof typeof KINDS];
  const fkbh = r.FKBH?.trim();
  if (!fkbh) throw new MappingError(`GD_FK row ${r.ID} has no FKBH (反馈编号): a repeat could not be told from a new answer`);
  if (!r.GDBH || !/^GD\d{14}$/.test(r.GDBH.trim())) throw new MappingError(`GD_FK row ${r.ID} (FKBH ${fkbh}): GDBH "${r.GDBH ?? ''}" is not a hub order number`);
  if (!kind) throw new MappingError(`GD_FK row ${r.ID} (FKBH ${fkbh}): FKLX "${r.FKLX ?? ''}" is none of ${Object.entries(KINDS).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const orderNo = r.GDBH.trim();
  const unit = s.UNITS.split(',')[0]!;
  const at = fromChinaLocal(r.FKSJ) ?? m.receivedAt;
  const text = r.FKNR?.trim() ?? '';
  // The unit's answer number is its own, and some systems number per order: the order is part of the id.
  const opts = { id: eventIdFor(NAME, unit, orderNo, fkbh), occurredAt: at };
  const need = (what: string): never => {
    throw new MappingError(`GD_FK row ${r.ID} (FKBH ${fkbh}): a ${kind} needs ${what}`);
  };
  switch (kind) {
    case '签收':
      return [envelope('unit.acknowledged', orderNo, { unit, acknowledgedAt: at.toISOString() }, NAME, opts)];
    case '过程':
      return [envelope('unit.progressed', orderNo, { unit, note: text || '处理中', at: at.toISOString() }, NAME, opts)];
    case '办结':
      if (!text) need('FKNR (the result)');
      return [envelope('unit.replied', orderNo, { unit, result: text.slice(0, 4000), handledBy: (r.FKR?.trim() || unit).slice(0, 100), repliedAt: at.toISOString() }, NAME, opts)];
    case '退回':
      if (text.length < 2) need('FKNR (the reason)');
      return [envelope('unit.returned', orderNo, { unit, reason: text.slice(0, 500), returnedAt: at.toISOString() }, NAME, opts)];
    case '延期申请': {
      const until = fromChinaLocal(r.YQSJ);
      if (!until) need('YQSJ (the date asked for)');
      if (text.length < 2) need('FKNR (the reason)');
      return [envelope('unit.extension-requested', orderNo, { unit, dueAt: until!.toISOString(), reason: text.slice(0, 500), requestedAt: at.toISOString() }, NAME, opts)];
    }
  }
  throw new MappingError(`GD_FK row ${r.ID}: unhandled kind`);
}
