/**
 * Job workers on the order store in memory: the variables a job brings (validated as the job loop
 * validates them), what the worker writes, what it answers the process, and that a retried job
 * (same element instance) writes nothing twice and answers as the first time. Which models call
 * them, on both engines, is test/workers/*.int.test.ts.
 */
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../domain/catalog.js';
import { loadCalendar } from '../../infra/calendar.js';
import { loadConfig } from '../../infra/config.js';
import { jobContext, type WorkerDeps } from '../../infra/engine/job-contract.js';
import { createLogger } from '../../infra/log.js';
import { BusinessError } from '../../usecases/errors.js';
import { submitReply } from '../../usecases/submit-reply.js';
import { workers } from '../../workers/index.js';
import { MemoryOrderStore } from '../support/memory-store.js';
import { JOB_NAMES } from '../../domain/text.js';

const catalog = loadCatalog(path.resolve(import.meta.dirname, '../../config/catalog.json'));
/** Monday 7 December 2026, 10:00 in China. */
const NOW = new Date('2026-12-07T02:00:00Z');
const ORDER = 'GD20261207000003';
const policy = { acknowledgeMinutes: 60, remindBeforeMinutes: 1440, escalateAfterMinutes: 0 };

let store: MemoryOrderStore;
let deps: WorkerDeps;
/** The task types this file ran: every registered worker must be among them (see the end). */
const ran = new Set<string>();

/** Runs one job of a task type, as a binding would: variables validated, then the handler. */
async function run(taskType: string, variables: Record<string, unknown>, job: { element?: string; instance?: string } = {}): Promise<Record<string, unknown>> {
  ran.add(taskType);
  const def = workers[taskType]!;
  const vars = def.variables.parse(variables);
  return def.create(deps)(vars, jobContext(taskType, String(variables.orderNo), job.element ?? `el-${taskType}`, job.instance ?? 'pi-1'));
}

beforeEach(() => {
  store = new MemoryOrderStore(() => NOW);
  deps = { store, catalog, calendar: loadCalendar(), config: loadConfig({}), log: createLogger('silent'), now: () => NOW, decisions: { dispatch: 7 } };
});

describe('classify-order: records the dispatch decision and the instance that carries the order', () => {
  const dispatch = { mode: 'phone-dispatch', unit: 'water-group', workingDays: 3, minutes: null };

  it('records the unit, the mode and the catalogue version, and claims the instance', async () => {
    store.put({ orderNo: ORDER });
    expect(await run('classify-order', { orderNo: ORDER, dispatch })).toMatchObject({ needsDispatcher: false, dispatch: { unit: 'water-group' } });
    expect(store.order(ORDER)).toMatchObject({ status: 'accepted', unitCode: 'water-group', handlingMode: 'phone-dispatch', catalogueVersion: 'dispatch v7', processInstanceKey: 'pi-1' });
  });

  it('records the version the engine evaluated, by its copy\'s mark, over what this process deployed last; a mark nobody recorded falls back to that', async () => {
    deps = { ...deps, catalogues: { catalogueVersionOf: async (stamp) => (stamp === '00112233aabbccdd' ? 9 : null) } };
    store.put({ orderNo: ORDER });
    const out = await run('classify-order', { orderNo: ORDER, dispatch: { ...dispatch, catalogueStamp: '00112233aabbccdd' } });
    expect(store.order(ORDER).catalogueVersion).toBe('dispatch v9');
    expect(out.dispatch, 'the mark stays with the decision\'s record, not the process').not.toHaveProperty('catalogueStamp');
    const other = 'GD20261207000099';
    store.put({ orderNo: other });
    await run('classify-order', { orderNo: other, dispatch: { ...dispatch, catalogueStamp: 'ffffffffffffffff' } }, { instance: 'pi-2' });
    expect(store.order(other).catalogueVersion).toBe('dispatch v7');
  });

  it('回避: the unit complained about never gets it; its supervising unit does, or a dispatcher decides', async () => {
    store.put({ orderNo: ORDER, complainedUnit: 'water-group' });
    const out = await run('classify-order', { orderNo: ORDER, dispatch, complainedUnit: 'water-group' });
    const unit = store.order(ORDER).unitCode;
    expect(unit).not.toBe('water-group');
    expect(out.needsDispatcher).toBe(unit === null);
    expect(store.order(ORDER).status).toBe(unit === null ? 'awaiting_assignment' : 'accepted');
  });

  it('a second instance of one order ends as a BPMN error, and the first instance stays recorded', async () => {
    store.put({ orderNo: ORDER });
    await run('classify-order', { orderNo: ORDER, dispatch });
    const second = run('classify-order', { orderNo: ORDER, dispatch }, { element: 'el-2', instance: 'pi-2' });
    await expect(second).rejects.toBeInstanceOf(BusinessError);
    await expect(second).rejects.toMatchObject({ code: 'DUPLICATE_INSTANCE' });
    expect(store.order(ORDER).processInstanceKey).toBe('pi-1');
  });

  it('refuses a decision naming a unit the catalog does not know: a model to correct, not a guess', async () => {
    store.put({ orderNo: ORDER });
    await expect(run('classify-order', { orderNo: ORDER, dispatch: { ...dispatch, unit: 'no-such-unit' } })).rejects.toThrow(/catalog/);
    expect(store.steps(ORDER)).toEqual([]);
  });
});

