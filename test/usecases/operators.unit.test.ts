/**
 * The operators' and process owners' use cases on their ports (usecases/ports.ts), with the order
 * store in memory and fakes of the engine's control, the model versions and the trails: what a
 * cancellation does to the order and who is told, what a deploy checks and records, what a mended
 * dead letter may not change. The engines'
 * side of the same (a real cancel, a real deploy) is test/ops/*.int.test.ts.
 */
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../domain/catalog.js';
import { deployModel, ModelRefused, rollbackModel, type ModelDeps } from '../../usecases/models.js';
import type { Producer } from 'kafkajs';
import { envelope, partnerTopics, unitTopics } from '../../domain/events.js';
import { cancelOrder, DeadLetterRefused, forgedFields, OrderDone, replayDeadLetters } from '../../usecases/operations.js';
import type { AuditEntry, EngineControl, ModelVersion, ModelVersions, StoredMessage, TrailEntry } from '../../usecases/ports.js';
import { MemoryOrderStore } from '../support/memory-store.js';
import { mergeOrder, splitOrder } from '../../usecases/merge-orders.js';

const catalog = loadCatalog(path.resolve(import.meta.dirname, '../../config/catalog.json'));
const NOW = new Date('2026-12-07T02:00:00Z');
const ORDER = 'GD20261207000005';
const cli = { actor: 'ops:陈', source: 'cli' as const };

let store: MemoryOrderStore;
let audit: AuditEntry[];
let trail: TrailEntry[];
let engineCalls: string[];
let engine: EngineControl;

beforeEach(() => {
  store = new MemoryOrderStore(() => NOW);
  audit = [];
  trail = [];
  engineCalls = [];
  engine = {
    name: 'zeebe',
    deploy: async (rs) => (engineCalls.push(`deploy ${rs.map((r) => r.name).join(',')}`), { processes: {}, decisions: { dispatch: 8 } }),
    retryJob: async () => undefined,
    cancelInstance: async (key) => (engineCalls.push(`cancel ${key}`), 'cancelled'),
    migrateInstances: async () => [],
  };
});

describe('合并与拆分: the centre merges an open order into another, and splits a merged call off', () => {
  const INTO = 'GD20261207000009';
  const deps = () => ({ store, ops: { rootInstance: async () => null }, engine, trail: { record: (e: TrailEntry) => void trail.push(e), flush: async () => undefined }, catalog, now: () => NOW, repeats: { sameCaller: { windowMs: 0, minAddressSimilarity: 1 }, otherCallers: null, escalation: [{ repeats: 1, level: 'supervision' as const }] } });
  const by = { actor: 'dispatcher:王' };

  beforeEach(async () => {
    store.put({ orderNo: ORDER, status: 'acknowledged', unitCode: 'gas-group', processInstanceKey: '2251799813685251', dispatchSeq: 1 });
    store.put({ orderNo: INTO, status: 'dispatched', unitCode: 'water-group', dispatchSeq: 1 });
    await store.withOrder(ORDER, (_o, tx) => tx.openTask({ orderNo: ORDER, kind: 'extension-approval', role: 'supervisor', detail: {}, dedupKey: 'task:m' }));
  });

  it('merges: the instance cancelled first, then the order merged with its tasks off the lists and its unit told, the other counting the repeat (and reporting it up at the policy\'s count)', async () => {
    const out = await mergeOrder(deps(), ORDER, INTO, '同一处燃气管道，已由水务集团一并处理', by);
    expect(out).toMatchObject({ orderNo: ORDER, into: INTO, instance: 'cancelled', unitsTold: ['gas-group'], escalated: ['supervision'] });
    expect(engineCalls).toEqual(['cancel 2251799813685251']);
    expect(store.order(ORDER)).toMatchObject({ status: 'merged', mergedInto: INTO });
    expect(await store.tasks({ orderNo: ORDER, status: 'open', limit: 5 })).toEqual([]);
    expect(store.order(INTO).repeatCount).toBe(1);
    expect(store.steps(INTO)).toEqual(['repeat-call', 'repeat-supervision']);
    expect(store.messages(ORDER).filter((m) => m.dedupKey.startsWith('cancel:')).map((m) => m.channel).sort()).toEqual(['email', 'kafka']);
  });

  it('refuses itself, an order that ended, and one merged elsewhere, before the engine is asked', async () => {
    await expect(mergeOrder(deps(), ORDER, ORDER, '同一事项', by)).rejects.toMatchObject({ code: 'SAME_ORDER' });
    store.state.orders.find((o) => o.orderNo === INTO)!.status = 'closed';
    await expect(mergeOrder(deps(), ORDER, INTO, '同一事项', by)).rejects.toMatchObject({ code: 'TARGET_NOT_OPEN' });
    Object.assign(store.state.orders.find((o) => o.orderNo === INTO)!, { status: 'merged', mergedInto: 'GD20261207000001' });
    await expect(mergeOrder(deps(), ORDER, INTO, '同一事项', by)).rejects.toMatchObject({ code: 'TARGET_MERGED', message: expect.stringContaining('GD20261207000001') as string });
    expect(engineCalls).toEqual([]);
    expect(store.order(ORDER).status).toBe('acknowledged');
  });

  it('splits a merged call off: a new instance from the start under a key of its own, the other counting one repeat fewer; a second split is refused', async () => {
    await mergeOrder(deps(), ORDER, INTO, '同一事项', by);
    expect(await splitOrder(deps(), ORDER, '经核实为另一处管道', by)).toEqual({ orderNo: ORDER, from: INTO });
    expect(store.order(ORDER)).toMatchObject({ status: 'accepted', mergedInto: null, processInstanceKey: null });
    expect(store.order(INTO).repeatCount).toBe(0);
    const start = store.messages(ORDER).find((m) => m.channel === 'engine');
    expect(start).toMatchObject({ payload: { name: 'order-accepted', start: true, correlationKey: expect.stringContaining(':split:') as string } });
    await expect(splitOrder(deps(), ORDER, '再次拆分', by)).rejects.toMatchObject({ code: 'NOT_MERGED' });
  });
});

