/**
 * 领导批示: a leader's instruction on an order, recorded by the centre (text, who gave it, by when
 * the unit reports back): a history step the unit sees, a mail to the unit, and the unit's task
 * (instruction-report) due at that time — chased like any task left open (chase-tasks.ts: the unit
 * and the duty leader mailed), done when the unit reports, which goes to the duty leader on duty.
 */
import { findUnit, type Catalog } from '../domain/catalog.js';
import { instructionMail } from '../domain/instructions.js';
import { titleForUnit } from '../domain/masking.js';
import { isDone } from '../domain/order.js';
import { chinaTime } from '../domain/text.js';
import { HubError } from './errors.js';
import type { OrderStore } from './ports.js';

export class InstructionRefused extends HubError {
  constructor(code: 'ORDER_DONE' | 'NO_UNIT_YET' | 'REPLY_BY_PASSED', message: string) {
    super(code, message, false);
  }
}

export async function giveInstruction(
  d: { store: OrderStore; catalog: Catalog; now: () => Date },
  orderNo: string,
  i: { id: string; leader: string; text: string; reportBy: Date },
  actor: string,
): Promise<{ instructionId: string; repeated: boolean }> {
  const dedupKey = `instruction:${orderNo}:${i.id}`;
  const outcome = await d.store.commit(orderNo, dedupKey, (order) => {
    if (isDone(order.status)) throw new InstructionRefused('ORDER_DONE', `order ${orderNo} is ${order.status}; a leader's instruction goes on an open order`);
    const unit = order.unitCode ? findUnit(d.catalog, order.unitCode) : undefined;
    if (!unit) throw new InstructionRefused('NO_UNIT_YET', `order ${orderNo} has no unit yet to report back`);
    if (i.reportBy.getTime() <= d.now().getTime()) throw new InstructionRefused('REPLY_BY_PASSED', `reportBy ${i.reportBy.toISOString()} is not after now`);
    const detail = { instructionId: i.id, leader: i.leader, text: i.text, reportBy: i.reportBy.toISOString(), unit: unit.code };
    return {
      entry: { step: 'instruction', actor, note: `领导批示（${i.leader}）：${i.text}；请${unit.name}于 ${chinaTime(i.reportBy)} 前报告办理情况`, detail },
      outbox: [{ channel: 'email' as const, destination: unit.email, payload: { ...instructionMail({ orderNo, unitName: unit.name, leader: i.leader, text: i.text, reportBy: i.reportBy, title: titleForUnit(order, d.catalog.categories) }), orderNo }, dedupKey: `${dedupKey}:email` }],
      opts: { openTask: { orderNo, kind: 'instruction-report' as const, role: 'unit', unitCode: unit.code, detail: { ...detail, unitName: unit.name }, dedupKey: `task:${dedupKey}`, dueAt: i.reportBy } },
    };
  });
  return { instructionId: i.id, repeated: outcome === 'duplicate' };
}