describe('dispatch-order: sends the order to its unit with its deadline in working days', () => {
  const dispatch = { mode: 'written-dispatch', unit: 'water-group', workingDays: 3, minutes: null };
  beforeEach(() => store.put({ orderNo: ORDER, status: 'accepted', citizenConfidential: true, unitSummary: '反映供水问题', description: '张三家停水，电话13800000000', title: '张三家停水三天', category: 'water-outage' }));

  it('writes the dispatch, the unit\'s Kafka event and its e-mail together, and answers the timers\' instants', async () => {
    const out = await run('dispatch-order', { orderNo: ORDER, dispatch, policy });
    // Three working days from Monday 10:00 China time: the end of Thursday (24:00 China time).
    expect(out).toMatchObject({ dueAt: '2026-12-10T16:00:00Z', dispatchSeq: 1, unit: 'water-group', acknowledged: false });
    expect(store.order(ORDER)).toMatchObject({ status: 'dispatched', unitCode: 'water-group', dispatchSeq: 1, dueAt: new Date('2026-12-10T16:00:00Z') });
    const sent = store.messages(ORDER);
    expect(sent.map((m) => m.channel).sort()).toEqual(['email', 'kafka']);
    // 保密件: the unit reads the call-taker's summary, never the citizen's words or number.
    expect(JSON.stringify(sent)).not.toContain('13800000000');
    expect(JSON.stringify(sent)).toContain('反映供水问题');
    // Nor the title as written, which named the citizen: the event and the mail name the category.
    expect(JSON.stringify(sent)).not.toContain('张三');
    const event = sent.find((m) => m.channel === 'kafka')!.payload as { payload: { title: string } };
    expect(event.payload.title).toBe('保密件：停水');
  });

  it('a retried job writes nothing again and answers the first attempt\'s sequence and instants', async () => {
    const first = await run('dispatch-order', { orderNo: ORDER, dispatch, policy });
    const later = new Date(NOW.getTime() + 3600_000);
    deps = { ...deps, now: () => later };
    expect(await run('dispatch-order', { orderNo: ORDER, dispatch, policy })).toEqual(first);
    expect(store.steps(ORDER)).toEqual(['dispatch']);
    expect(store.messages(ORDER)).toHaveLength(2);
  });

  it('协办: the rule\'s other units are mailed to help, never the unit complained about', async () => {
    store.state.orders[0]!.complainedUnit = 'gas-group';
    const out = await run('dispatch-order', { orderNo: ORDER, dispatch: { ...dispatch, units: 'gas-group,heating-group' }, policy });
    expect(out.helpers).toEqual(['heating-group']);
    expect(store.order(ORDER).helperUnits).toBe('heating-group');
    expect(store.messages(ORDER).filter((m) => m.channel === 'email')).toHaveLength(2);
  });

  it('never dispatches to the unit complained about, whatever the decision says', async () => {
    store.state.orders[0]!.complainedUnit = 'water-group';
    await expect(run('dispatch-order', { orderNo: ORDER, dispatch, policy })).rejects.toThrow(/回避/);
    expect(store.messages(ORDER)).toEqual([]);
  });

  it('refuses variables the model did not give right before touching the order', () => {
    expect(() => workers['dispatch-order']!.variables.parse({ orderNo: ORDER, dispatch: { ...dispatch, workingDays: null }, policy })).toThrow(/workingDays or minutes/);
  });
});