describe('撤销: an operator ends an order where it stands', () => {
  const deps = () => ({ store, ops: { rootInstance: async () => null }, engine, trail: { record: (e: TrailEntry) => void trail.push(e), flush: async () => undefined }, audit: { record: async (e: AuditEntry) => void audit.push(e) }, catalog, now: () => NOW });

  beforeEach(async () => {
    store.put({ orderNo: ORDER, status: 'acknowledged', unitCode: 'water-group', helperUnits: 'gas-group', processInstanceKey: '2251799813685251', dispatchSeq: 1 });
    // An engine message still queued for the instance, and a person's open task.
    await store.applyStep(ORDER, { step: 'extension-request', actor: 'unit', note: '' }, {}, [{ channel: 'engine', destination: 'unit-response', payload: {}, dedupKey: 'engine:x' }], {
      openTask: { orderNo: ORDER, kind: 'extension-approval', role: 'supervisor', detail: {}, dedupKey: 'task:x' },
    });
  });

  it('cancels the instance first, then in one write: the status, the tasks off the lists, the queued engine messages dropped, each unit told', async () => {
    const out = await cancelOrder(deps(), ORDER, '市民撤回诉求', cli);
    expect(engineCalls).toEqual(['cancel 2251799813685251']);
    expect(out).toEqual({ orderNo: ORDER, instance: 'cancelled', tasks: 1, dropped: ['unit-response'], unitsTold: ['water-group', 'gas-group'] });
    expect(store.order(ORDER).status).toBe('cancelled');
    expect(await store.tasks({ status: 'open', limit: 5 })).toEqual([]);
    const told = store.messages(ORDER).filter((m) => m.dedupKey.startsWith('cancel:'));
    expect(told.map((m) => `${m.channel} ${m.dedupKey.split(':')[2]}`).sort()).toEqual(['email gas-group', 'email water-group', 'kafka gas-group', 'kafka water-group']);
    expect(trail).toEqual([expect.objectContaining({ orderNo: ORDER, kind: 'operator', detail: expect.objectContaining({ action: 'cancel', by: 'ops:陈' }) as object })]);
    expect(audit).toEqual([expect.objectContaining({ action: 'cli cancel', target: ORDER })]);
  });

  it('cancelled once the lead has replied, tells the helpers still working on their part, and only them', async () => {
    store.state.orders[0]!.status = 'replied';
    store.state.orders[0]!.helperUnits = 'gas-group,heping-gov,hexi-gov';
    // gas-group answered its part of this dispatch; hexi-gov answered on an earlier one, not this.
    await store.applyStep(ORDER, { step: 'helper-reply', actor: 'unit:gas-group', note: '', detail: { unit: 'gas-group', dispatchSeq: 1 } });
    await store.applyStep(ORDER, { step: 'helper-reply', actor: 'unit:hexi-gov', note: '', detail: { unit: 'hexi-gov', dispatchSeq: 0 } });
    const out = await cancelOrder(deps(), ORDER, '市民撤回诉求', cli);
    expect(out.unitsTold).toEqual(['heping-gov', 'hexi-gov']);
    const told = store.messages(ORDER).filter((m) => m.dedupKey.startsWith('cancel:'));
    expect(told.map((m) => `${m.channel} ${m.dedupKey.split(':')[2]}`).sort()).toEqual(['email heping-gov', 'email hexi-gov', 'kafka heping-gov', 'kafka hexi-gov']);
  });

  it("tells the units of a confidential order that it was cancelled, never the centre's reason nor the title as written", async () => {
    Object.assign(store.state.orders[0]!, { citizenConfidential: true, title: '张三举报邻居违建', category: 'water-outage' });
    await cancelOrder(deps(), ORDER, '张三本人来电撤回，称已与邻居和解', cli);
    const told = store.messages(ORDER).filter((m) => m.dedupKey.startsWith('cancel:'));
    expect(told).toHaveLength(4);
    expect(JSON.stringify(told)).not.toContain('张三');
    expect(JSON.stringify(told)).toContain('热线中心已撤销此工单');
    // The centre's own record keeps the reason.
    expect(store.state.history.at(-1)!.note).toContain('张三本人来电撤回');
  });

  it('110转12345: cancelling an order a line transferred tells the line, with the reason, in the same write', async () => {
    store.state.orders[0]!.channel = 'transfer';
    await store.linkExternal(ORDER, { system: 'police-110', id: 'JJ110-77' });
    await cancelOrder(deps(), ORDER, '110已另行处置', cli);
    const line = store.messages(ORDER).filter((m) => m.destination === 'hub.partner.police-110.handover.v1');
    expect(line).toHaveLength(1);
    expect(line[0]!.payload).toMatchObject({ type: 'partner.transfer-concluded', payload: { incidentId: 'JJ110-77', outcome: 'cancelled', result: '110已另行处置', unitName: null } });
  });

  it('an order already ended is refused, and the engine is not asked', async () => {
    store.state.orders[0]!.status = 'closed';
    await expect(cancelOrder(deps(), ORDER, '重复操作', cli)).rejects.toBeInstanceOf(OrderDone);
    expect(engineCalls).toEqual([]);
  });

  it('an engine that cannot cancel changes nothing here', async () => {
    engine.cancelInstance = async () => {
      throw new Error('Zeebe unavailable');
    };
    await expect(cancelOrder(deps(), ORDER, '市民撤回诉求', cli)).rejects.toThrow('Zeebe unavailable');
    expect(store.order(ORDER).status).toBe('acknowledged');
    expect(await store.tasks({ status: 'open', limit: 5 })).toHaveLength(1);
  });
});

