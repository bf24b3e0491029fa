/**
 * People's decisions on human tasks (usecases/tasks.ts) and the centre's (assign-order,
 * submit-callback, publish-order) on the order store in memory: who may decide, that a decision
 * and the task's closing are one write, and that a refused decision leaves the task open.
 */
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../domain/catalog.js';
import { completeTask } from '../../usecases/tasks.js';
import { assignOrder } from '../../usecases/assign-order.js';
import { submitCallback } from '../../usecases/submit-callback.js';
import { returnOrder } from '../../usecases/unit-actions.js';
import { MemoryOrderStore } from '../support/memory-store.js';

const catalog = loadCatalog(path.resolve(import.meta.dirname, '../../config/catalog.json'));
const NOW = new Date('2026-12-07T02:00:00Z');
const ORDER = 'GD20261207000002';
const dispatcher = { role: 'dispatcher', actor: 'dispatcher:王' };
const supervisor = { role: 'supervisor', actor: 'supervisor:赵' };

let store: MemoryOrderStore;
const deps = () => ({ store, catalog, now: () => NOW });

/** The order returned by the water group: the dispatcher's task the model then opened (workers/open-redispatch.ts). */
async function returned(): Promise<string> {
  store.put({ orderNo: ORDER, status: 'acknowledged', unitCode: 'water-group', dispatchSeq: 1, handlingMode: 'written-dispatch' });
  await returnOrder(deps(), ORDER, { id: 'ret', unit: 'water-group', unitName: '市水务集团', actor: 'unit:water-group' }, '管网属燃气集团');
  await store.withOrder(ORDER, (_o, tx) => tx.openTask({ orderNo: ORDER, kind: 'redispatch', role: 'dispatcher', detail: { returnedBy: 'water-group', returnedByName: '市水务集团', reason: '管网属燃气集团', dispatchSeq: 1 }, dedupKey: 'task:ret' }));
  const [task] = await store.tasks({ status: 'open', limit: 5 });
  return task!.id;
}

beforeEach(() => {
  store = new MemoryOrderStore(() => NOW);
});

