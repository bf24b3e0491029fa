/**
 * Handling an order at the unit (DOMAIN.md §4), on both engines, with time moved rather than
 * waited for: 签收 acknowledge or be chased; 提醒 → 催办 → 督办 as the deadline nears and passes;
 * 退单 and what a dispatcher and a supervisor decide after it; 延期 approved or rejected, with the
 * timers following the decision. Real Zeebe or Camunda 7, Kafka, MySQL and an SMTP server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { Operations } from '../../infra/db/operations.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { DAY, MINUTE, TestClock } from '../support/clock.js';
import { freePort, startSmtp, type Mailbox } from '../support/harness.js';
import { engineMessagesDelivered } from '../support/instances.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';

interface Order {
  status: string;
  catalogueVersion: string | null;
  dueAt: string;
  unit: { code: string } | null;
  chaseCount: number;
  returnCount: number;
  extensionCount: number;
  acknowledgedAt: string | null;
  supervisedAt: string | null;
  history: Array<{ step: string; actor: string; note: string }>;
}
interface Task {
  id: string;
  orderNo: string;
  kind: string;
  detail: Record<string, unknown>;
}

let keys: TestKeys;
let mail: Mailbox;
beforeAll(async () => {
  keys = await makeKeys();
  mail = await startSmtp();
});
afterAll(async () => {
  await mail?.close();
});

describe.each(['zeebe', 'camunda7'] as const)('handling at the unit on %s, time moved', (engine) => {
  const clock = new TestClock(engine);
  let hub: RunningHub;
  let base: string;

  beforeAll(async () => {
    await clock.begin();
    const config = loadConfig({ ...process.env, HUB_ENGINE: engine, PORT: String(await freePort()), SMTP_URL: `smtp://127.0.0.1:${mail.port}`, OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false', TASK_SWEEP_MS: '200', TASK_DUE_MINUTES: '240' });
    hub = await startHub(config, createLogger('error'), { now: clock.now });
    clock.settleWith(engineMessagesDelivered(hub.store.ds));
    base = `${hub.url}/api/v1`;
  }, 600_000);
  afterAll(async () => {
    clock.settleWith(undefined);
    await hub?.close();
    await clock.end();
  });

  const post = (p: string, body: unknown, token: string) =>
    fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });
  const order = async (orderNo: string): Promise<Order> => (await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(keys.role.supervisor) })).json()) as Order;
  const steps = async (orderNo: string, step: string) => (await order(orderNo)).history.filter((h) => h.step === step);
  const until = async <T>(what: () => Promise<T>, expected: T, timeout = 30_000) => expect.poll(what, { timeout, interval: 200 }).toEqual(expected);
  const unit = (code: string) => keys.unit[code]!;

  /** A phone-dispatch order (3 working days) at `unitCode`'s, once the process has dispatched it. */
  async function dispatched(category = 'gas-fault'): Promise<string> {
    const res = await post('/orders', {
      channel: 'phone', type: 'help', category, title: '办理测试', description: '办理测试：燃气表漏气', district: 'heping', address: '和平区测试路1号',
      citizen: { name: '测试人', phone: '13500135000', confidential: false },
    }, keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await until(async () => (await order(orderNo)).status, 'dispatched');
    return orderNo;
  }
  /** Moves both clocks to `minutes` past the given instant. */
  const moveTo = async (at: string | number, minutes = 1) => {
    const target = (typeof at === 'string' ? Date.parse(at) : at) + minutes * MINUTE;
    if (target > clock.now().getTime()) await clock.advance(target - clock.now().getTime());
  };
  /**
   * Waits until the engine has taken a job's completion (its trail entry): the order's step is
   * written before the job completes, and a clock moved a day meanwhile times the job out, so the
   * engine refuses the completion and runs the job again (once the step is done, it records nothing).
   */
  const completed = (orderNo: string, jobType: string) =>
    until(async () => (await new Operations(hub.store.ds).trace(orderNo)).some((e) => e.source === 'job' && e.detail.component === jobType && e.detail.kind === 'job-completed'), true);
  const tasks = async (token: string, orderNo: string): Promise<Task[]> => ((await (await fetch(`${base}/tasks?orderNo=${orderNo}`, { headers: bearer(token) })).json()) as { tasks: Task[] }).tasks;
  /** The order's open task in this role's list (one kind per role per order at a time here). */
  const taskOf = async (orderNo: string, token: string) => {
    await until(async () => (await tasks(token, orderNo)).length > 0, true);
    return (await tasks(token, orderNo))[0]!;
  };

  it('签收: chases a unit that has not acknowledged within the policy\'s time, once, and not one that has', async () => {
    const silent = await dispatched();
    const prompt = await dispatched();
    expect((await post(`/orders/${prompt}/acknowledge`, {}, unit('gas-group'))).status).toBe(202);
    expect((await order(prompt)).status).toBe('acknowledged');
    expect((await post(`/orders/${prompt}/acknowledge`, {}, unit('gas-group'))).status, 'acknowledging again changes nothing').toBe(202);
    // phone-dispatch: acknowledge within 120 minutes (bpmn/handling-policy.dmn).
    await moveTo(clock.now().getTime(), 121);
    await until(async () => (await steps(silent, 'chase-acknowledge')).length, 1);
    const o = await order(silent);
    expect(o.chaseCount, 'a chase counts against the unit').toBe(1);
    expect(o.history.find((h) => h.step === 'chase-acknowledge')!.note).toMatch(/^催签收：市燃气集团未在/);
    await until(async () => mail.byOrder.get(silent) ?? 0, 2); // the dispatch, and the chase
    expect((await steps(prompt, 'chase-acknowledge')).length).toBe(0);
    expect((await order(prompt)).chaseCount).toBe(0);
    expect((await post(`/orders/${silent}/acknowledge`, {}, unit('water-group'))).status, 'another unit\'s order').toBe(404);
  });

  it('提醒 → 催办 → 督办: reminds before the deadline, chases at it, and past it mails the duty leader and flags the order; the late reply is still taken', async () => {
    const orderNo = await dispatched();
    await post(`/orders/${orderNo}/acknowledge`, {}, unit('gas-group'));
    const { dueAt } = await order(orderNo);
    // phone-dispatch: remind a day before, supervise a day after (bpmn/handling-policy.dmn).
    await moveTo(Date.parse(dueAt) - DAY);
    await until(async () => (await steps(orderNo, 'remind')).length, 1);
    expect((await order(orderNo)).chaseCount, 'a reminder is not counted against the unit').toBe(0);
    expect((await steps(orderNo, 'chase')).length).toBe(0);
    await completed(orderNo, 'remind-unit');
    await moveTo(dueAt);
    await until(async () => (await steps(orderNo, 'chase')).length, 1);
    expect((await order(orderNo)).supervisedAt).toBeNull();
    await completed(orderNo, 'chase-order');
    await moveTo(Date.parse(dueAt) + DAY);
    await until(async () => (await steps(orderNo, 'supervise')).length, 1);
    const o = await order(orderNo);
    expect(o.chaseCount).toBe(2);
    expect(o.supervisedAt).not.toBeNull();
    // dispatch, reminder, chase, and supervision to the unit and to the duty leader
    await until(async () => mail.byOrder.get(orderNo) ?? 0, 5);
    expect((await post(`/orders/${orderNo}/reply`, { result: '已更换燃气表', handledBy: '抢修队' }, unit('gas-group'))).status).toBe(202);
    await until(async () => (await order(orderNo)).status, 'awaiting_callback');
    expect((await order(orderNo)).history.map((h) => h.step)).toEqual(expect.arrayContaining(['dispatch', 'acknowledge', 'remind', 'chase', 'supervise', 'reply', 'review', 'callback-requested']));
    // The operator's trace says which timer fired before each of those jobs.
    // (On Zeebe the acknowledgement's timer may fire too while the clock moves: the 签收 test covers that one.)
    await until(async () => (await new Operations(hub.store.ds).trace(orderNo)).filter((e) => e.source === 'timer' && e.detail.timerId !== 'timer-acknowledge').map((e) => e.what), ['timer timer-remind fired: remind-unit ran', 'timer timer-due fired: chase-order ran', 'timer timer-escalate fired: supervise-order ran']);
  });

  it('退单 → 改派: a dispatcher sends a returned order to the unit named, or lets the rules pick again', async () => {
    const named = await dispatched();
    const byRules = await dispatched();
    for (const orderNo of [named, byRules]) {
      expect((await post(`/orders/${orderNo}/return`, { reason: '漏气点在小区红线内，属物业' }, unit('gas-group'))).status).toBe(202);
      await until(async () => (await order(orderNo)).status, 'returned');
      expect((await order(orderNo)).returnCount).toBe(1);
    }
    expect((await order(named)).catalogueVersion, 'the order records which catalogue placed it').toMatch(/^dispatch v\d+$/);
    const t1 = await taskOf(named, keys.role.dispatcher);
    expect(t1.kind).toBe('redispatch');
    expect(t1.detail.reason).toBe('漏气点在小区红线内，属物业');
    expect((await tasks(keys.role.supervisor, named)).some((t) => t.id === t1.id), 'a dispatcher\'s task is not a supervisor\'s').toBe(false);
    const back = await post(`/tasks/${t1.id}/complete`, { kind: 'redispatch', action: 'unit', unit: 'gas-group', reason: '退回' }, keys.role.dispatcher);
    expect(back.status, 'sending it back to the unit that returned it is a dispute, not a re-dispatch').toBe(422);
    const done = await post(`/tasks/${t1.id}/complete`, { kind: 'redispatch', action: 'unit', unit: 'city-management', reason: '小区公共区域，由城管委协调' }, keys.role.dispatcher);
    expect(done.status).toBe(200);
    await until(async () => (await order(named)).unit?.code, 'city-management');
    await until(async () => (await order(named)).status, 'dispatched');
    expect((await post(`/tasks/${t1.id}/complete`, { kind: 'redispatch', action: 'rules', reason: '' }, keys.role.dispatcher)).status, 'a task is decided once').toBe(409);

    const t2 = await taskOf(byRules, keys.role.dispatcher);
    expect((await post(`/tasks/${t2.id}/complete`, { kind: 'redispatch', action: 'rules', reason: '派单目录未改' }, keys.role.dispatcher)).status).toBe(200);
    // The catalogue still names the gas group: it has the order again, on a new dispatch.
    await until(async () => (await steps(byRules, 'dispatch')).length, 2);
    await until(async () => (await order(byRules)).status, 'dispatched');
    expect((await order(byRules)).unit?.code).toBe('gas-group');
    const again = await post(`/orders/${byRules}/return`, { reason: '再次退回' }, unit('gas-group'));
    expect(again.status, 'a unit returns an order once').toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('RETURN_ALREADY_USED');
  });

  it('a person\'s task left open past its deadline is chased once, like a unit, and can still be decided', async () => {
    const orderNo = await dispatched();
    await post(`/orders/${orderNo}/return`, { reason: '不属于本单位' }, unit('gas-group'));
    const t = await taskOf(orderNo, keys.role.dispatcher);
    expect((await steps(orderNo, 'chase-task')).length).toBe(0);
    await moveTo(clock.now().getTime(), 241); // TASK_DUE_MINUTES=240
    await until(async () => (await steps(orderNo, 'chase-task')).length, 1);
    expect((await steps(orderNo, 'chase-task'))[0]!.note).toMatch(/^催办：派单员的改派任务已超过时限/);
    await new Promise((r) => setTimeout(r, 600));
    expect((await steps(orderNo, 'chase-task')).length, 'chased once').toBe(1);
    expect((await post(`/tasks/${t.id}/complete`, { kind: 'redispatch', action: 'unit', unit: 'city-management', reason: '改派' }, keys.role.dispatcher)).status).toBe(200);
    await until(async () => (await order(orderNo)).status, 'dispatched');
  });

  it('退单争议 → 审核: a disputed return goes to a supervisor, who can send the order back to the unit, which must then handle it', async () => {
    const orderNo = await dispatched();
    await post(`/orders/${orderNo}/return`, { reason: '不属于本单位' }, unit('gas-group'));
    const t = await taskOf(orderNo, keys.role.dispatcher);
    expect((await post(`/tasks/${t.id}/complete`, { kind: 'redispatch', action: 'dispute', reason: '燃气表属燃气集团资产' }, keys.role.dispatcher)).status).toBe(200);
    await until(async () => (await order(orderNo)).status, 'return_disputed');
    const review = await taskOf(orderNo, keys.role.supervisor);
    expect(review.kind).toBe('return-review');
    expect(review.detail.dispute).toBe('燃气表属燃气集团资产');
    expect((await post(`/tasks/${review.id}/complete`, { kind: 'return-review', decision: 'overrule', reason: '按派单目录属燃气集团' }, keys.role.supervisor)).status).toBe(200);
    await until(async () => (await steps(orderNo, 'dispatch')).length, 2);
    await until(async () => (await order(orderNo)).status, 'dispatched');
    expect((await order(orderNo)).unit?.code).toBe('gas-group');
    expect((await post(`/orders/${orderNo}/return`, { reason: '仍不属于本单位' }, unit('gas-group'))).status).toBe(409);
    expect((await post(`/orders/${orderNo}/reply`, { result: '已处理', handledBy: '客服' }, unit('gas-group'))).status).toBe(202);
    await until(async () => (await order(orderNo)).status, 'awaiting_callback');
  });

  it('延期: an approved extension moves the deadline and the chase with it; a rejected one keeps both', async () => {
    const approved = await dispatched();
    const rejected = await dispatched();
    const first = (await order(approved)).dueAt;
    const later = new Date(Date.parse(first) + 2 * DAY).toISOString();
    for (const orderNo of [approved, rejected]) {
      const res = await post(`/orders/${orderNo}/extension`, { dueAt: later, reason: '需协调管线停气施工' }, unit('gas-group'));
      expect(res.status).toBe(202);
      await until(async () => (await order(orderNo)).status, 'extension_requested');
      const twice = await post(`/orders/${orderNo}/reply`, { result: '已处理', handledBy: '客服' }, unit('gas-group'));
      expect(((await twice.json()) as { error: { code: string } }).error.code, 'the unit waits for the decision').toBe('EXTENSION_PENDING');
    }
    for (const [orderNo, yes] of [[approved, true], [rejected, false]] as const) {
      const t = await taskOf(orderNo, keys.role.supervisor);
      expect(t.kind).toBe('extension-approval');
      expect(t.detail.dueAt).toBe(later);
      expect((await post(`/tasks/${t.id}/complete`, { kind: 'extension-approval', approved: yes, reason: yes ? '情况属实' : '可先行处置' }, keys.role.supervisor)).status).toBe(200);
      await until(async () => (await order(orderNo)).status, 'acknowledged');
    }
    expect((await order(approved)).dueAt).toBe(later);
    expect((await order(rejected)).dueAt).toBe(first);
    expect((await post(`/orders/${rejected}/extension`, { dueAt: later, reason: '再次申请' }, unit('gas-group'))).status, 'once per dispatch').toBe(409);
    // Past the first deadline: the rejected order is chased, the approved one is not yet.
    await moveTo(first, 5);
    await until(async () => (await steps(rejected, 'chase')).length, 1);
    expect((await steps(approved, 'chase')).length).toBe(0);
    const late = await post(`/orders/${approved}/extension`, { dueAt: new Date(Date.parse(later) + DAY).toISOString(), reason: '再延' }, unit('gas-group'));
    expect(late.status, 'once per dispatch').toBe(409);
    await moveTo(later, 5);
    await until(async () => (await steps(approved, 'chase')).length, 1);
    const tooLate = await post(`/orders/${rejected}/extension`, { dueAt: new Date(Date.parse(later) + 5 * DAY).toISOString(), reason: '超期后申请' }, unit('gas-group'));
    expect(tooLate.status).toBe(409);
  });
});