describe('a process owner deploys and rolls back a model', () => {
  let versions: ModelVersion[];
  let problems: string[];
  const decisions: Record<string, number> = { dispatch: 7 };
  const models: ModelVersions = {
    current: async () => new Map([...versions].reverse().map((v) => [v.name, v])),
    history: async (name) => versions.filter((v) => v.name === name).reverse(),
    get: async (id) => versions.find((v) => v.id === id) ?? null,
    record: async (v) => {
      const id = String(versions.length + 1);
      versions.push({ id, name: v.name, content: v.content, sha256: `sha-${v.content}`, source: v.source, repoSha256: v.repoSha256, engine: v.engine, versions: v.versions, deployedBy: v.deployedBy, deployedAt: NOW.toISOString(), note: v.note ?? null });
      return id;
    },
  };
  const deps = (): ModelDeps => ({
    models,
    engine,
    checks: { check: async () => problems, describeChange: async (_n, before, after) => [`${before ?? '-'} → ${after}`] },
    catalog,
    servedTypes: [],
    repoDir: path.resolve(import.meta.dirname, '../../bpmn'),
    audit: { record: async (e) => void audit.push(e) },
    decisions,
  });

  beforeEach(() => {
    versions = [];
    problems = [];
  });

  it('refuses a model the checks find fault with, and deploys nothing', async () => {
    problems = ['rule 3 names unit "no-such-unit"'];
    await expect(deployModel(deps(), 'dispatch.dmn', '<v2/>', cli)).rejects.toBeInstanceOf(ModelRefused);
    await expect(deployModel(deps(), '../etc/passwd', '<v2/>', cli)).rejects.toBeInstanceOf(ModelRefused);
    expect(engineCalls).toEqual([]);
    expect(versions).toEqual([]);
  });

  it('a dry run says what changes and deploys nothing; a deploy records the version, who did it, and the decision versions the workers record', async () => {
    expect(await deployModel(deps(), 'dispatch.dmn', '<v2/>', cli, { dryRun: true })).toMatchObject({ version: null, changes: [expect.stringContaining('<v2/>') as string] });
    expect(engineCalls).toEqual([]);
    const out = await deployModel(deps(), 'dispatch.dmn', '<v2/>', cli, { note: '新增燃气规则' });
    expect(out.version).toMatchObject({ name: 'dispatch.dmn', source: 'deploy', deployedBy: 'ops:陈', note: '新增燃气规则' });
    expect(engineCalls).toEqual(['deploy dispatch.dmn']);
    expect(decisions.dispatch).toBe(8);
    expect(audit).toEqual([expect.objectContaining({ action: 'cli model deploy', target: 'dispatch.dmn' })]);
  });

  it('rolls back to the last version whose content differs, and says when there is none', async () => {
    await expect(rollbackModel(deps(), 'dispatch.dmn', cli)).rejects.toThrow(/no recorded version/);
    await models.record({ name: 'dispatch.dmn', content: '<v1/>', source: 'repo', repoSha256: 'r', engine: 'zeebe', versions: null, deployedBy: 'hub start' });
    await expect(rollbackModel(deps(), 'dispatch.dmn', cli)).rejects.toThrow(/no earlier version/);
    await deployModel(deps(), 'dispatch.dmn', '<v2/>', cli);
    const back = await rollbackModel(deps(), 'dispatch.dmn', cli);
    expect(back.version).toMatchObject({ content: '<v1/>', source: 'rollback', note: 'back to version 1' });
  });
});