describe('改派: a dispatcher decides on a returned order', () => {
  it('names another unit: the order, the history, the process message and the closed task, together', async () => {
    const id = await returned();
    expect(await completeTask(deps(), id, dispatcher, { kind: 'redispatch', action: 'unit', unit: 'gas-group', reason: '燃气管网' })).toEqual({ orderNo: ORDER });
    expect(store.order(ORDER)).toMatchObject({ status: 'assigned', unitCode: 'gas-group', handlingMode: 'written-dispatch' });
    expect(await store.task(id)).toMatchObject({ status: 'done', completedBy: 'dispatcher:王' });
    expect(store.messages(ORDER).at(-1)).toMatchObject({ channel: 'engine', payload: { variables: expect.objectContaining({ redispatch: expect.objectContaining({ action: 'unit' }) }) } });
  });

  it('refuses the unit that returned it, and the unit complained about; the task stays open and nothing is written', async () => {
    const id = await returned();
    const before = store.steps(ORDER);
    await expect(completeTask(deps(), id, dispatcher, { kind: 'redispatch', action: 'unit', unit: 'water-group', reason: '' })).rejects.toMatchObject({ code: 'SAME_UNIT' });
    store.state.orders[0]!.complainedUnit = 'gas-group';
    await expect(completeTask(deps(), id, dispatcher, { kind: 'redispatch', action: 'unit', unit: 'gas-group', reason: '' })).rejects.toMatchObject({ code: 'CONFLICT_OF_INTEREST' });
    expect(await store.task(id)).toMatchObject({ status: 'open', completedBy: null });
    expect(store.steps(ORDER)).toEqual(before);
  });

  it('disputes the return: a supervisor gets the review, and upholding it may not send the order back to the same unit', async () => {
    const id = await returned();
    await completeTask(deps(), id, dispatcher, { kind: 'redispatch', action: 'dispute', reason: '属于供水管网' });
    expect(store.order(ORDER).status).toBe('return_disputed');
    const [review] = await store.tasks({ role: 'supervisor', status: 'open', limit: 5 });
    expect(review).toMatchObject({ kind: 'return-review' });
    await expect(completeTask(deps(), review!.id, supervisor, { kind: 'return-review', decision: 'uphold', unit: 'water-group', reason: '' })).rejects.toMatchObject({ code: 'SAME_UNIT' });
    await completeTask(deps(), review!.id, supervisor, { kind: 'return-review', decision: 'overrule', reason: '职责属实' });
    expect(store.order(ORDER)).toMatchObject({ status: 'assigned', unitCode: 'water-group' });
  });

  it('another role\'s task does not exist for this one; a decided task is refused; a decision of the wrong kind is refused', async () => {
    const id = await returned();
    await expect(completeTask(deps(), id, supervisor, { kind: 'redispatch', action: 'rules', reason: '' })).rejects.toMatchObject({ code: 'TASK_NOT_FOUND' });
    await expect(completeTask(deps(), id, dispatcher, { kind: 'reply-review', approved: true, reason: '' })).rejects.toMatchObject({ code: 'TASK_BODY_MISMATCH' });
    await completeTask(deps(), id, dispatcher, { kind: 'redispatch', action: 'rules', reason: '' });
    await expect(completeTask(deps(), id, dispatcher, { kind: 'redispatch', action: 'rules', reason: '' })).rejects.toMatchObject({ code: 'TASK_DONE' });
  });

  it('two dispatchers deciding at once: one decision is applied, the other is told the task was done', async () => {
    const id = await returned();
    const out = await Promise.allSettled([
      completeTask(deps(), id, { ...dispatcher, actor: 'dispatcher:甲' }, { kind: 'redispatch', action: 'unit', unit: 'gas-group', reason: '' }),
      completeTask(deps(), id, { ...dispatcher, actor: 'dispatcher:乙' }, { kind: 'redispatch', action: 'rules', reason: '' }),
    ]);
    expect(out.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(out.find((o) => o.status === 'rejected')).toMatchObject({ reason: { code: 'TASK_DONE' } });
    expect(store.steps(ORDER).filter((s) => s === 'redispatch')).toHaveLength(1);
  });
});

describe('人工派单 and 回访 through the store', () => {
  it('assigns an order waiting for a dispatcher; a repeat is a duplicate, a second different assignment is refused', async () => {
    store.put({ orderNo: ORDER, status: 'awaiting_assignment' });
    const ask = { id: 'a1', unit: 'gas-group', mode: 'phone-dispatch' as const, reason: '规则未覆盖' };
    expect(await assignOrder(deps(), ORDER, ask, 'dispatcher:王')).toBe('accepted');
    expect(await assignOrder(deps(), ORDER, ask, 'dispatcher:王')).toBe('duplicate');
    await expect(assignOrder(deps(), ORDER, { ...ask, id: 'a2', unit: 'water-group' }, 'dispatcher:王')).rejects.toMatchObject({ code: 'NOT_AWAITING_ASSIGNMENT' });
    expect(store.order(ORDER)).toMatchObject({ status: 'assigned', unitCode: 'gas-group' });
    expect(store.messages(ORDER)).toHaveLength(1);
  });

  it('records the callback once, on an order waiting for it', async () => {
    store.put({ orderNo: ORDER, status: 'replied' });
    await expect(submitCallback(deps(), ORDER, 'c1', 'satisfied', '', 'callback:李')).rejects.toMatchObject({ code: 'NOT_AWAITING_CALLBACK' });
    store.state.orders[0]!.status = 'awaiting_callback';
    expect(await submitCallback(deps(), ORDER, 'c1', 'unsatisfied', '仍漏水', 'callback:李')).toBe('accepted');
    expect(await submitCallback(deps(), ORDER, 'c1', 'unsatisfied', '仍漏水', 'callback:李')).toBe('duplicate');
    expect(store.order(ORDER)).toMatchObject({ status: 'callback_done', satisfaction: 'unsatisfied' });
  });

  it('takes a callback that reached the citizen as confirming their phone (an app\'s request gets its close notice by SMS then), and keeps an earlier confirmation', async () => {
    store.put({ orderNo: ORDER, status: 'awaiting_callback', citizenPhoneConfirmedAt: null });
    expect(await submitCallback(deps(), ORDER, 'c2', 'satisfied', '', 'callback:李')).toBe('accepted');
    expect(store.order(ORDER).citizenPhoneConfirmedAt).toEqual(NOW);
    const heard = new Date('2026-12-01T02:00:00Z');
    store.put({ orderNo: 'GD20261207000099', status: 'awaiting_callback', citizenPhoneConfirmedAt: heard });
    await submitCallback(deps(), 'GD20261207000099', 'c3', 'satisfied', '', 'callback:李');
    expect(store.order('GD20261207000099').citizenPhoneConfirmedAt).toEqual(heard);
  });
});

describe('抽查: a supervisor\'s quality check of a closed order\'s answer', () => {
  /** The closed order and its spot-check task, as close-order opened it. */
  async function drawn(): Promise<string> {
    store.put({ orderNo: ORDER, status: 'closed', unitCode: 'water-group', handlingMode: 'urgent', redoCount: 0, closedAt: NOW, processInstanceKey: 'pi-1', helperUnits: 'gas-group' });
    await store.withOrder(ORDER, (_o, tx) => tx.openTask({ orderNo: ORDER, kind: 'spot-check', role: 'supervisor', detail: { unit: 'water-group', unitName: '市水务集团', replyId: 'r1', answer: '已转相关部门', redoWorkingDays: 4 }, dedupKey: 'task:close' }));
    const [task] = await store.tasks({ kind: 'spot-check', status: 'open', limit: 5 });
    return task!.id;
  }
  const pass = { kind: 'spot-check' as const, relevant: true, complete: true, courteous: true, note: '' };

  it('passed: recorded for the unit; the order stays closed and nothing goes to the engine', async () => {
    const id = await drawn();
    await completeTask(deps(), id, supervisor, pass);
    expect(store.order(ORDER)).toMatchObject({ status: 'closed', closedAt: NOW });
    expect(store.state.history.at(-1)).toMatchObject({ step: 'spot-check', note: '质检合格', detail: expect.stringContaining('"passed":true') as string });
    expect(store.messages(ORDER)).toEqual([]);
  });

  it('failed: reopened as a redo to the unit that answered, with the policy\'s working days, and a new instance started, in one write', async () => {
    const id = await drawn();
    await completeTask(deps(), id, supervisor, { ...pass, relevant: false, complete: false, note: '未说明处理结果' });
    expect(store.order(ORDER)).toMatchObject({ status: 'redoing', closedAt: null, processInstanceKey: null, unitCode: 'water-group', handlingMode: 'phone-dispatch', helperUnits: null });
    expect(store.state.history.at(-1)).toMatchObject({ step: 'spot-check', note: '质检不合格（答复切题、答复完整）：未说明处理结果；重新打开，退回市水务集团重办' });
    const [start] = store.messages(ORDER);
    expect(start).toMatchObject({
      channel: 'engine',
      payload: {
        name: 'order-reopened',
        start: true,
        correlationKey: expect.stringMatching(new RegExp(`:reopen:${id}$`)) as string,
        variables: expect.objectContaining({ orderNo: ORDER, redoCount: 0, reopened: true, handlingMode: 'phone-dispatch', dispatch: { mode: 'phone-dispatch', unit: 'water-group', workingDays: 4, minutes: null } }),
      },
    });
    await expect(completeTask(deps(), id, supervisor, pass), 'decided once').rejects.toMatchObject({ code: 'TASK_DONE' });
  });

  it('names each criterion that failed in the history the unit reads', async () => {
    const id = await drawn();
    await completeTask(deps(), id, supervisor, { ...pass, courteous: false, note: '语气生硬' });
    expect(store.state.history.at(-1)!.note).toContain('用语文明');
  });
});
