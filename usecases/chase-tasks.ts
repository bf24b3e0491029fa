/**
 * A person's task left open past its deadline is chased like a unit (issue #9 item 12): once, in
 * the order's history, and the duty leader is mailed (a unit's own task: the unit too). Run by the workers role every TASK_SWEEP_MS;
 * several hub processes may sweep at once, the task row's conditional update lets one of them chase.
 */
import { ROLE_NAMES, type Role } from '../domain/access.js';
import { findUnit, type Catalog } from '../domain/catalog.js';
import { chinaTime, STEP_NOTES, TASK_NAMES, taskChaseMail } from '../domain/text.js';
import type { DutyRota, Log, OrderStore } from './ports.js';
import { dutyLeaderEmail } from './duty.js';

export async function chaseOverdueTasks(d: { store: OrderStore; catalog: Catalog; now: () => Date; log: Log; rota?: DutyRota }, limit = 100): Promise<number> {
  let chased = 0;
  for (const t of await d.store.overdueTasks(d.now(), limit)) {
    const task = TASK_NAMES[t.kind] ?? t.kind;
    const role = ROLE_NAMES[t.role as Role] ?? t.role;
    const due = chinaTime(t.dueAt!);
    const dedupKey = `chase-task:${t.id}`;
    const leader = await dutyLeaderEmail(d, d.now());
    const unit = t.unitCode ? findUnit(d.catalog, t.unitCode) : undefined;
    const done = await d.store.withOrder(t.orderNo, async (_order, tx) => {
      if (!(await tx.chaseTask(t.id))) return false;
      await tx.apply(
        t.orderNo,
        { step: 'chase-task', actor: 'hub', note: STEP_NOTES.chaseTask(task, role, due), detail: { taskId: t.id, kind: t.kind, role: t.role, dueAt: t.dueAt!.toISOString() }, dedupKey },
        {},
        [
          { channel: 'email', destination: leader, payload: { ...taskChaseMail({ orderNo: t.orderNo, task, role, due }), orderNo: t.orderNo }, dedupKey: `${dedupKey}:email` },
          // A unit's own task (批示办理情况, 街道答复审核): the unit is chased too.
          ...(unit ? [{ channel: 'email' as const, destination: unit.email, payload: { ...taskChaseMail({ orderNo: t.orderNo, task, role: unit.name, due, to: unit.name }), orderNo: t.orderNo }, dedupKey: `${dedupKey}:email:unit` }] : []),
        ],
      );
      return true;
    });
    if (done) chased++;
  }
  if (chased > 0) d.log.info({ chased }, 'tasks left open past their deadline were chased');
  return chased;
}

/** Sweeps every `everyMs`; a sweep that fails is logged and the next one tries again. */
export function startTaskChaser(d: Parameters<typeof chaseOverdueTasks>[0], everyMs: number): { close: () => Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = chaseOverdueTasks(d).catch((err: unknown) => d.log.warn({ err }, 'the task chase failed; the next sweep tries again'));
  }, everyMs);
  timer.unref();
  return {
    close: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