describe("an operator's mended copy of a dead letter", () => {
  const reply = envelope('unit.replied', ORDER, { unit: 'water-group', result: '已修复', handledBy: '李工', repliedAt: NOW.toISOString() }, 'water-group-system', { id: 'evt-1' });
  const stored = (value: string | null, topic = unitTopics('water-group').replied): StoredMessage => ({ id: '7', sourceTopic: topic, key: ORDER, value, headers: {} });
  const mend = (o: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) => JSON.stringify({ ...reply, ...o, payload: { ...reply.payload, ...payload } });

  it.each([
    ['its text mended', stored(JSON.stringify(reply).replace('已修复', '已修')), mend({}, { result: '已修复，恢复供水' }), []],
    ['a body cut short, its id unknown: a new id is its own', stored(`{"orderNo":"${ORDER}","type":"unit.replied","payload":`), mend({ id: 'evt-new' }), []],
    ['another unit', stored(JSON.stringify(reply)), mend({}, { unit: 'gas-group' }), ['payload.unit must stay "water-group", not "gas-group"']],
    ['another order', stored(JSON.stringify(reply)), mend({ orderNo: 'GD20261207009999' }), [`orderNo must stay "${ORDER}", not "GD20261207009999"`]],
    ['another event id (a second reply)', stored(JSON.stringify(reply)), mend({ id: 'evt-2' }), ['id must stay "evt-1", not "evt-2"']],
    ['another kind of event', stored(JSON.stringify(reply)), mend({ type: 'unit.returned' }), ['type must stay "unit.replied", not "unit.returned"']],
    ['a body cut short, another unit than its topic\'s', stored(`{"orderNo":"${ORDER}","type":"unit.re`), mend({}, { unit: 'gas-group' }), ['payload.unit must stay "water-group", not "gas-group"']],
    ['a line\'s event turned into another line\'s', { ...stored('{"type":"partner.transferred","payload":{"partner":"police-110"', partnerTopics('police-110').events), key: 'police-110:JJ1' }, JSON.stringify({ id: 'x', type: 'partner.transferred', orderNo: null, payload: { partner: 'fire-119' } }), ['payload.partner must stay "police-110", not "fire-119"']],
  ])('%s', (_what, original, corrected, expected) => {
    expect(forgedFields(original, corrected)).toEqual(expected);
  });

  it('is refused, and nothing sent, when it changes who sent it; a mended text goes, naming the operator', async () => {
    const sent: Array<{ topic: string; messages: Array<{ value: string | null; headers: Record<string, string> }> }> = [];
    const marked: string[][] = [];
    const d = {
      deadLetters: { forReplay: async () => [stored(JSON.stringify(reply))], markReplayed: async (ids: string[]) => void marked.push(ids) },
      producer: async () => ({ send: async (r: (typeof sent)[number]) => void sent.push(r) }) as unknown as Producer,
    };
    await expect(replayDeadLetters(d, ['7'], mend({}, { unit: 'gas-group' }), 'ops:陈')).rejects.toBeInstanceOf(DeadLetterRefused);
    expect([sent, marked]).toEqual([[], []]);
    expect(await replayDeadLetters(d, ['7'], mend({}, { result: '已修复，恢复供水' }), 'ops:陈')).toEqual([{ id: '7', topic: unitTopics('water-group').replied }]);
    expect(sent[0]!.messages[0]!.headers).toMatchObject({ 'dlq-replay-of': '7', 'dlq-corrected': 'true', 'dlq-corrected-by': 'ops:陈' });
    expect(marked).toEqual([['7']]);
  });
});
