/**
 * 领导批示 and 重大事项 on the real stack (Zeebe, Kafka, MySQL, an SMTP server), the hub's clock
 * moved for the report-back deadline (the chase is the hub's own sweep, no engine timer): a request
 * naming a major matter is escalated to the duty leader at intake, flagged and recorded; a leader's
 * instruction recorded by a supervisor reaches the unit, which reports back through its task — in
 * time, the report goes to the duty leader; late, the unit and the duty leader are chased once.
 * Refused on a closed order, for a past deadline, and from a unit. A unit reports in Chromium.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUnit, loadCatalog } from '../../domain/catalog.js';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig, projectRoot } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { DAY } from '../support/clock.js';
import { freePort, startSmtp, type Mailbox } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';
import { taskFor } from '../support/tasks.js';
import { shot, signIn, useBrowser } from '../support/browser.js';

interface Order {
  status: string;
  majorIncident: { kind: string; at: string } | null;
  history: Array<{ step: string; note: string }>;
}

const catalog = loadCatalog(path.join(projectRoot, 'config/catalog.json'));
const gasEmail = findUnit(catalog, 'gas-group')!.email;
const leader = catalog.centre.dutyLeaderEmail;
let keys: TestKeys;
let mail: Mailbox;
let hub: RunningHub;
let base: string;
/** The hub's clock alone, moved past a report-back deadline. */
let offset = 0;
const chromium = useBrowser();

beforeAll(async () => {
  keys = await makeKeys();
  mail = await startSmtp();
  hub = await startHub(loadConfig({ ...process.env, HUB_ENGINE: 'zeebe', PORT: String(await freePort()), SMTP_URL: `smtp://127.0.0.1:${mail.port}`, OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false', TASK_SWEEP_MS: '200' }), createLogger('error'), { now: () => new Date(Date.now() + offset) });
  base = `${hub.url}/api/v1`;
}, 120_000);
afterAll(async () => {
  await hub?.close();
  await mail?.close();
});

const post = (p: string, body: unknown, token: string) => fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });
const order = async (orderNo: string, token = keys.role.supervisor): Promise<Order> => (await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(token) })).json()) as Order;
const until = async <T>(what: () => Promise<T>, expected: T) => expect.poll(what, { timeout: 30_000, interval: 200 }).toEqual(expected);
const mailsTo = (orderNo: string, to: string) => (mail.recipients.get(orderNo) ?? []).filter((r) => r === to).length;

async function take(title: string, description: string): Promise<string> {
  const res = await post('/orders', { channel: 'phone', type: 'help', category: 'gas-fault', title, description, district: 'heping', address: '和平区批示路1号', citizen: { name: '批示测试', phone: '13500135099', confidential: false } }, keys.role['call-taker']);
  expect(res.status).toBe(201);
  const { orderNo } = (await res.json()) as { orderNo: string };
  await until(async () => (await order(orderNo)).status, 'dispatched');
  return orderNo;
}

