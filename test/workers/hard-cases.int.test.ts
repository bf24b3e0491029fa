/**
 * 疑难件 on both engines (real Zeebe or Camunda 7, Kafka, MySQL, an SMTP server): an order two units
 * return becomes a hard case by bpmn/hard-case.dmn — marked with its reason, the units that had it
 * and the duty leader convened, a supervisor's consultation task — and the consultation's decision
 * dispatches it to the lead unit with the longer deadline it set, after which it runs to its close
 * as any order; a supervisor reviewing a disputed return makes another one a hard case; the
 * statistics count them apart. A supervisor does both in Chromium.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnit, loadCatalog } from '../../domain/catalog.js';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig, projectRoot } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { freePort, startSmtp, type Mailbox } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';
import { taskFor } from '../support/tasks.js';
import { shot, signIn, useBrowser } from '../support/browser.js';
import path from 'node:path';

interface Order {
  status: string;
  unit: { code: string } | null;
  dueAt: string | null;
  returnCount: number;
  hardCase: { at: string; reason: string } | null;
  history: Array<{ step: string; note: string }>;
}

const catalog = loadCatalog(path.join(projectRoot, 'config/catalog.json'));
const email = (code: string) => findUnit(catalog, code)!.email;
let keys: TestKeys;
let mail: Mailbox;
const chromium = useBrowser();
beforeAll(async () => {
  keys = await makeKeys();
  mail = await startSmtp();
});
afterAll(async () => {
  await mail?.close();
});

describe.each(['zeebe', 'camunda7'] as const)('hard cases on %s', { timeout: 180_000 }, (engine) => {
  let hub: RunningHub;
  let base: string;
  beforeAll(async () => {
    hub = await startHub(loadConfig({ ...process.env, HUB_ENGINE: engine, PORT: String(await freePort()), SMTP_URL: `smtp://127.0.0.1:${mail.port}`, OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false' }), createLogger('error'));
    base = `${hub.url}/api/v1`;
  }, 600_000);
  afterAll(async () => {
    await hub?.close();
  });

  const post = (p: string, body: unknown, token: string) => fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });
  const order = async (orderNo: string): Promise<Order> => (await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(keys.role.supervisor) })).json()) as Order;
  const until = async <T>(what: () => Promise<T>, expected: T) => expect.poll(what, { timeout: 30_000, interval: 200 }).toEqual(expected);
  const complete = (taskId: string, body: unknown, token: string) => post(`/tasks/${taskId}/complete`, body, token);

  async function dispatched(title: string): Promise<string> {
    const res = await post('/orders', { channel: 'phone', type: 'help', category: 'gas-fault', title, description: `${title}，多个部门都说不归自己管`, district: 'heping', address: '和平区疑难路1号', citizen: { name: '疑难测试', phone: '13500135088', confidential: false } }, keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await until(async () => (await order(orderNo)).status, 'dispatched');
    return orderNo;
  }
  const returned = async (orderNo: string, unit: string) => {
    expect((await post(`/orders/${orderNo}/return`, { reason: '不属于本单位职责' }, keys.unit[unit]!)).status).toBe(202);
  };

  it('makes an order two units returned a hard case: marked, the units and the duty leader convened; the consultation dispatches it to the lead unit with its longer deadline, and it closes as any order', async () => {
    const orderNo = await dispatched('小区地下管线归属不明');
    await returned(orderNo, 'gas-group');
    // One return is not a hard case: a dispatcher re-dispatches it.
    const redispatch = await taskFor(base, keys.role.dispatcher, orderNo, 'redispatch');
    expect((await order(orderNo)).hardCase).toBeNull();
    expect((await complete(redispatch.id, { kind: 'redispatch', action: 'unit', unit: 'city-management', reason: '管线属市政' }, keys.role.dispatcher)).status).toBe(200);
    await until(async () => (await order(orderNo)).unit?.code, 'city-management');
    await until(async () => (await order(orderNo)).status, 'dispatched');
    await returned(orderNo, 'city-management');

    await until(async () => (await order(orderNo)).status, 'consulting');
    const o = await order(orderNo);
    expect(o.returnCount).toBe(2);
    expect(o.hardCase?.reason).toBe('两次以上退单，职责不清');
    expect(o.history.find((h) => h.step === 'hard-case')?.note).toBe('疑难件：两次以上退单，职责不清；召集市燃气集团、市城市管理委员会会诊');
    const task = await taskFor(base, keys.role.supervisor, orderNo, 'consultation');
    expect(task.detail).toMatchObject({ reason: '两次以上退单，职责不清', workingDays: 15, units: ['gas-group', 'city-management'] });
    // No dispatcher's task this time: the consultation decides.
    expect(((await (await fetch(`${base}/tasks?orderNo=${orderNo}&kind=redispatch`, { headers: bearer(keys.role.dispatcher) })).json()) as { tasks: unknown[] }).tasks).toHaveLength(0);
    await until(async () => [email('gas-group'), email('city-management'), catalog.centre.dutyLeaderEmail].every((a) => (mail.recipients.get(orderNo) ?? []).includes(a)), true);

    expect((await complete(task.id, { kind: 'consultation', unit: 'city-management', workingDays: 0, decision: '由市城管委牵头' }, keys.role.supervisor)).status, 'a deadline of at least a day').toBe(400);
    expect((await complete(task.id, { kind: 'consultation', unit: 'city-management', workingDays: 20, decision: '由市城管委牵头，燃气集团配合排查' }, keys.unit['gas-group']!)).status, 'a supervisor\'s task does not exist for a unit').toBe(404);
    const before = Date.now();
    expect((await complete(task.id, { kind: 'consultation', unit: 'city-management', workingDays: 20, decision: '由市城管委牵头，燃气集团配合排查' }, keys.role.supervisor)).status).toBe(200);
    await until(async () => (await order(orderNo)).status, 'dispatched');
    const after = await order(orderNo);
    expect(after.unit?.code).toBe('city-management');
    // 20 working days: four weeks at least, holidays aside.
    expect(Date.parse(after.dueAt!) - before, after.dueAt!).toBeGreaterThan(26 * 86_400_000);
    expect(after.history.find((h) => h.step === 'consultation')?.note).toBe('会诊决定：由市城市管理委员会牵头办理，办理时限 20 个工作日：由市城管委牵头，燃气集团配合排查');

    expect((await post(`/orders/${orderNo}/reply`, { result: '已明确管线归属并修复', handledBy: '市政科' }, keys.unit['city-management']!)).status).toBe(202);
    await until(async () => (await order(orderNo)).status, 'awaiting_callback');
    expect((await post(`/orders/${orderNo}/callback`, { satisfaction: 'satisfied', resolved: true }, keys.role['callback-agent'])).status).toBe(202);
    await until(async () => (await order(orderNo)).status, 'closed');
    expect((await order(orderNo)).hardCase, 'a closed hard case stays one').not.toBeNull();
  });

  it('makes an order a hard case when a supervisor reviewing its disputed return says so, and counts the hard cases apart', async () => {
    const from = new Date().toISOString();
    const orderNo = await dispatched('噪声扰民责任不明');
    await returned(orderNo, 'gas-group');
    const redispatch = await taskFor(base, keys.role.dispatcher, orderNo, 'redispatch');
    expect((await complete(redispatch.id, { kind: 'redispatch', action: 'dispute', reason: '燃气集团应当处理' }, keys.role.dispatcher)).status).toBe(200);
    const review = await taskFor(base, keys.role.supervisor, orderNo, 'return-review');
    expect((await complete(review.id, { kind: 'return-review', decision: 'consult', reason: '涉及多个部门，需会诊' }, keys.role.supervisor)).status).toBe(200);
    await until(async () => (await order(orderNo)).status, 'consulting');
    expect((await order(orderNo)).hardCase?.reason).toBe('督办人员认定为疑难件');
    const task = await taskFor(base, keys.role.supervisor, orderNo, 'consultation');
    expect((await complete(task.id, { kind: 'consultation', unit: 'gas-group', workingDays: 15, decision: '燃气集团牵头' }, keys.role.supervisor)).status).toBe(200);
    await until(async () => (await order(orderNo)).status, 'dispatched');
    expect((await order(orderNo)).unit?.code).toBe('gas-group');

    const stats = (await (await fetch(`${base}/statistics?by=district&from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}`, { headers: bearer(keys.role.supervisor) })).json()) as { total: { volume: number; hardCases: number } };
    expect(stats.total).toMatchObject({ volume: 1, hardCases: 1 });
  });

  it.runIf(engine === 'zeebe')('lets a supervisor do both in the browser: 认定为疑难件 at the return review, then the consultation\'s decision on the order\'s page', async () => {
    const orderNo = await dispatched('楼道堆物责任不明');
    await returned(orderNo, 'gas-group');
    const redispatch = await taskFor(base, keys.role.dispatcher, orderNo, 'redispatch');
    expect((await complete(redispatch.id, { kind: 'redispatch', action: 'dispute', reason: '燃气集团应当处理' }, keys.role.dispatcher)).status).toBe(200);
    const review = await taskFor(base, keys.role.supervisor, orderNo, 'return-review');

    const page = await signIn(chromium.browser, hub.url!, keys.role.supervisor);
    await page.goto(`${hub.url}/console/#/orders/${orderNo}`);
    const form = `#task-${review.id}`;
    await page.waitForSelector(form);
    await page.check(`${form} input[name="decision"][value="consult"]`);
    await page.fill(`${form}-reason`, '涉及物业、街道和燃气，需会诊');
    await page.click(`${form} button[type="submit"]`);
    await page.waitForSelector(`${form}-outcome:has-text("已认定为疑难件")`);
    const task = await taskFor(base, keys.role.supervisor, orderNo, 'consultation');
    // Away and back: the order's page is drawn again with the new task.
    await page.goto(`${hub.url}/console/#/tasks`);
    await page.goto(`${hub.url}/console/#/orders/${orderNo}`);
    const decide = `#task-${task.id}`;
    await page.waitForSelector(decide);
    expect(await page.inputValue(`${decide}-workingDays`), 'the table\'s deadline offered').toBe('15');
    await page.selectOption(`${decide}-unit`, 'city-management');
    await page.fill(`${decide}-workingDays`, '18');
    await page.fill(`${decide}-decision`, '市城管委牵头，街道配合清理');
    await shot(page, 'consultation');
    await page.click(`${decide} button[type="submit"]`);
    await page.waitForSelector(`${decide}-outcome:has-text("已记录会诊决定")`);
    await until(async () => (await order(orderNo)).status, 'dispatched');
    expect((await order(orderNo)).unit?.code).toBe('city-management');
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