describe('review-reply and redo-order', () => {
  const reply = { id: 'r1', unit: 'water-group', result: '已修复', handledBy: '李工', repliedAt: NOW.toISOString() };

  it('an answer the policy lets through is reviewed by the hub; one it holds opens a supervisor\'s task, once', async () => {
    store.put({ orderNo: ORDER, status: 'replied', dispatchSeq: 1 });
    await run('review-reply', { orderNo: ORDER, reply, reviewPolicy: { manualReview: true }, dispatchSeq: 1 });
    await run('review-reply', { orderNo: ORDER, reply, reviewPolicy: { manualReview: true }, dispatchSeq: 1 });
    expect(await store.tasks({ role: 'supervisor', kind: 'reply-review', limit: 5 })).toHaveLength(1);
    await run('review-reply', { orderNo: ORDER, reply, reviewPolicy: { manualReview: false }, dispatchSeq: 1 }, { element: 'el-auto' });
    expect(store.steps(ORDER)).toEqual(['review-requested', 'review']);
  });

  it('答非所问: an answer the policy would let through goes to a supervisor with the reasons when it does not address the request', async () => {
    const verdicts: string[] = [];
    deps = { ...deps, replyQuality: (request, answer) => (verdicts.push(`${request}|${answer}`), { score: 0.2, low: true, reasons: ['套话：“已转相关部门”，未说明办理措施'], overlap: 0 }) };
    store.put({ orderNo: ORDER, status: 'replied', dispatchSeq: 1, title: '小区停水', description: '停水两天' });
    const out = await run('review-reply', { orderNo: ORDER, reply: { ...reply, result: '已转相关部门' }, reviewPolicy: { manualReview: false }, dispatchSeq: 1 });
    expect(out).toEqual({ replyReview: { manual: true, reasons: ['套话：“已转相关部门”，未说明办理措施'] } });
    expect(verdicts).toEqual(['小区停水\n停水两天|已转相关部门']);
    const [task] = await store.tasks({ role: 'supervisor', kind: 'reply-review', limit: 5 });
    expect(JSON.parse(task!.detail ?? '{}')).toMatchObject({ qualityReasons: ['套话：“已转相关部门”，未说明办理措施'] });
  });

  it('重办 counts the round and answers the next one; a retry counts it once', async () => {
    store.put({ orderNo: ORDER, status: 'callback_done', redoCount: 1 });
    expect(await run('redo-order', { orderNo: ORDER, redoCount: 1 })).toEqual({ redoCount: 2 });
    expect(await run('redo-order', { orderNo: ORDER, redoCount: 1 })).toEqual({ redoCount: 2 });
    expect(store.order(ORDER)).toMatchObject({ status: 'redoing', redoCount: 2 });
  });

  it('抽查不合格: the reopened order\'s new instance is claimed by its redo; a second start of the same reopening ends as a duplicate', async () => {
    store.put({ orderNo: ORDER, status: 'redoing', redoCount: 0, processInstanceKey: null });
    expect(await run('redo-order', { orderNo: ORDER, redoCount: 0, reopened: true }, { instance: 'pi-reopened' })).toEqual({ redoCount: 1 });
    expect(store.order(ORDER)).toMatchObject({ status: 'redoing', redoCount: 1, processInstanceKey: 'pi-reopened' });
    expect(store.state.history.at(-1)).toMatchObject({ step: 'redo', note: '质检不合格，退回承办单位重办' });
    await expect(run('redo-order', { orderNo: ORDER, redoCount: 0, reopened: true }, { element: 'el-2', instance: 'pi-again' })).rejects.toMatchObject({ code: 'DUPLICATE_INSTANCE' });
    expect(store.order(ORDER).redoCount).toBe(1);
  });
});

