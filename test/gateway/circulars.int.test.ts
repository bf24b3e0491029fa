/**
 * 通报 and 督办单 on the real stack (Zeebe on the lane's clock broker, Kafka, MySQL, an SMTP server),
 * time moved rather than waited for: a unit that lets its order be chased twice (催签收, then 催办 at
 * the deadline) and still does not answer is named in a circular that a supervisor drafts from the
 * facts, edits and approves; the circular is numbered, recorded on the order (which the unit sees),
 * and mailed to the unit and the duty leader, and is never sent twice. A supervisor's written notice
 * (督办单) on the order: numbered, mailed, once per request. The last of the month's ranking is named
 * too; nothing to name, no circular; other roles may not. A supervisor does both in Chromium.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../domain/deadline.js';
import { findUnit, loadCatalog } from '../../domain/catalog.js';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig, projectRoot } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { DAY, MINUTE, TestClock } from '../support/clock.js';
import { freePort, startSmtp, type Mailbox } from '../support/harness.js';
import { engineMessagesDelivered } from '../support/instances.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';
import { shot, signIn, useBrowser } from '../support/browser.js';

interface Order {
  status: string;
  dueAt: string;
  chaseCount: number;
  supervisedAt: string | null;
  history: Array<{ step: string; note: string }>;
}
interface Circular {
  id: string;
  status: string;
  circularNo: string | null;
  title: string;
  body: string;
  units: Array<{ code: string; name: string }>;
  orders: string[];
  approvedBy: string | null;
}

const METHOD = { name: '测试考核办法', weights: { responseRate: 50, onTimeRate: 50 }, minimumDispatches: 1, circular: { chasedAtLeast: 2, lastRanked: 1, explainWithinWorkingDays: 5 } };
const methodFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'circulars-')), 'assessment.json');
fs.writeFileSync(methodFile, JSON.stringify(METHOD));
const catalog = loadCatalog(path.join(projectRoot, 'config/catalog.json'));

let keys: TestKeys;
let mail: Mailbox;
let hub: RunningHub;
let base: string;
const clock = new TestClock('zeebe');
const chromium = useBrowser();

beforeAll(async () => {
  keys = await makeKeys();
  mail = await startSmtp();
  await clock.begin();
  const config = loadConfig({ ...process.env, HUB_ENGINE: 'zeebe', PORT: String(await freePort()), SMTP_URL: `smtp://127.0.0.1:${mail.port}`, OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false', ASSESSMENT_FILE: methodFile });
  hub = await startHub(config, createLogger('error'), { now: clock.now });
  clock.settleWith(engineMessagesDelivered(hub.store.ds));
  base = `${hub.url}/api/v1`;
}, 600_000);
afterAll(async () => {
  clock.settleWith(undefined);
  await hub?.close();
  await clock.end();
  await mail?.close();
  fs.rmSync(path.dirname(methodFile), { recursive: true, force: true });
});

const post = (p: string, body: unknown, token: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token), ...headers }, body: JSON.stringify(body) });
const get = (p: string, token: string) => fetch(`${base}${p}`, { headers: bearer(token) });
const order = async (orderNo: string, token = keys.role.supervisor): Promise<Order> => (await (await get(`/orders/${orderNo}`, token)).json()) as Order;
const until = async <T>(what: () => Promise<T>, expected: T, timeout = 30_000) => expect.poll(what, { timeout, interval: 200 }).toEqual(expected);
const moveTo = async (at: number) => {
  if (at > clock.now().getTime()) await clock.advance(at - clock.now().getTime());
};

async function dispatched(category: string, title: string): Promise<string> {
  const res = await post('/orders', { channel: 'phone', type: 'help', category, title, description: `${title}，请尽快处理`, district: 'heping', address: '和平区通报路1号', citizen: { name: '通报测试人', phone: '13500135077', confidential: false } }, keys.role['call-taker']);
  expect(res.status).toBe(201);
  const { orderNo } = (await res.json()) as { orderNo: string };
  await until(async () => (await order(orderNo)).status, 'dispatched');
  return orderNo;
}

describe('circulars and supervision notices, time moved', { timeout: 300_000 }, () => {
  let silent: string;
  let prompt: string;

  it('names the unit chased twice that still has not answered, and the last of the month\'s ranking, in a draft a supervisor edits and approves; sent once, numbered, on the order and to the units and the duty leader', async () => {
    silent = await dispatched('gas-fault', '燃气表漏气无人处理');
    prompt = await dispatched('water-outage', '小区停水');
    expect((await post(`/orders/${prompt}/acknowledge`, {}, keys.unit['water-group']!)).status).toBe(202);
    expect((await post(`/orders/${prompt}/reply`, { result: '已恢复供水', handledBy: '抢修队' }, keys.unit['water-group']!)).status).toBe(202);
    // phone-dispatch (bpmn/handling-policy.dmn): 催签收 after 120 minutes, 催办 at the deadline.
    await moveTo(clock.now().getTime() + 121 * MINUTE);
    await until(async () => (await order(silent)).chaseCount, 1);
    expect((await post('/circulars', {}, keys.role.supervisor)).status, 'chased once, and last month ranks nobody: nothing to circulate').toBe(422);
    await moveTo(Date.parse((await order(silent)).dueAt) + MINUTE);
    await until(async () => (await order(silent)).chaseCount, 2);

    const today = chinaDate(clock.now());
    expect((await post('/circulars', { of: today }, keys.unit['gas-group']!)).status, 'a unit does not draft circulars').toBe(403);
    const res = await post('/circulars', { of: today }, keys.role.supervisor);
    expect(res.status).toBe(201);
    const draft = (await res.json()) as Circular;
    expect(draft).toMatchObject({ status: 'draft', circularNo: null, orders: [silent] });
    // The gas group is both chased twice and, with no acknowledgement in time, last of this month's ranking.
    expect(draft.units.map((u) => u.code)).toEqual(['gas-group']);
    expect(draft.body).toContain(`${silent}，燃气故障（和平区）`);
    expect(draft.body).toContain('已催办 2 次');
    expect(draft.body).toMatch(/考核排名末位的单位\n市燃气集团，考核得分 [\d.]+ 分，在 2 个参与排名的单位中列第 2 位。/);
    expect(draft.body).toContain('5个工作日内');
    for (const personal of ['燃气表漏气无人处理', '通报测试人', '13500135077', '通报路']) expect(draft.body, 'no citizen\'s words in a circular every unit named reads').not.toContain(personal);

    const edited = await post(`/circulars/${draft.id}/edit`, { title: draft.title, body: `${draft.body}\n\n（经督办处审核）` }, keys.role.supervisor);
    expect(edited.status).toBe(200);
    const approved = await post(`/circulars/${draft.id}/approve`, {}, keys.role.supervisor);
    expect(approved.status).toBe(200);
    const sent = (await approved.json()) as Circular;
    const year = Number(today.slice(0, 4));
    expect(sent).toMatchObject({ status: 'sent', circularNo: `通报〔${year}〕1号` });
    expect(sent.body.endsWith('（经督办处审核）')).toBe(true);
    expect(sent.approvedBy).toMatch(/^supervisor:/);
    expect((await post(`/circulars/${draft.id}/approve`, {}, keys.role.supervisor)).status, 'sent once').toBe(409);
    expect((await post(`/circulars/${draft.id}/edit`, { title: draft.title, body: draft.body }, keys.role.supervisor)).status, 'a sent circular is not changed').toBe(409);
    expect((await post(`/circulars/${draft.id}/discard`, {}, keys.role.supervisor)).status).toBe(409);

    // To the unit named and to the duty leader, once each.
    await until(async () => [...(mail.byRef.get(`circular:${draft.id}`) ?? [])].sort(), [findUnit(catalog, 'gas-group')!.email, catalog.centre.dutyLeaderEmail].sort());
    // On the order, where the unit sees it too.
    const step = (await order(silent)).history.find((h) => h.step === 'circular')!;
    expect(step.note).toBe(`通报〔${year}〕1号：${sent.title}`);
    expect((await order(silent, keys.unit['gas-group']!)).history.some((h) => h.step === 'circular'), 'the unit sees it was named').toBe(true);
    expect((await order(prompt)).history.some((h) => h.step === 'circular')).toBe(false);

    // A second draft, discarded; the list shows both, newest first; the next one sent is number 2.
    const second = (await (await post('/circulars', { of: today }, keys.role.supervisor)).json()) as Circular;
    expect((await post(`/circulars/${second.id}/discard`, {}, keys.role.supervisor)).status).toBe(200);
    const list = (await (await get('/circulars', keys.role.operator)).json()) as { circulars: Circular[] };
    expect(list.circulars.slice(0, 2).map((c) => [c.id, c.status])).toEqual([[second.id, 'discarded'], [draft.id, 'sent']]);
    const third = (await (await post('/circulars', { of: today }, keys.role.supervisor)).json()) as Circular;
    expect(((await (await post(`/circulars/${third.id}/approve`, {}, keys.role.supervisor)).json()) as Circular).circularNo).toBe(`通报〔${year}〕2号`);
    expect((await get('/circulars/999999999', keys.role.supervisor)).status).toBe(404);
    expect((await post('/circulars/1/edit', { title: '短', body: '' }, keys.role.supervisor)).status).toBe(400);
  });

  it('sends a 督办单 for the order its unit still owes: numbered, mailed to the unit and the duty leader, once per request; refused for a time already past or an order no unit owes', async () => {
    const replyBy = new Date(clock.now().getTime() + DAY).toISOString();
    const mailsBefore = mail.byOrder.get(silent) ?? 0;
    const first = await post(`/orders/${silent}/supervision-notice`, { replyBy, opinion: '请立即派员处理并反馈' }, keys.role.supervisor, { 'Idempotency-Key': 'notice-1' });
    expect(first.status).toBe(201);
    const notice = (await first.json()) as { noticeNo: string; text: string; repeated: boolean };
    expect(notice).toMatchObject({ noticeNo: `${silent}-1`, repeated: false });
    expect(notice.text).toContain('承办单位：市燃气集团');
    expect(notice.text).toContain('督办意见：请立即派员处理并反馈');
    expect(notice.text).toContain('已催办 2 次');
    const again = await post(`/orders/${silent}/supervision-notice`, { replyBy, opinion: '请立即派员处理并反馈' }, keys.role.supervisor, { 'Idempotency-Key': 'notice-1' });
    expect(again.status, 'the same request: the same notice').toBe(200);
    expect(((await again.json()) as { noticeNo: string }).noticeNo).toBe(`${silent}-1`);
    const second = (await (await post(`/orders/${silent}/supervision-notice`, { replyBy, opinion: '再次督办' }, keys.role.supervisor)).json()) as { noticeNo: string };
    expect(second.noticeNo).toBe(`${silent}-2`);
    await until(async () => (mail.byOrder.get(silent) ?? 0) - mailsBefore, 4);
    const o = await order(silent, keys.unit['gas-group']!);
    expect(o.history.filter((h) => h.step === 'supervision-notice').map((h) => h.note.split('：')[0]), 'the unit sees each notice').toEqual([`督办单 ${silent}-1`, `督办单 ${silent}-2`]);
    expect(o.supervisedAt).not.toBeNull();

    expect((await post(`/orders/${silent}/supervision-notice`, { replyBy: new Date(clock.now().getTime() - MINUTE).toISOString(), opinion: '请办理' }, keys.role.supervisor)).status).toBe(422);
    expect((await post(`/orders/${prompt}/supervision-notice`, { replyBy, opinion: '请办理' }, keys.role.supervisor)).status, 'the unit has answered').toBe(409);
    expect((await post(`/orders/${silent}/supervision-notice`, { replyBy, opinion: '请办理' }, keys.unit['gas-group']!)).status).toBe(403);

    // Once answered, the order is no longer owed: a draft of a month nobody ranks in names nobody.
    expect((await post(`/orders/${silent}/reply`, { result: '已更换燃气表', handledBy: '抢修队' }, keys.unit['gas-group']!)).status).toBe(202);
    expect((await post('/circulars', { of: '2020-01-15' }, keys.role.supervisor)).status).toBe(422);
  });

  it('walks a supervisor through both in the browser: 起草, edit and 批准并发送 on the 通报 page; a 督办单 from the order\'s page, ready to print', async () => {
    const late = await dispatched('gas-fault', '燃气管道异味');
    await moveTo(clock.now().getTime() + 121 * MINUTE);
    await until(async () => (await order(late)).chaseCount, 1);
    await moveTo(Date.parse((await order(late)).dueAt) + MINUTE);
    await until(async () => (await order(late)).chaseCount, 2);

    const page = await signIn(chromium.browser, hub.url!, keys.role.supervisor);
    await page.click('#nav a[href="#/circulars"]');
    await page.waitForSelector('#circular-draft');
    await page.fill('#circular-draft-of', chinaDate(clock.now()));
    await page.click('#circular-draft button[type="submit"]');
    await page.waitForSelector('#circular-draft-outcome:has-text("已起草")');
    const form = page.locator('section.circular form').first();
    const id = await page.locator('section.circular').first().getAttribute('data-id');
    expect(await form.locator('textarea').inputValue()).toContain(late);
    await form.locator('textarea').fill(`${await form.locator('textarea').inputValue()}\n\n（经督办处审核，浏览器测试）`);
    await shot(page, 'circular-draft');
    await form.locator('button[value="approve"]').click();
    await page.waitForSelector(`#circular-${id}-outcome:has-text("已批准并发送")`);
    expect(await page.textContent(`#circular-${id}-outcome`)).toMatch(/^已批准并发送：通报〔\d{4}〕3号，已发往市燃气集团和值班领导$/);
    await until(async () => (mail.byRef.get(`circular:${id}`) ?? []).length, 2);
    const sent = (await (await get(`/circulars/${id}`, keys.role.supervisor)).json()) as Circular;
    expect(sent.body.endsWith('（经督办处审核，浏览器测试）')).toBe(true);

    await page.goto(`${hub.url}/console/#/orders/${late}`);
    await page.waitForSelector('#notice');
    // A day ahead of the hub's clock, as a supervisor in Beijing types it.
    const replyBy = new Date(clock.now().getTime() + DAY + 8 * 3600_000).toISOString().slice(0, 16);
    await page.fill('#notice-replyBy', replyBy);
    await page.fill('#notice-opinion', '请立即派员处理并反馈');
    await page.click('#notice button[type="submit"]');
    await page.waitForSelector('#notice-text');
    expect(await page.textContent('#notice-outcome')).toContain(`已发出督办单 ${late}-1`);
    expect(await page.textContent('#notice-text')).toContain(`请于 ${replyBy.replace('T', ' ')}（北京时间） 前办结`);
    await shot(page, 'supervision-notice');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('值班: sends each escalation to the leader on duty when it is raised — a notice in one shift, the 督办 past the deadline in the next', async () => {
    const orderNo = await dispatched('gas-fault', '燃气灶打不着火');
    const [first] = (await hub.store.ds.query("SELECT detail FROM order_history WHERE order_no = ? AND step = 'dispatch' ORDER BY id LIMIT 1", [orderNo])) as Array<{ detail: string }>;
    const escalateAt = Date.parse((JSON.parse(first!.detail) as { escalateAt: string }).escalateAt);
    const shift = (from: number, to: number, name: string) => post('/duty-rota', { startsAt: new Date(from).toISOString(), endsAt: new Date(to).toISOString(), leaderName: name, leaderEmail: `${name}@leaders.example.invalid` }, keys.role.supervisor);
    expect((await shift(clock.now().getTime() - 3600_000, clock.now().getTime() + DAY, 'zhang')).status).toBe(201);
    expect((await shift(escalateAt - 3600_000, escalateAt + 11 * 3600_000, 'li')).status).toBe(201);
    const clash = await shift(escalateAt, escalateAt + 3600_000, 'wang');
    expect(clash.status, 'one leader at a time').toBe(409);
    expect(((await clash.json()) as { error: { code: string } }).error.code).toBe('SHIFT_OVERLAPS');
    expect((await post('/duty-rota', { startsAt: new Date(escalateAt).toISOString(), endsAt: new Date(escalateAt - 1).toISOString(), leaderName: 'x', leaderEmail: 'x@example.invalid' }, keys.role.supervisor)).status).toBe(422);
    expect((await post('/duty-rota', { startsAt: new Date(escalateAt + DAY).toISOString(), endsAt: new Date(escalateAt + 2 * DAY).toISOString(), leaderName: 'u', leaderEmail: 'u@example.invalid' }, keys.unit['gas-group']!)).status, 'a unit does not keep the rota').toBe(403);

    const rota = (await (await get('/duty-rota', keys.role.operator)).json()) as { onDuty: { email: string } | null; shifts: unknown[]; gaps: Array<{ from: string }> };
    expect(rota.onDuty?.email).toBe('zhang@leaders.example.invalid');
    expect(rota.gaps.length, 'after the last shift nobody is on duty: shown as a gap').toBeGreaterThan(0);

    // Now: a notice, to zhang.
    expect((await post(`/orders/${orderNo}/supervision-notice`, { replyBy: new Date(clock.now().getTime() + DAY).toISOString(), opinion: '请尽快办理' }, keys.role.supervisor)).status).toBe(201);
    await until(async () => (mail.recipients.get(orderNo) ?? []).filter((r) => r.endsWith('@leaders.example.invalid')), ['zhang@leaders.example.invalid']);
    // Past the deadline by a day: 督办, to li, who is on duty then.
    await moveTo(escalateAt + MINUTE);
    await until(async () => (await order(orderNo)).history.some((h) => h.step === 'supervise'), true);
    await until(async () => (mail.recipients.get(orderNo) ?? []).filter((r) => r.endsWith('@leaders.example.invalid')), ['zhang@leaders.example.invalid', 'li@leaders.example.invalid']);
    expect(mail.recipients.get(orderNo), 'not the standing address while someone is on duty').not.toContain(catalog.centre.dutyLeaderEmail);

    // The rota in the browser: who is on duty, a shift added by the form, then removed.
    const page = await signIn(chromium.browser, hub.url!, keys.role.supervisor);
    await page.click('#nav a[href="#/rota"]');
    await page.waitForSelector('#on-duty:has-text("当前值班领导：li")');
    const local = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
    await page.fill('#shift-startsAt', local(escalateAt + 11 * 3600_000));
    await page.fill('#shift-endsAt', local(escalateAt + 23 * 3600_000));
    await page.fill('#shift-leaderName', '赵主任');
    await page.fill('#shift-leaderEmail', 'zhao@leaders.example.invalid');
    await page.click('#shift button[type="submit"]');
    await page.waitForSelector('#shift-outcome:has-text("已新增：赵主任")');
    await page.waitForSelector('#shifts td:has-text("赵主任")');
    await shot(page, 'rota');
    await page.fill('#shift-leaderName', '钱主任');
    await page.fill('#shift-leaderEmail', 'qian@leaders.example.invalid');
    await page.click('#shift button[type="submit"]');
    await page.waitForSelector('#shift-outcome:has-text("同一时间只能有一位值班领导")');
    const row = page.locator('#shifts tr', { hasText: '赵主任' });
    await row.locator('button').click();
    await page.waitForSelector('#shifts td:has-text("赵主任")', { state: 'detached' });
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