describe('leaders\' instructions and major matters', { timeout: 180_000 }, () => {
  it('escalates a request naming a major matter to the duty leader at intake, flags and records it; an ordinary one not', async () => {
    const major = await take('小区燃气管道爆炸', '楼下发生爆炸，多人受伤');
    const ordinary = await take('燃气表读数不准', '燃气表走字偏快');
    expect((await order(major)).majorIncident).toMatchObject({ kind: 'public-safety' });
    expect((await order(major)).history.find((h) => h.step === 'major-incident')?.note).toBe('重大事项预警：涉及公共安全（“爆炸”），已报值班领导');
    await until(async () => mailsTo(major, leader), 1);
    expect((await order(ordinary)).majorIncident).toBeNull();
    expect(mailsTo(ordinary, leader)).toBe(0);
    // The unit is not shown the centre's escalation.
    expect((await order(major, keys.unit['gas-group']!)).history.some((h) => h.step === 'major-incident')).toBe(false);
  });

  it('records a leader\'s instruction the unit sees and reports on: in time, to the duty leader; late, chased once, the unit and the duty leader mailed', async () => {
    const inTime = await take('燃气管道老化', '楼道燃气管道锈蚀');
    const late = await take('燃气灶具漏气', '灶具接口漏气');
    const reportBy = new Date(Date.now() + DAY).toISOString();
    const give = (orderNo: string, token = keys.role.supervisor) => post(`/orders/${orderNo}/instructions`, { leader: '王副市长', text: '请燃气集团立即排查，三日内报结果', reportBy }, token);
    expect((await give(inTime)).status).toBe(201);
    expect((await give(late)).status).toBe(201);
    expect((await give(late, keys.unit['gas-group']!)).status, 'a unit does not record instructions').toBe(403);
    expect((await post(`/orders/${late}/instructions`, { leader: '王副市长', text: '请办理', reportBy: new Date(Date.now() - 1000).toISOString() }, keys.role.supervisor)).status).toBe(422);

    // The unit sees it, is mailed, and has the task to report.
    expect((await order(inTime, keys.unit['gas-group']!)).history.find((h) => h.step === 'instruction')?.note).toMatch(/^领导批示（王副市长）：请燃气集团立即排查，三日内报结果；请市燃气集团于 .+ 前报告办理情况$/);
    await until(async () => mailsTo(inTime, gasEmail) >= 2, true); // the dispatch, and the instruction
    const task = await taskFor(base, keys.unit['gas-group']!, inTime, 'instruction-report');
    expect((await post(`/tasks/${task.id}/complete`, { kind: 'instruction-report', report: '已排查，更换管道3处' }, keys.unit['gas-group']!)).status).toBe(200);
    expect((await order(inTime)).history.find((h) => h.step === 'instruction-report')?.note).toBe('批示办理情况（市燃气集团）：已排查，更换管道3处');
    await until(async () => mailsTo(inTime, leader), 1);

    // Past the report-back time: chased once (the sweep runs every 200 ms).
    offset = DAY + 60_000;
    await until(async () => (await order(late)).history.filter((h) => h.step === 'chase-task').length, 1);
    await until(async () => [mailsTo(late, leader), mailsTo(late, gasEmail) >= 3], [1, true]);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await order(late)).history.filter((h) => h.step === 'chase-task'), 'once').toHaveLength(1);
    expect((await order(inTime)).history.some((h) => h.step === 'chase-task'), 'reported in time: never chased').toBe(false);
    offset = 0;
  });

  it('lets the unit report in the browser from its task, and refuses an instruction on a closed order', async () => {
    const orderNo = await take('燃气热水器故障', '热水器点不着');
    expect((await post(`/orders/${orderNo}/instructions`, { leader: '李局长', text: '关注群众冬季用气', reportBy: new Date(Date.now() + DAY).toISOString() }, keys.role.supervisor)).status).toBe(201);
    const task = await taskFor(base, keys.unit['gas-group']!, orderNo, 'instruction-report');
    const page = await signIn(chromium.browser, hub.url!, keys.unit['gas-group']!);
    await page.goto(`${hub.url}/console/#/orders/${orderNo}`);
    const form = `#task-${task.id}`;
    await page.waitForSelector(form);
    await page.fill(`${form}-report`, '已上门维修，恢复使用');
    await shot(page, 'instruction-report');
    await page.click(`${form} button[type="submit"]`);
    await page.waitForSelector(`${form}-outcome:has-text("已报告办理情况")`);
    expect((await order(orderNo)).history.find((h) => h.step === 'instruction-report')?.note).toBe('批示办理情况（市燃气集团）：已上门维修，恢复使用');
    expect(page.errors).toEqual([]);
    await page.close();

    expect((await post(`/orders/${orderNo}/cancel`, { reason: '测试：撤销后不再批示' }, keys.role.supervisor)).status).toBe(200);
    await until(async () => (await order(orderNo)).status, 'cancelled');
    const refused = await post(`/orders/${orderNo}/instructions`, { leader: '李局长', text: '再批示', reportBy: new Date(Date.now() + DAY).toISOString() }, keys.role.supervisor);
    expect(refused.status).toBe(409);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ORDER_DONE');
  });
});
