/**
 * 人工任务: the decisions people take on an order — a dispatcher's re-dispatch after a return
 * (改派), a supervisor's review of a disputed return (退单审核), a supervisor's decision on an
 * extension (延期审批), a district's review of its street's answer (三级审核). Each is a task the
 * API lists for its role (and a unit's for that unit); completing it is checked on the locked
 * order, recorded, and handed to the waiting process in one transaction. Two people
 * completing one task at once: the first wins, the second is told it is done.
 */
import { findUnit, type Catalog } from '../domain/catalog.js';
import { MODE_LIMITS, roundOf, type DispatchMode } from '../domain/order.js';
import { chinaTime, STEP_NOTES } from '../domain/text.js';
import type { DutyRota, HumanTaskRow, WorkOrderRow } from './ports.js';
import { dutyLeaderEmail } from './duty.js';
import type { OrderStore, OrderTx } from './ports.js';
import { HubError } from './errors.js';
import { UnknownCode } from './accept-order.js';
import { failedCriteria, type SpotCheckVerdict } from '../domain/spot-checks.js';
import { consultationDecidedMessage, reopenMessage, coordinationRecordedMessage, extensionDecidedMessage, redispatchMessage, replyReviewedMessage, returnReviewedMessage, streetReviewedMessage } from './engine-messages.js';

export class TaskRefused extends HubError {
  constructor(code: 'TASK_NOT_FOUND' | 'TASK_DONE' | 'TASK_BODY_MISMATCH' | 'CONFLICT_OF_INTEREST' | 'SAME_UNIT', message: string) {
    super(code, message, false);
  }
}

export type TaskDecision =
  | { kind: 'extension-approval'; approved: boolean; reason: string }
  | { kind: 'reply-review'; approved: boolean; reason: string }
  | { kind: 'coordination'; outcome: string }
  | { kind: 'street-review'; approved: true; result?: string; reason: string }
  | { kind: 'street-review'; approved: false; reason: string }
  | { kind: 'redispatch'; action: 'unit'; unit: string; mode?: DispatchMode; reason: string }
  | { kind: 'redispatch'; action: 'rules' | 'dispute'; reason: string }
  | { kind: 'return-review'; decision: 'overrule'; reason: string }
  | { kind: 'return-review'; decision: 'uphold'; unit: string; mode?: DispatchMode; reason: string }
  | { kind: 'return-review'; decision: 'consult'; reason: string }
  | { kind: 'consultation'; unit: string; workingDays: number; decision: string }
  | { kind: 'instruction-report'; report: string }
  | ({ kind: 'spot-check'; note: string } & SpotCheckVerdict);

interface Deps {
  store: OrderStore;
  catalog: Catalog;
  now?: () => Date;
  rota?: DutyRota;
}

/** The dispatch a person chose: the unit must exist and must not be the one complained about (回避). */
function chosenDispatch(d: Deps, order: WorkOrderRow, unitCode: string, mode: DispatchMode | undefined) {
  const unit = findUnit(d.catalog, unitCode);
  if (!unit) throw new UnknownCode('UNKNOWN_UNIT', `unit "${unitCode}" is not in the catalog (GET /api/v1/catalog)`);
  if (order.complainedUnit === unit.code) throw new TaskRefused('CONFLICT_OF_INTEREST', `order ${order.orderNo} complains about ${unit.name}; it may not handle it (回避). Choose another unit`);
  const m: DispatchMode = mode ?? (order.handlingMode && order.handlingMode in MODE_LIMITS ? (order.handlingMode as DispatchMode) : 'phone-dispatch');
  return { unit, dispatch: { mode: m, unit: unit.code, ...MODE_LIMITS[m] } };
}

export async function completeTask(d: Deps, taskId: string, by: { role: string; actor: string; unit?: string | null }, decision: TaskDecision): Promise<{ orderNo: string }> {
  const task = /^\d{1,18}$/.test(taskId) ? await d.store.task(taskId) : null;
  // Another role's task, or another unit's, does not exist for this one.
  if (!task || task.role !== by.role || (task.unitCode !== null && task.unitCode !== by.unit)) throw new TaskRefused('TASK_NOT_FOUND', `task ${taskId} does not exist among the ${by.role}'s tasks`);
  if (task.kind !== decision.kind) throw new TaskRefused('TASK_BODY_MISMATCH', `task ${taskId} is a ${task.kind} task; send its decision (see /api/v1/openapi.json)`);
  const done = () => new TaskRefused('TASK_DONE', `task ${taskId} was completed already${task.completedBy ? ` by ${task.completedBy}` : ''}`);
  if (task.status !== 'open') throw done();
  const detail = JSON.parse(task.detail ?? '{}') as Record<string, unknown>;
  return d.store.withOrder(task.orderNo, async (order, tx) => {
    if (!(await tx.completeTask(task.id, by.actor, decision))) throw done();
    await apply(d, task, detail, order, tx, by.actor, decision);
    return { orderNo: task.orderNo };
  });
}

