/**
 * 抽查 (质检) on both engines (real Zeebe or Camunda 7, Kafka, MySQL): with every closing order
 * drawn (SPOT_CHECK_FILE, share 1), a closed order's answer waits for a supervisor's check. Passed,
 * it stays closed. Failed, the order reopens at work-order's second start event — a new instance,
 * a redo to the unit that answered with the policy's working days — and runs to its close again,
 * where it is drawn again; the unit sees the check in its history, and the statistics count the
 * checks, the failure and the redo against that unit. A supervisor fails one in Chromium.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { freePort } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';
import { taskFor } from '../support/tasks.js';
import { shot, signIn, useBrowser } from '../support/browser.js';

interface Order {
  status: string;
  unit: { code: string } | null;
  dueAt: string | null;
  history: Array<{ step: string; note: string }>;
}

let keys: TestKeys;
let dir: string;
const chromium = useBrowser();
beforeAll(async () => {
  keys = await makeKeys();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spot-checks-'));
  fs.writeFileSync(path.join(dir, 'spot-checks.json'), JSON.stringify({ share: 1, checkWorkingDays: 2, redoWorkingDays: 4 }));
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.each(['zeebe', 'camunda7'] as const)('spot checks on %s', { timeout: 180_000 }, (engine) => {
  let hub: RunningHub;
  let base: string;
  beforeAll(async () => {
    hub = await startHub(loadConfig({ ...process.env, HUB_ENGINE: engine, PORT: String(await freePort()), OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false', SPOT_CHECK_FILE: path.join(dir, 'spot-checks.json') }), createLogger('error'));
    base = `${hub.url}/api/v1`;
  }, 600_000);
  afterAll(async () => {
    await hub?.close();
  });
  const post = (p: string, body: unknown, token: string) => fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });
  const order = async (orderNo: string, token = keys.role.supervisor): Promise<Order> => (await (await fetch(`${base}/orders/${orderNo}`, { headers: bearer(token) })).json()) as Order;
  const until = <T>(what: () => Promise<T>, expected: T) => expect.poll(what, { timeout: 30_000, interval: 200 }).toEqual(expected);
  const complete = (taskId: string, body: unknown, token = keys.role.supervisor) => post(`/tasks/${taskId}/complete`, body, token);
  const pass = { kind: 'spot-check', relevant: true, complete: true, courteous: true };

  /** A help request (its answer goes on to the callback by itself), answered by the water group and closed. */
  async function opened(title: string): Promise<string> {
    const res = await post('/orders', { channel: 'phone', type: 'help', category: 'water-outage', title, description: `${title}，已经两天了`, district: 'hexi', address: '河西区质检路3号', citizen: { name: '质检测试', phone: '13500135123', confidential: false } }, keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await until(async () => (await order(orderNo)).status, 'dispatched');
    return orderNo;
  }
  async function closed(orderNo: string, result: string, satisfaction = 'satisfied'): Promise<void> {
    expect((await post(`/orders/${orderNo}/reply`, { result, handledBy: '供水所' }, keys.unit['water-group']!)).status).toBe(202);
    await until(async () => (await order(orderNo)).status, 'awaiting_callback');
    expect((await post(`/orders/${orderNo}/callback`, { satisfaction }, keys.role['callback-agent'])).status).toBe(202);
    await until(async () => (await order(orderNo)).status, 'closed');
  }

  it('keeps a passed order closed; reopens a failed one as a redo to its unit in a new instance, which closes again and is drawn again; both count against the unit', async () => {
    const from = new Date().toISOString();
    const kept = await opened('小区水压低');
    await closed(kept, '经查为加压泵故障，已于当日更换水泵，水压恢复正常。');
    const keptCheck = await taskFor(base, keys.role.supervisor, kept, 'spot-check');
    expect(keptCheck.detail).toMatchObject({ unit: 'water-group', answer: '经查为加压泵故障，已于当日更换水泵，水压恢复正常。', satisfaction: 'satisfied', share: 1 });
    expect((await complete(keptCheck.id, pass)).status).toBe(200);
    expect((await complete(keptCheck.id, pass)).status, 'decided once').toBe(409);
    expect((await order(kept)).status).toBe('closed');
    expect((await order(kept)).history.at(-1)).toMatchObject({ step: 'spot-check', note: '质检合格' });

    const failed = await opened('小区停水无通知');
    await closed(failed, '已处理。', 'basically-satisfied');
    const firstInstance = (await hub.store.find(failed))!.processInstanceKey;
    const check = await taskFor(base, keys.role.supervisor, failed, 'spot-check');
    const refused = await complete(check.id, { ...pass, relevant: false });
    expect(refused.status, 'a failed check says why').toBe(400);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain('note');
    expect((await complete(check.id, { ...pass, relevant: false, complete: false, note: '未说明停水原因和恢复时间' }, keys.role.dispatcher)).status, 'a supervisor\'s task').toBe(404);
    const before = Date.now();
    expect((await complete(check.id, { ...pass, relevant: false, complete: false, note: '未说明停水原因和恢复时间' })).status).toBe(200);

    await until(async () => (await order(failed)).status, 'dispatched');
    const reopened = await order(failed);
    expect(reopened.unit?.code).toBe('water-group');
    // Four working days: at least four days on, at most four working days and a holiday week.
    expect(Date.parse(reopened.dueAt!) - before).toBeGreaterThan(4 * 86_400_000 - 3600_000);
    expect(reopened.history.map((h) => h.step).slice(-3)).toEqual(['spot-check', 'redo', 'dispatch']);
    expect(reopened.history.find((h) => h.step === 'redo' && h.note.startsWith('质检'))?.note).toBe('质检不合格，退回承办单位重办');
    const secondInstance = (await hub.store.find(failed))!.processInstanceKey;
    expect(secondInstance, 'a new instance carries the reopened order').not.toBe(firstInstance);
    expect(secondInstance).toMatch(/\S/);
    // The unit sees why it has the order again.
    const unitView = await order(failed, keys.unit['water-group']!);
    expect(unitView.history.find((h) => h.step === 'spot-check')?.note).toBe('质检不合格（答复切题、答复完整）：未说明停水原因和恢复时间；重新打开，退回市水务集团重办');

    await closed(failed, '经查为友谊路主管线破裂，已于12月7日14时修复并恢复供水，已在小区张贴说明。');
    const again = await taskFor(base, keys.role.supervisor, failed, 'spot-check');
    expect(again.id).not.toBe(check.id);
    expect((await complete(again.id, pass)).status).toBe(200);
    expect((await order(failed)).status).toBe('closed');

    const stats = (await (await fetch(`${base}/statistics?by=unit&from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(Date.now() + 1000).toISOString())}`, { headers: bearer(keys.role.supervisor) })).json()) as { rows: Array<{ key: string; spotChecks: number; spotChecksFailed: number; spotCheckFailRate: number; redos: number }> };
    expect(stats.rows.find((r) => r.key === 'water-group')).toMatchObject({ spotChecks: 3, spotChecksFailed: 1, spotCheckFailRate: 0.3333, redos: 1 });
  });

  it.runIf(engine === 'zeebe')('lets a supervisor fail a check in the browser: the order goes back to its unit', async () => {
    const orderNo = await opened('路灯不亮');
    await closed(orderNo, '已转相关部门。');
    const check = await taskFor(base, keys.role.supervisor, orderNo, 'spot-check');
    const page = await signIn(chromium.browser, hub.url!, keys.role.supervisor);
    await page.goto(`${hub.url}/console/#/orders/${orderNo}`);
    const form = `#task-${check.id}`;
    await page.waitForSelector(form);
    await page.uncheck(`${form} input[name="relevant"]`);
    await page.fill(`${form}-note`, '套话，未说明路灯是否修复');
    await shot(page, 'spot-check');
    await page.click(`${form} button[type="submit"]`);
    await page.waitForSelector(`${form}-outcome:has-text("质检不合格")`);
    await until(async () => (await order(orderNo)).status, 'dispatched');
    expect(page.errors).toEqual([]);
    await page.close();
  });
});