describe('helper-timeout: a helper that did not answer by the lead\'s deadline', () => {
  const vars = { orderNo: ORDER, helper: 'gas-group', dispatchSeq: 1, helpersDueAt: '2026-12-10T02:00:00Z' };
  const helperReply = { id: 'h1', unit: 'gas-group', unitName: '市燃气集团', result: '已配合', handledBy: '王工', repliedAt: NOW.toISOString() };
  beforeEach(() => store.put({ orderNo: ORDER, status: 'acknowledged', unitCode: 'water-group', helperUnits: 'gas-group', dispatchSeq: 1 }));

  it('is recorded and the helper told; its late answer is then refused', async () => {
    await run('helper-timeout', vars);
    expect(store.steps(ORDER)).toEqual(['helper-timeout']);
    expect(store.messages(ORDER)).toEqual([expect.objectContaining({ channel: 'email', destination: expect.any(String) as string })]);
    await expect(submitReply({ store, catalog }, ORDER, helperReply, 'unit:gas-group')).rejects.toMatchObject({ code: 'HELPER_TIMED_OUT' });
  });

  it('the helper\'s answer arriving while the timeout reads the order: exactly one of the two stands', async () => {
    // The answer commits right after the worker's first read of the order: what it read is stale.
    let answered: Promise<unknown> | undefined;
    for (const m of ['history', 'find', 'historyEntry'] as const) {
      const real = store[m].bind(store) as (x: string) => Promise<unknown>;
      (store as unknown as Record<string, unknown>)[m] = async (x: string) => {
        const v = await real(x);
        if (answered) return v;
        answered = submitReply({ store, catalog }, ORDER, helperReply, 'unit:gas-group').catch((e: unknown) => e);
        await answered;
        return v;
      };
    }
    await run('helper-timeout', vars);
    await answered;
    expect(store.steps(ORDER).filter((s) => s === 'helper-reply' || s === 'helper-timeout')).toHaveLength(1);
  });

  it('an answer that came first stands, and nothing is recorded against the helper', async () => {
    await submitReply({ store, catalog }, ORDER, helperReply, 'unit:gas-group');
    await run('helper-timeout', vars);
    expect(store.steps(ORDER)).toEqual(['helper-reply']);
  });
});

