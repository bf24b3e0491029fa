/**
 * 重复件, 层级上报: when an open order's repeat calls reach a count the policy names
 * (config/repeats.json), the matter is reported up — at the supervision level the unit that has
 * it is supervised (督办, counted against it as a supervision alarm) and the duty leader told; at
 * the leaders' level the duty leader is asked to bring it to the centre's leaders. Each level once
 * per order: a level a crash skipped is made up at the next repeat call.
 */
import { findUnit, type Catalog } from '../domain/catalog.js';
import { isDone } from '../domain/order.js';
import type { RepeatPolicy } from '../domain/repeats.js';
import { repeatEscalationMail, STEP_NOTES } from '../domain/text.js';
import { dutyLeaderEmail } from './duty.js';
import type { DutyRota, OrderStore, OutboxMessage } from './ports.js';

export async function escalateRepeats(d: { store: OrderStore; catalog: Catalog; policy: RepeatPolicy; now?: () => Date; rota?: DutyRota }, orderNo: string): Promise<string[]> {
  const o = await d.store.find(orderNo);
  if (!o || isDone(o.status)) return [];
  const due = d.policy.escalation.filter((e) => e.repeats <= o.repeatCount);
  if (due.length === 0) return [];
  const now = d.now?.() ?? new Date();
  const leader = await dutyLeaderEmail({ catalog: d.catalog, rota: d.rota }, now);
  const unit = o.unitCode ? findUnit(d.catalog, o.unitCode) : undefined;
  const title = o.citizenConfidential ? (d.catalog.categories.find((c) => c.code === o.category)?.name ?? o.category) : o.title;
  const made: string[] = [];
  for (const e of due) {
    const dedupKey = `repeat-${e.level}:${orderNo}`;
    const mail = (to: string, who: 'unit' | 'leader', suffix: string): OutboxMessage => ({
      channel: 'email',
      destination: to,
      payload: { ...repeatEscalationMail({ level: e.level, orderNo, repeats: o.repeatCount, unitName: unit?.name ?? null, title, to: who }), orderNo },
      dedupKey: `${dedupKey}:${suffix}`,
    });
    const outcome =
      e.level === 'supervision'
        ? await d.store.applyStep(
            orderNo,
            { step: 'repeat-supervision', actor: 'hub', note: STEP_NOTES.repeatSupervision(o.repeatCount, unit?.name ?? null), detail: { repeats: o.repeatCount, ...(unit ? { unit: unit.code, dispatchSeq: o.dispatchSeq, counted: true } : {}), leader }, dedupKey },
            unit ? { supervisedAt: o.supervisedAt ?? now, increment: 'chaseCount' } : {},
            [...(unit ? [mail(unit.email, 'unit', 'unit')] : []), mail(leader, 'leader', 'leader')],
          )
        : await d.store.applyStep(
            orderNo,
            { step: 'repeat-leaders', actor: 'hub', note: STEP_NOTES.repeatLeaders(o.repeatCount), detail: { repeats: o.repeatCount, leader }, dedupKey },
            {},
            [mail(leader, 'leader', 'leader')],
          );
    if (outcome !== 'duplicate') made.push(e.level);
  }
  return made;
}
