/**
 * The console in a real browser (Debian's Chromium, driven by playwright-core; the test installs
 * Chromium when the machine lacks it) against the real stack: an operator signs in with a key, sees
 * on the stuck board the order whose worker failed for good, mends it and presses 重试, and the
 * order moves on; its page shows the path on the BPMN diagram and the whole trace. A process owner
 * edits the dispatch table in the browser (dmn-js), deploys it, the next order goes to the new
 * unit, and a rollback from the history brings the old one back. The dashboard draws its chart;
 * the 考核 page ranks the units and exports the report.
 * Screenshots of each screen are kept in test/console/artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../domain/deadline.js';
import { findUnit, loadCatalog } from '../../domain/catalog.js';
import { DONE_STATUSES } from '../../domain/order.js';
import { projectRoot } from '../../infra/config.js';
import { ModelStore } from '../../infra/db/models.js';
import { modelChecks } from '../../infra/engine/model-checks.js';
import { workers } from '../../workers/index.js';
import { shot, signIn as signInTo, useBrowser } from '../support/browser.js';
import { useEngineHub, useKeysAndMail } from '../support/engine-hub.js';
import { readDispatched } from '../support/harness.js';
import { withBrokenClassify } from '../support/ops.js';
import { taskFor } from '../support/tasks.js';

const fx = useKeysAndMail();
const broken = { now: false };
const patched = withBrokenClassify(broken);
const h = useEngineHub('zeebe', { mail: () => fx.mail, workers: patched });
const chromium = useBrowser();
afterAll(async () => {
  // The next hub runs the repository's dispatch table, whatever happened here.
  const store = new ModelStore(h.hub.store.ds);
  const original = fs.readFileSync(path.join(projectRoot, 'bpmn/dispatch.dmn'), 'utf8');
  if ((await store.current()).get('dispatch.dmn')?.content !== original) {
    const { deployModel } = await import('../../usecases/models.js');
    const { createEngine } = await import('../../infra/engine/engine.js');
    const engine = await createEngine(h.config, h.hub.log);
    await deployModel({ models: store, engine, checks: modelChecks, catalog: (await import('../../domain/catalog.js')).loadCatalog(path.join(projectRoot, h.config.CATALOG_FILE)), servedTypes: Object.keys(workers), repoDir: path.join(projectRoot, 'bpmn'), audit: { record: async () => undefined } as never }, 'dispatch.dmn', original, { actor: 'test cleanup', source: 'cli' });
    await engine.close();
  }
});

const signIn = (key: string) => signInTo(chromium.browser, h.hub.url!, key);
const noise = async (title: string): Promise<string> => {
  const res = await h.post('/orders', { channel: 'phone', type: 'complaint', category: 'noise', title, description: `${title}，影响休息`, district: 'hexi', address: '河西区友谊路70号', urgent: false, citizen: { name: '控制台测试', phone: '13500135030', confidential: false } }, fx.keys.role['call-taker']);
  expect(res.status).toBe(201);
  const { orderNo } = (await res.json()) as { orderNo: string };
  return orderNo;
};
const unitName = (code: string): string => findUnit(loadCatalog(path.join(projectRoot, h.config.CATALOG_FILE)), code)!.name;
const order = async (orderNo: string) => (await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as { status: string; unit: { code: string } | null; dueAt: string | null };

describe('the console in Chromium', { timeout: 180_000 }, () => {
  it('shows an operator the order whose worker failed for good; 重试 once mended moves it on, and its page shows the path and the trace', async () => {
    broken.now = true;
    const orderNo = await noise('控制台：夜间噪声');
    await h.until(async () => ((await (await h.get('/stuck', fx.keys.role.operator)).json()) as { items: Array<{ orderNo: string; reason: string }> }).items.some((i) => i.orderNo === orderNo && i.reason === 'incident'), true, 60_000);
    const page = await signIn(fx.keys.role.operator);
    await page.goto(`${h.hub.url}/console/#/stuck`);
    const row = page.locator(`#stuck tr[data-order="${orderNo}"][data-reason="incident"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('分类规则服务配置错误');
    await shot(page, 'stuck-board');
    // Its page shows the incident on the diagram, by sign and in words.
    await page.goto(`${h.hub.url}/console/#/orders/${orderNo}`);
    await page.waitForSelector('#diagram [data-element-id="classify-order"].hub-incident');
    expect(await page.textContent('#diagram-text')).toContain('故障：分类');
    await shot(page, 'order-incident');
    await page.goto(`${h.hub.url}/console/#/stuck`);
    await row.waitFor();
    broken.now = false; // mended
    await row.locator('button').click();
    await row.locator('.result.ok').waitFor();
    await h.until(async () => (await order(orderNo)).status, 'dispatched', 60_000);
    // The trail is written a quarter second behind the work: the page draws what it holds.
    const dispatchTrailed = async () => ((await (await h.get(`/orders/${orderNo}/trace`, fx.keys.role.operator)).json()) as { entries: Array<{ source: string; detail: { elementId?: string } }> }).entries.some((e) => e.source === 'job' && e.detail.elementId === 'dispatch-order');
    await h.until(dispatchTrailed, true, 30_000);

    await page.goto(`${h.hub.url}/console/#/orders/${orderNo}`);
    await page.waitForSelector('#trace tbody tr');
    await page.waitForSelector('#diagram .hub-done');
    expect(await page.textContent('#order-status')).toBe('已派单');
    expect(await page.textContent('tr:has(td[data-step="dispatch"]) td[data-actor]'), 'the hub dispatched it, in words').toBe('系统');
    expect(await page.locator('#diagram .hub-done').count()).toBeGreaterThanOrEqual(1);
    // The version the instance runs; the path through the DMN decisions and gateways the hub saw no job of.
    expect(await page.textContent('#diagram-version')).toMatch(/^本工单运行的版本：第 \d+ 版/);
    for (const passed of ['decide-emergency', 'gw-emergency', 'decide-dispatch', 'classify-order', 'gw-mode']) await page.waitForSelector(`#diagram [data-element-id="${passed}"].hub-done`);
    expect(await page.locator('#diagram .hub-flow').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('#diagram [data-element-id="answer-now"].hub-done').count(), 'the branch not taken').toBe(0);
    expect(await page.textContent('#diagram-text')).toContain('已经过：');
    // The call activity opens, in place, the process it called: the dispatch done, and the order there now.
    await page.click('#diagram [data-element-id="dispatch-and-handle"]');
    await page.waitForSelector('#diagram [data-element-id="dispatch-order"].hub-current');
    expect(await page.inputValue('#diagram-process')).toBe('handle-order');
    // The trace in Chinese: the operator's retry, the jobs by their names.
    expect(await page.textContent('#trace tr[data-source="operator"]')).toContain('重试（运维）');
    expect(await page.textContent('#trace')).toContain('任务“分类”完成');
    await shot(page, 'order-page');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('lets a process owner edit the dispatch table in the browser and deploy it: the next order goes to the new unit; a rollback from the history brings the old one back', async () => {
    const page = await signIn(fx.keys.role['process-owner']);
    await page.goto(`${h.hub.url}/console/#/rules/dispatch.dmn`);
    await page.waitForSelector('#dmn td');
    expect(await page.textContent('h2'), 'the version and who deployed it, in words').toMatch(/^派单规则（版本 \d+，平台启动时部署，\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}）$/);
    const cell = page.locator('td[data-row-id="rule-17"][data-col-id="output-unit"] [contenteditable]');
    await cell.waitFor();
    expect((await cell.textContent())?.trim()).toBe('"hexi-gov"');
    await cell.click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('"city-management"');
    await page.fill('#note', '河西区噪声改由市城管委承办');
    await page.click('#check');
    await page.waitForSelector('#changes:not([hidden])');
    expect(await page.textContent('#changes')).toContain('~ dispatch rule rule-17: 承办单位 unit: "hexi-gov" → "city-management"');
    await shot(page, 'rules-checked');
    await page.click('#deploy');
    await page.waitForSelector('#changes:has-text("已部署为版本")');
    await shot(page, 'rules-deployed');
    const after = await noise('控制台：规则修改后');
    await h.until(async () => (await order(after)).status, 'dispatched', 60_000);
    expect((await order(after)).unit!.code).toBe('city-management');

    await page.waitForSelector('#history button[data-to]');
    await page.locator('#history button[data-to]').first().click();
    await page.waitForSelector('#changes:has-text("已回滚")');
    await shot(page, 'rules-rolled-back');
    const back = await noise('控制台：回滚后');
    await h.until(async () => (await order(back)).status, 'dispatched', 60_000);
    expect((await order(back)).unit!.code).toBe('hexi-gov');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('shows the dispatch table to an operator in the viewer: read, not edited', async () => {
    const page = await signIn(fx.keys.role.operator);
    await page.goto(`${h.hub.url}/console/#/rules/dispatch.dmn`);
    await page.waitForSelector('#dmn td');
    expect(await page.locator('#dmn [contenteditable="true"]').count()).toBe(0);
    // dmn-js in Chinese (console/dmn-zh.js).
    expect(await page.textContent('#dmn')).toContain('命中策略');
    expect(await page.locator('#deploy, #check, #history button').count()).toBe(0);
    await shot(page, 'rules-viewer');
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('draws the dashboard for a supervisor, and refuses a wrong key', async () => {
    const page = await signIn(fx.keys.role.supervisor);
    await page.goto(`${h.hub.url}/console/#/dashboard`);
    await page.waitForSelector('#by-day');
    expect(Number(await page.textContent('#volume'))).toBeGreaterThan(0);
    // This month in Beijing, from its first day to its last (not from the last day of the month before, as UTC would say).
    const beijing = new Date(Date.now() + 8 * 3600_000);
    const first = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth(), 1)).toISOString().slice(0, 10);
    const last = new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() + 1, 0)).toISOString().slice(0, 10);
    expect(await page.textContent('h2')).toBe(`概览（${first} 至 ${last}）`);
    // Per unit: this file's orders went to 河西区人民政府 (and one to the city management committee).
    await page.waitForSelector('#by-unit');
    await page.waitForSelector('#unit-table tr[data-unit="hexi-gov"]');
    const [db] = (await h.hub.store.ds.query('SELECT SUM(status NOT IN (?)) AS open FROM work_order WHERE order_no IS NOT NULL', [DONE_STATUSES])) as Array<{ open: string }>;
    expect(Number(await page.textContent('#open'))).toBe(Number(db!.open));
    expect(Number(await page.textContent('#today'))).toBeGreaterThan(0);
    await shot(page, 'dashboard');
    await page.close();
    const stranger = await chromium.browser.newPage();
    await stranger.goto(`${h.hub.url}/console/`);
    await stranger.fill('#key', 'not-a-key');
    await stranger.click('#login button');
    await stranger.waitForSelector('#login-error:has-text("密钥无效")');
    await shot(stranger, 'login-refused');
    await stranger.close();
  });

  it('ranks the units on the 考核 page for a supervisor, last month by default, with the method in words, and exports the report as Excel', async () => {
    const page = await signIn(fx.keys.role.supervisor);
    await page.click('#nav a[href="#/assessment"]');
    await page.waitForSelector('#assess-summary:has-text("参与排名")');
    expect(await page.textContent('#assess-summary'), 'the last whole month by default').toMatch(/^\d{4}年\d{1,2}月（/);
    const today = chinaDate(new Date());
    await page.fill('#assess-of', today);
    await page.click('#assess button[value="show"]');
    // This file's orders went to 河西区人民政府.
    await page.waitForSelector('#ranking tr[data-key="hexi-gov"]');
    const report = (await (await h.get(`/assessment?period=month&of=${today}`, fx.keys.role.supervisor)).json()) as { period: { first: string; label: string }; rows: Array<{ key: string; rank: number | null; score: number | null }> };
    expect(await page.textContent('#assess-summary')).toContain(report.period.label);
    const hexi = report.rows.find((r) => r.key === 'hexi-gov')!;
    expect(await page.textContent('#ranking tr[data-key="hexi-gov"] td:nth-of-type(1)')).toBe(String(hexi.rank ?? '样本不足'));
    expect(await page.textContent('#ranking tr[data-key="hexi-gov"] td:nth-of-type(2)')).toBe(String(hexi.score ?? '—'));
    expect(await page.$$eval('#ranking tbody tr', (rows) => rows.map((r) => r.getAttribute('data-key'))), 'in the report\'s order').toEqual(report.rows.map((r) => r.key));
    expect(await page.textContent('#method dl')).toContain('权重：满意率');
    await shot(page, 'assessment');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#assess button[value="xlsx"]')]);
    expect(download.suggestedFilename()).toBe(`assessment-unit-month-${report.period.first}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile((await download.path())!);
    const keys = report.rows.map((_, i) => wb.worksheets[0]!.getCell(`C${i + 2}`).value);
    expect(keys, 'the workbook holds the ranking shown').toEqual(report.rows.map((r) => r.key));
    expect(page.errors).toEqual([]);
    await page.close();
  });

  it('lets a unit without a system of its own work its order in the console: 签收, then 反馈; a supervisor cancels another with its reason', async () => {
    const orderNo = await noise('控制台：单位收件箱');
    await h.until(async () => (await order(orderNo)).status, 'dispatched', 60_000);
    const unit = (await order(orderNo)).unit!.code;
    const page = await signIn(fx.keys.unit[unit]!);
    await page.goto(`${h.hub.url}/console/#/orders`);
    await page.waitForSelector(`a[href="#/orders/${orderNo}"]`);
    expect(await page.textContent('h2')).toBe('本单位工单（收件箱）');
    await page.click(`a[href="#/orders/${orderNo}"]`);
    // The deadline as the API sends it (UTC), read on screen in Beijing time (UTC+8, counted here).
    const { dueAt } = await order(orderNo);
    await page.waitForSelector('#order-due');
    expect(await page.textContent('#order-due'), `${dueAt} in Beijing time`).toBe(new Date(Date.parse(dueAt!) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' '));
    expect(await page.textContent('#zone')).toBe('时间均为北京时间');
    // Codes become the centre's words, from the one module the gateway builds (domain/text.ts).
    expect(await page.textContent('td[data-step="dispatch"]')).toBe('派单');
    expect(await page.textContent('tr:has(td[data-step="dispatch"]) td[data-actor]'), 'a unit sees the centre, not the hub').toBe('12345热线');
    expect(await page.textContent('#who')).toMatch(/（承办单位 · /);
    await page.click('#acknowledge button');
    await page.waitForSelector('#acknowledge-outcome.ok');
    await h.until(async () => (await order(orderNo)).status, 'acknowledged');
    await page.goto(`${h.hub.url}/console/#/orders`);
    await page.goto(`${h.hub.url}/console/#/orders/${orderNo}`);
    await page.waitForSelector('#reply');
    expect(await page.locator('#acknowledge').count()).toBe(0);
    await page.fill('#reply-result', '已约谈施工单位，夜间停止施工');
    await page.fill('#reply-handledBy', '河西区城管科');
    await shot(page, 'unit-inbox');
    await page.click('#reply button');
    await page.waitForSelector('#reply-outcome.ok');
    await h.until(async () => (await order(orderNo)).status, 'replied');
    expect(page.errors).toEqual([]);
    await page.close();

    // A supervisor approves the answer from the task list; a callback agent opens the order from hers, reads the unit's answer and records the callback: closed.
    await taskFor(h.base, fx.keys.role.supervisor, orderNo, 'reply-review'); // the process opens it
    const supervisor = await signIn(fx.keys.role.supervisor);
    await supervisor.goto(`${h.hub.url}/console/#/tasks`);
    const review = supervisor.locator(`#tasks tr[data-order="${orderNo}"][data-kind="reply-review"]`);
    await review.waitFor();
    await review.locator('button[data-act="approve"]').click();
    await review.locator('.result.ok').waitFor();
    await h.until(async () => (await order(orderNo)).status, 'awaiting_callback', 60_000);
    await supervisor.close();
    const agent = await signIn(fx.keys.role['callback-agent']);
    await agent.goto(`${h.hub.url}/console/#/tasks`);
    const row = agent.locator(`#callbacks tr[data-order="${orderNo}"]`);
    await row.waitFor();
    await shot(agent, 'callbacks');
    await row.locator('a.open-task').click();
    await agent.waitForSelector('#callback');
    expect(await agent.textContent('#callback dl'), 'the unit\'s answer, beside the form').toContain('已约谈施工单位，夜间停止施工');
    await agent.check('#callback input[value="satisfied"]');
    await agent.fill('#callback-note', '市民表示施工已停止');
    await agent.click('#callback button');
    await agent.waitForSelector('#callback-outcome.ok');
    await h.until(async () => (await order(orderNo)).status, 'closed', 60_000);
    expect(agent.errors).toEqual([]);
    await agent.close();

    const other = await noise('控制台：误建工单');
    await h.until(async () => (await order(other)).status, 'dispatched', 60_000);
    const otherUnit = (await order(other)).unit!.code;
    await h.until(async () => fx.mail.recipients.get(other)?.length ?? 0, 1); // the dispatch's
    const unitAddress = fx.mail.recipients.get(other)![0];
    const kafka = await readDispatched();
    try {
      const sup = await signIn(fx.keys.role.supervisor);
      await sup.goto(`${h.hub.url}/console/#/orders/${other}`);
      await sup.fill('#cancel-reason', '话务员误建，市民未反映此事');
      await sup.click('#cancel button');
      await sup.waitForSelector('#cancel-outcome.ok');
      expect(await sup.textContent('#cancel-outcome')).toContain(`已通知承办单位停止办理：${unitName(otherUnit)}`);
      expect((await order(other)).status).toBe('cancelled');
      expect(sup.errors).toEqual([]);
      await sup.close();
      // 撤单通知: the unit's system reads it on its topic, the unit has it by e-mail.
      await h.until(async () => kafka.typesOf.get(other), ['order.cancelled']);
      await h.until(async () => fx.mail.recipients.get(other), [unitAddress, unitAddress]);
    } finally {
      await kafka.close();
    }
  });
});