describe('close-order and extend-deadline', () => {
  it('办结 closes the order and tells a citizen who gave (and confirmed) an e-mail address; an unconfirmed address and a confidential caller are told nothing in writing', async () => {
    store.put({ orderNo: ORDER, status: 'callback_done', citizenEmail: 'zhang@example.cn', citizenEmailConfirmedAt: NOW });
    await run('close-order', { orderNo: ORDER });
    expect(store.order(ORDER)).toMatchObject({ status: 'closed', closedAt: NOW });
    expect(store.messages(ORDER).map((m) => m.channel)).toEqual(['email']);
    const unconfirmed = 'GD20261207000005';
    store.put({ orderNo: unconfirmed, status: 'callback_done', citizenEmail: 'wang@example.cn' });
    await run('close-order', { orderNo: unconfirmed });
    expect(store.messages(unconfirmed)).toEqual([]);
    const other = 'GD20261207000004';
    store.put({ orderNo: other, status: 'callback_done', citizenEmail: 'li@example.cn', citizenEmailConfirmedAt: NOW, citizenConfidential: true });
    await run('close-order', { orderNo: other });
    expect(store.messages(other)).toEqual([]);
  });

  it('抽查: a drawn order closes with its supervisor\'s check open in the same step (the unit\'s answer in it); an order not drawn, or without a unit\'s answer, closes alone', async () => {
    const draws: unknown[] = [];
    let drawn = true;
    deps = { ...deps, spotCheck: (o) => (draws.push(o), { share: 0.2, drawn, checkWorkingDays: 3, redoWorkingDays: 5 }) };
    store.put({ orderNo: ORDER, status: 'callback_done', unitCode: 'water-group', category: 'water-outage', satisfaction: 'basically-satisfied', redoCount: 1 });
    await store.applyStep(ORDER, { step: 'reply', actor: 'unit:water-group', note: '答复', detail: { id: 'r1', unit: 'water-group', result: '已修复管道' } });
    await run('close-order', { orderNo: ORDER });
    await run('close-order', { orderNo: ORDER });
    expect(draws[0]).toEqual({ category: 'water-outage', satisfaction: 'basically-satisfied', redoCount: 1 });
    const tasks = await store.tasks({ role: 'supervisor', kind: 'spot-check', limit: 5 });
    expect(tasks, 'a retried close opens it once').toHaveLength(1);
    expect(JSON.parse(tasks[0]!.detail ?? '{}')).toMatchObject({ unit: 'water-group', replyId: 'r1', answer: '已修复管道', share: 0.2, redoWorkingDays: 5 });
    expect(tasks[0]!.dueAt, 'three working days: by the end of Thursday').toEqual(new Date('2026-12-10T16:00:00Z'));
    expect(store.order(ORDER).status).toBe('closed');
    drawn = false;
    const other = 'GD20261207000005';
    store.put({ orderNo: other, status: 'callback_done', unitCode: 'water-group' });
    await store.applyStep(other, { step: 'reply', actor: 'unit:water-group', note: '答复', detail: { id: 'r2', unit: 'water-group', result: '已修复' } });
    await run('close-order', { orderNo: other });
    const answered = 'GD20261207000006';
    drawn = true;
    store.put({ orderNo: answered, status: 'answered' });
    await run('close-order', { orderNo: answered });
    expect(await store.tasks({ role: 'supervisor', kind: 'spot-check', limit: 5 })).toHaveLength(1);
    expect(draws, 'an order without a unit\'s answer is not drawn at all').toHaveLength(3);
  });

  it('110转12345: an order a line transferred tells the line, as it closes, the unit\'s answer and the citizen\'s verdict; another order tells no line', async () => {
    store.put({ orderNo: ORDER, status: 'callback_done', channel: 'transfer', unitCode: 'heping-gov', satisfaction: 'satisfied' });
    await store.linkExternal(ORDER, { system: 'police-110', id: 'JJ110-42' });
    await store.applyStep(ORDER, { step: 'reply', actor: 'unit:heping-gov', note: '答复', detail: { id: 'r1', unit: 'heping-gov', result: '已责令工地停止夜间施工' } });
    await run('close-order', { orderNo: ORDER });
    const told = store.messages(ORDER).filter((m) => m.channel === 'kafka');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ destination: 'hub.partner.police-110.handover.v1', payload: { type: 'partner.transfer-concluded', orderNo: ORDER, payload: { partner: 'police-110', incidentId: 'JJ110-42', outcome: 'closed', result: '已责令工地停止夜间施工', unitName: '和平区人民政府', satisfaction: 'satisfied', concludedAt: NOW.toISOString() } } });
    const other = 'GD20261207000005';
    store.put({ orderNo: other, status: 'callback_done', channel: 'phone', unitCode: 'heping-gov' });
    await store.linkExternal(other, { system: 'digital-city', id: 'DC-1' });
    await run('close-order', { orderNo: other });
    expect(store.messages(other).filter((m) => m.channel === 'kafka')).toEqual([]);
  });

  it('延期 approved: the timers move with the new deadline and acknowledgement is not asked again', async () => {
    const out = await run('extend-deadline', { orderNo: ORDER, policy, extension: { approved: true, dueAt: '2026-12-15T02:00:00Z' } });
    expect(out).toEqual({ dueAt: '2026-12-15T02:00:00Z', remindAt: '2026-12-14T02:00:00Z', escalateAt: '2026-12-15T02:00:00Z', acknowledged: true });
  });
});