async function apply(d: Deps, task: HumanTaskRow, detail: Record<string, unknown>, order: WorkOrderRow, tx: OrderTx, actor: string, decision: TaskDecision): Promise<void> {
  const orderNo = order.orderNo!;
  const dedupKey = `task:${task.id}`;
  const seq = order.dispatchSeq;
  const returnedBy = String(detail.returnedBy ?? '');
  switch (decision.kind) {
    case 'extension-approval': {
      const dueAt = new Date(String(detail.dueAt));
      await tx.apply(
        orderNo,
        { step: 'extension-decision', actor, note: STEP_NOTES.extensionDecided(decision.approved, chinaTime(dueAt)), detail: { taskId: task.id, approved: decision.approved, dueAt: detail.dueAt, reason: decision.reason }, dedupKey },
        decision.approved ? { dueAt } : {},
        [extensionDecidedMessage(order.correlationId, seq, task.id, { approved: decision.approved, dueAt: decision.approved ? dueAt.toISOString() : null })],
        { transition: 'decideExtension' },
      );
      return;
    }
    case 'coordination': {
      await tx.apply(
        orderNo,
        { step: 'coordination', actor, note: STEP_NOTES.coordinated(decision.outcome), detail: { taskId: task.id, outcome: decision.outcome }, dedupKey },
        {},
        [coordinationRecordedMessage(order.correlationId, task.id, decision.outcome)],
        { transition: 'recordCoordination' },
      );
      return;
    }
    case 'street-review': {
      // 三级: the district reviews its street's answer; approved, it goes up as the district's reply.
      const district = findUnit(d.catalog, order.unitCode ?? '')?.name ?? order.unitCode ?? '';
      const street = String(detail.unitName ?? detail.unit ?? '');
      if (decision.approved) {
        const now = d.now?.() ?? new Date();
        const reply = {
          id: `street-review:${task.id}`,
          unit: order.unitCode,
          result: decision.result ?? String(detail.result ?? ''),
          handledBy: `${street}${detail.handledBy ? `（${String(detail.handledBy)}）` : ''}`,
          repliedAt: now.toISOString(),
          round: roundOf(order.redoCount),
        };
        await tx.apply(
          orderNo,
          { step: 'reply', actor, note: STEP_NOTES.reportedUp(district, street), detail: { ...reply, street: detail.unit, streetReplyId: detail.replyId, taskId: task.id, reason: decision.reason, dispatchSeq: seq }, dedupKey },
          { repliedAt: now },
          [streetReviewedMessage(order.correlationId, seq, task.id, { approved: true, reason: decision.reason }, reply)],
          { transition: 'reportUp' },
        );
      } else {
        await tx.apply(
          orderNo,
          { step: 'street-review', actor, note: STEP_NOTES.streetRejected(district, street, decision.reason), detail: { taskId: task.id, approved: false, reason: decision.reason, unit: detail.unit, dispatchSeq: seq }, dedupKey },
          {},
          [streetReviewedMessage(order.correlationId, seq, task.id, { approved: false, reason: decision.reason })],
          { transition: 'returnToStreet' },
        );
      }
      return;
    }
    case 'reply-review': {
      await tx.apply(
        orderNo,
        { step: 'review', actor, note: STEP_NOTES.reviewed(decision.approved, decision.reason), detail: { taskId: task.id, approved: decision.approved, reason: decision.reason, replyId: detail.replyId }, dedupKey },
        {},
        [replyReviewedMessage(order.correlationId, seq, task.id, { approved: decision.approved, reason: decision.reason })],
        { transition: 'reviewReply' },
      );
      return;
    }
    case 'redispatch': {
      if (decision.action === 'unit') {
        const { unit, dispatch } = chosenDispatch(d, order, decision.unit, decision.mode);
        if (unit.code === returnedBy) throw new TaskRefused('SAME_UNIT', `${unit.name} returned order ${orderNo}; to send it back there, dispute the return (action "dispute") so that a supervisor reviews it`);
        await tx.apply(
          orderNo,
          { step: 'redispatch', actor, note: STEP_NOTES.redispatch(unit.name, decision.reason), detail: { taskId: task.id, ...dispatch, reason: decision.reason }, dedupKey },
          { unitCode: unit.code, handlingMode: dispatch.mode },
          [redispatchMessage(order.correlationId, seq, task.id, { action: 'unit', dispatch })],
          { transition: 'redispatch' },
        );
      } else if (decision.action === 'rules') {
        await tx.apply(
          orderNo,
          { step: 'redispatch', actor, note: STEP_NOTES.redispatchByRules(decision.reason), detail: { taskId: task.id, action: 'rules', reason: decision.reason }, dedupKey },
          {},
          [redispatchMessage(order.correlationId, seq, task.id, { action: 'rules' })],
          { transition: 'redispatchByRules' },
        );
      } else {
        await tx.apply(
          orderNo,
          { step: 'return-disputed', actor, note: STEP_NOTES.disputeReturn(decision.reason), detail: { taskId: task.id, reason: decision.reason }, dedupKey },
          {},
          [redispatchMessage(order.correlationId, seq, task.id, { action: 'dispute' })],
          { transition: 'disputeReturn' },
        );
        // The 2025 State Council opinion asks for a review of dispatch objections: a supervisor decides.
        await tx.openTask({ orderNo, kind: 'return-review', role: 'supervisor', detail: { ...detail, dispute: decision.reason }, dedupKey: `task:${dedupKey}` });
      }
      return;
    }
    case 'return-review': {
      if (decision.decision === 'consult') {
        // 疑难件: hard-case.dmn takes the flag; the model convenes the units (convene-consultation).
        await tx.apply(
          orderNo,
          { step: 'return-review', actor, note: STEP_NOTES.returnToConsultation(decision.reason), detail: { taskId: task.id, decision: 'consult', reason: decision.reason }, dedupKey },
          {},
          [returnReviewedMessage(order.correlationId, seq, task.id, 'consult')],
          { transition: 'referToConsultation' },
        );
        return;
      }
      const { unit, dispatch } =
        decision.decision === 'overrule' ? chosenDispatch(d, order, returnedBy, undefined) : chosenDispatch(d, order, decision.unit, decision.mode);
      if (decision.decision === 'uphold' && unit.code === returnedBy) throw new TaskRefused('SAME_UNIT', `upholding the return sends order ${orderNo} to another unit than ${unit.name}, which returned it; to send it back, overrule the return`);
      await tx.apply(
        orderNo,
        { step: 'return-review', actor, note: STEP_NOTES.returnReviewed(decision.decision === 'uphold', unit.name, decision.reason), detail: { taskId: task.id, decision: decision.decision, ...dispatch, reason: decision.reason }, dedupKey },
        { unitCode: unit.code, handlingMode: dispatch.mode },
        [returnReviewedMessage(order.correlationId, seq, task.id, dispatch)],
        { transition: 'reviewReturn' },
      );
      return;
    }
    case 'instruction-report': {
      // 批示办理情况: the unit's report, to the duty leader on duty; the order moves on as it was.
      const unitName = String(detail.unitName ?? detail.unit ?? '');
      const leader = await dutyLeaderEmail(d, d.now?.() ?? new Date());
      await tx.apply(
        orderNo,
        { step: 'instruction-report', actor, note: `批示办理情况（${unitName}）：${decision.report}`, detail: { taskId: task.id, instructionId: detail.instructionId, leader: detail.leader, report: decision.report, unit: detail.unit }, dedupKey },
        {},
        [{ channel: 'email', destination: leader, payload: { subject: `【批示办理情况】工单 ${orderNo}`, text: `值班领导：\n\n${String(detail.leader)}对工单 ${orderNo} 的批示“${String(detail.text)}”，${unitName}报告办理情况：${decision.report}\n\n12345政务服务便民热线`, orderNo }, dedupKey: `${dedupKey}:email` }],
      );
      return;
    }
    case 'spot-check': {
      // 抽查: the answer passes, or the order reopens as a redo to the unit that gave it (counted against it).
      const verdict = { relevant: decision.relevant, complete: decision.complete, courteous: decision.courteous };
      const failed = failedCriteria(verdict);
      const unitCode = String(detail.unit ?? order.unitCode ?? '');
      const unitName = findUnit(d.catalog, unitCode)?.name ?? unitCode;
      const base = { taskId: task.id, unit: unitCode, replyId: detail.replyId ?? null, ...verdict, note: decision.note };
      if (failed.length === 0) {
        await tx.apply(orderNo, { step: 'spot-check', actor, note: STEP_NOTES.spotCheckPassed(decision.note), detail: { ...base, passed: true }, dedupKey });
        return;
      }
      const mode = order.handlingMode === 'written-dispatch' ? 'written-dispatch' : 'phone-dispatch';
      const dispatch = { mode, unit: unitCode, workingDays: Number(detail.redoWorkingDays ?? MODE_LIMITS[mode].workingDays), minutes: null };
      await tx.apply(
        orderNo,
        { step: 'spot-check', actor, note: STEP_NOTES.spotCheckFailed(failed, unitName, decision.note), detail: { ...base, passed: false, failed, dispatch }, dedupKey },
        { closedAt: null, processInstanceKey: null, unitCode, handlingMode: mode, subUnitCode: null, helperUnits: null },
        [reopenMessage({ ...order, orderNo }, task.id, dispatch)],
        { transition: 'reopen' },
      );
      return;
    }
    case 'consultation': {
      // The consultation's deadline, not the mode's: a hard case gets the longer time it decided.
      const chosen = chosenDispatch(d, order, decision.unit, 'written-dispatch');
      const dispatch = { ...chosen.dispatch, workingDays: decision.workingDays, minutes: null };
      await tx.apply(
        orderNo,
        { step: 'consultation', actor, note: STEP_NOTES.consultationDecided(chosen.unit.name, decision.workingDays, decision.decision), detail: { taskId: task.id, ...dispatch, decision: decision.decision }, dedupKey },
        { unitCode: chosen.unit.code, handlingMode: dispatch.mode },
        [consultationDecidedMessage(order.correlationId, seq, task.id, dispatch)],
        { transition: 'decideConsultation' },
      );
      return;
    }
  }
}