describe('the centre\'s other handling modes', () => {
  it('当即答复 cites the knowledge-base entry the call-taker answered from', async () => {
    store.put({ orderNo: ORDER, knowledgeEntryId: '12' });
    deps = { ...deps, knowledge: { find: async (id: string) => ({ id, title: '停水查询办法', body: '', category: null, source: null, createdBy: 'kb', createdAt: NOW, retiredAt: null }) } as never };
    await run('answer-now', { orderNo: ORDER });
    expect(store.order(ORDER).status).toBe('answered');
    expect(store.state.history.at(-1)).toMatchObject({ step: 'answer', note: expect.stringContaining('停水查询办法') as string });
  });

  it('引导 records the advice the caller was given', async () => {
    store.put({ orderNo: ORDER });
    await run('refer-order', { orderNo: ORDER, dispatch: { mode: 'refer', unit: null, workingDays: null, minutes: null, advice: '请向法院起诉' } });
    expect(store.order(ORDER).status).toBe('referred');
    expect(store.state.history.at(-1)!.note).toContain('请向法院起诉');
  });

  it('转阅 mails the unit the call-taker\'s summary of a confidential request, not the citizen\'s words', async () => {
    store.put({ orderNo: ORDER, citizenConfidential: true, unitSummary: '反映执法问题', description: '我叫张三，举报某某', title: '张三举报违建' });
    await run('forward-order', { orderNo: ORDER, dispatch: { mode: 'forward', unit: 'city-management', workingDays: null, minutes: null } });
    expect(store.order(ORDER)).toMatchObject({ status: 'forwarded', unitCode: 'city-management' });
    expect(JSON.stringify(store.messages(ORDER))).not.toContain('张三');
    expect(JSON.stringify(store.messages(ORDER))).toContain('反映执法问题');
  });

  it('协调办理 mails each unit convened (never the one complained about) and opens the supervisor\'s task', async () => {
    store.put({ orderNo: ORDER, complainedUnit: 'gas-group' });
    await run('convene-units', { orderNo: ORDER, dispatch: { mode: 'coordinate', unit: null, workingDays: null, minutes: null, units: 'water-group,gas-group,heating-group' } });
    expect(store.order(ORDER)).toMatchObject({ status: 'coordinating', unitCode: 'water-group' });
    expect(store.messages(ORDER)).toHaveLength(2);
    expect(await store.tasks({ role: 'supervisor', kind: 'coordination', limit: 5 })).toHaveLength(1);
  });

  it('疑难件 marks the hard case with its reason, convenes every unit that had it (not the one complained about) and the duty leader, and opens the consultation task', async () => {
    store.put({ orderNo: ORDER, status: 'returned', complainedUnit: 'gas-group' });
    for (const unit of ['water-group', 'gas-group', 'heating-group', 'water-group']) await store.applyStep(ORDER, { step: 'dispatch', actor: 'hub', note: '派单', detail: { unit }, dedupKey: `test:dispatch:${unit}:${Math.random()}` }, {}, []);
    await run('convene-consultation', { orderNo: ORDER, hardCase: { hardCase: true, reason: '两次以上退单，职责不清', workingDays: 15 } });
    expect(store.order(ORDER)).toMatchObject({ status: 'consulting', hardCaseAt: NOW, hardCaseReason: '两次以上退单，职责不清' });
    expect(store.messages(ORDER).map((m) => m.destination).sort()).toEqual(['duty-leader@hotline.example.invalid', catalog.units.find((u) => u.code === 'heating-group')!.email, catalog.units.find((u) => u.code === 'water-group')!.email].sort());
    const [task] = await store.tasks({ role: 'supervisor', kind: 'consultation', limit: 5 });
    expect(JSON.parse(task!.detail ?? '{}')).toMatchObject({ reason: '两次以上退单，职责不清', workingDays: 15, units: ['water-group', 'heating-group'] });
  });

  it('改派任务 opens the dispatcher\'s task with the unit\'s last return, once however often the job runs', async () => {
    store.put({ orderNo: ORDER, status: 'returned' });
    await store.applyStep(ORDER, { step: 'return', actor: 'unit:water-group', note: '退单', detail: { unit: 'water-group', reason: '不归本单位', dispatchSeq: 2 }, dedupKey: 'test:return' }, {}, []);
    await run('open-redispatch', { orderNo: ORDER });
    await run('open-redispatch', { orderNo: ORDER });
    const tasks = await store.tasks({ role: 'dispatcher', kind: 'redispatch', limit: 5 });
    expect(tasks).toHaveLength(1);
    expect(JSON.parse(tasks[0]!.detail ?? '{}')).toEqual({ returnedBy: 'water-group', returnedByName: '市水务集团', reason: '不归本单位', dispatchSeq: 2 });
  });

  it('回访 is asked for once the reply passed review', async () => {
    store.put({ orderNo: ORDER, status: 'replied' });
    await run('request-callback', { orderNo: ORDER });
    expect(store.order(ORDER).status).toBe('awaiting_callback');
  });

  it('a unit redoing it again and again goes to the duty leader (重办督办)', async () => {
    store.put({ orderNo: ORDER, status: 'redoing', unitCode: 'water-group' });
    await run('supervise-redos', { orderNo: ORDER, redoCount: 2 });
    expect(store.order(ORDER).supervisedAt).toEqual(NOW);
    expect(store.messages(ORDER)).toEqual([expect.objectContaining({ destination: catalog.centre.dutyLeaderEmail })]);
  });
});

describe('the alarms\' timers: each task type raises its alarm for its dispatch', () => {
  it.each([
    ['chase-acknowledge', { acknowledgeBy: '2026-12-07T03:00:00Z' }, 'dispatched', 'chase-acknowledge'],
    ['remind-unit', { remindAt: '2026-12-09T16:00:00Z' }, 'acknowledged', 'remind'],
    ['chase-order', { dueAt: '2026-12-10T16:00:00Z' }, 'acknowledged', 'chase'],
    ['supervise-order', { escalateAt: '2026-12-10T16:00:00Z' }, 'acknowledged', 'supervise'],
    ['escalate-on-site', { dueAt: '2026-12-07T02:30:00Z' }, 'dispatched', 'on-site-overdue'],
    ['chase-progress', { progressDueAt: '2026-12-07T04:00:00Z' }, 'acknowledged', 'chase-progress'],
  ] as const)('%s', async (taskType, at, status, step) => {
    store.put({ orderNo: ORDER, status, unitCode: 'water-group', dispatchSeq: 1, dueAt: new Date('2026-12-10T16:00:00Z'), urgent: taskType === 'escalate-on-site' || taskType === 'chase-progress' });
    await run(taskType, { orderNo: ORDER, dispatchSeq: 1, ...at });
    await run(taskType, { orderNo: ORDER, dispatchSeq: 1, ...at });
    expect(store.steps(ORDER)).toEqual([step]);
  });

  it('紧急件: the next progress report is due from the last report, or from arrival on site', async () => {
    const onSite = new Date('2026-12-07T02:10:00Z');
    store.put({ orderNo: ORDER, status: 'acknowledged', unitCode: 'water-group', dispatchSeq: 1, onSiteAt: onSite, urgent: true });
    const progressPolicy = { ...policy, progressMinutes: 30 };
    expect(await run('plan-progress', { orderNo: ORDER, dispatchSeq: 1, policy: progressPolicy })).toEqual({ progressDueAt: '2026-12-07T02:40:00Z' });
    await store.applyStep(ORDER, { step: 'progress', actor: 'unit', note: '', detail: { dispatchSeq: 1 }, occurredAt: new Date('2026-12-07T02:35:00Z') });
    expect(await run('plan-progress', { orderNo: ORDER, dispatchSeq: 1, policy: progressPolicy })).toEqual({ progressDueAt: '2026-12-07T03:05:00Z' });
  });
});

describe('紧急联动: an order handed to an emergency line', () => {
  const transfer = { partner: 'fire-119', ackSeconds: 120 };

  it('hands it over on the line\'s topic; a retried job answers the first attempt\'s deadline; a second attempt is counted', async () => {
    store.put({ orderNo: ORDER, status: 'accepted' });
    const first = await run('hand-over-emergency', { orderNo: ORDER, emergency: 'fire', emergencyTransfer: transfer });
    expect(first).toEqual({ ackDueAt: new Date(NOW.getTime() + 120_000).toISOString(), handoverAttempt: 1 });
    deps = { ...deps, now: () => new Date(NOW.getTime() + 5000) };
    expect(await run('hand-over-emergency', { orderNo: ORDER, emergency: 'fire', emergencyTransfer: transfer })).toEqual(first);
    expect(await run('hand-over-emergency', { orderNo: ORDER, emergency: 'fire', emergencyTransfer: transfer, handoverAttempt: 1 }, { element: 'el-again' })).toMatchObject({ handoverAttempt: 2 });
    expect(store.order(ORDER)).toMatchObject({ status: 'handed_over', partnerCode: 'fire-119' });
    expect(store.messages(ORDER).map((m) => m.destination)).toEqual(['hub.partner.fire-119.handover.v1', 'hub.partner.fire-119.handover.v1']);
  });

  it('an acknowledgement that did not come in time goes to the duty leader; the line\'s taking it closes the order', async () => {
    store.put({ orderNo: ORDER, status: 'handed_over', partnerCode: 'fire-119' });
    await run('alert-emergency', { orderNo: ORDER, emergencyTransfer: transfer, handoverAttempt: 1, ackDueAt: '2026-12-07T02:02:00Z' });
    expect(store.messages(ORDER)).toEqual([expect.objectContaining({ destination: catalog.centre.dutyLeaderEmail })]);
    await run('close-transferred', { orderNo: ORDER, emergencyTransfer: transfer, partnerAck: { partner: 'fire-119', incidentId: 'HJ001' } });
    expect(store.order(ORDER)).toMatchObject({ status: 'transferred', closedAt: NOW });
  });

  it('a line the catalog does not list is a model to correct, and nothing is sent', async () => {
    store.put({ orderNo: ORDER, status: 'accepted' });
    await expect(run('hand-over-emergency', { orderNo: ORDER, emergencyTransfer: { partner: 'no-line', ackSeconds: 60 } })).rejects.toThrow(/partners/);
    expect(store.messages(ORDER)).toEqual([]);
  });
});

afterAll(() => {
  // Every worker the registry serves has a unit test here.
  expect([...ran].sort()).toEqual(Object.keys(workers).sort());
});

describe('every worker has a name in Chinese', () => {
  it('is named in JOB_NAMES (what an operator reads on a trace), and JOB_NAMES names no job without a worker', () => {
    expect(Object.keys(JOB_NAMES).sort()).toEqual(Object.keys(workers).sort());
  });
});
