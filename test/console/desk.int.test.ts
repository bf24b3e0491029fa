/**
 * Each role's day at the console, in a real browser (Chromium) on the real stack (Zeebe, Kafka,
 * MySQL), every decision taken on a screen, none through the API: a call-taker takes a noise
 * complaint with the knowledge base beside the form, is shown the repeat call before saving, and
 * answers another caller at once from the knowledge base; the
 * district returns it; the dispatcher disputes the return; the supervisor overrules it; the district
 * asks for an extension (a supervisor grants it) and sends the order on to a street; the street
 * answers; the district approves the street's answer; the supervisor rejects the answer without a
 * reason (refused, in words) and then approves it; the callback agent reads the answer and records
 * the callback; the order closes; the supervisor publishes it (a summary too short refused; the caller's phone taken out of the published text).
 * Refusals are shown in Chinese with the field they concern. Screenshots: test/console/artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findUnit, loadCatalog } from '../../domain/catalog.js';
import { ERROR_TEXT } from '../../domain/text.js';
import { projectRoot } from '../../infra/config.js';
import { shot, signIn as signInTo, useBrowser } from '../support/browser.js';
import { useEngineHub, useKeysAndMail } from '../support/engine-hub.js';
import { taskFor } from '../support/tasks.js';

const fx = useKeysAndMail();
// Repeat calls merged as in production (the suite switches merging off elsewhere).
const h = useEngineHub('zeebe', { mail: () => fx.mail, env: { REPEATS_FILE: 'config/repeats.json' } });
const chromium = useBrowser();
const signIn = (key: string) => signInTo(chromium.browser, h.hub.url!, key);
type Page = Awaited<ReturnType<typeof signIn>>;
const order = async (orderNo: string) => (await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as { status: string; unit: { code: string } | null; subUnit: { code: string } | null; dueAt: string; publishedAt: string | null; satisfaction: string | null };
const statusOf = async (orderNo: string) => (await order(orderNo)).status;
const phone = `135${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const beijing = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16);

/** Opens the order from the role's task list (one click), where the task's form is. */
async function openFromTasks(page: Page & { key: string }, orderNo: string, kind: string): Promise<string> {
  const task = await taskFor(h.base, page.key, orderNo, kind);
  await page.goto(`${h.hub.url}/console/#/tasks?at=${Date.now()}`);
  const row = page.locator(`#tasks tr[data-order="${orderNo}"][data-kind="${kind}"]`);
  await row.waitFor();
  await row.locator('a.open-task').click();
  await page.waitForSelector(`#task-${task.id}`);
  return `#task-${task.id}`;
}

/** The order's page, drawn afresh (a new hash each time, so that the console reads the order again). */
async function openOrder(page: Page, orderNo: string): Promise<void> {
  await page.goto(`${h.hub.url}/console/#/orders/${orderNo}?at=${Date.now()}`);
  await page.waitForSelector('#history');
}

async function signInAs(key: string): Promise<Page & { key: string }> {
  const page = (await signIn(key)) as Page & { key: string };
  page.key = key;
  return page;
}

describe("each role's day at the console", { timeout: 300_000 }, () => {
  it('takes an order from intake to publication with every decision made in the browser, and refuses bad input in words', async () => {
    const kb = await h.post('/knowledge', { title: '夜间施工噪声的投诉处理', body: '夜间22时至次日6时禁止产生噪声的建筑施工作业，由区城管执法部门查处。', category: 'noise' }, fx.keys.role['process-owner']);
    expect(kb.status).toBe(201);

    // 受理: the call-taker's form, the knowledge base beside it.
    const taker = await signInAs(fx.keys.role['call-taker']);
    await taker.goto(`${h.hub.url}/console/#/intake`);
    await taker.waitForSelector('#intake');
    // Saved empty: refused, in words, naming the fields.
    await taker.click('#intake button[type="submit"]');
    await taker.waitForSelector('#intake-outcome.error');
    const refused = (await taker.textContent('#intake-outcome'))!;
    expect(refused).toContain(ERROR_TEXT.VALIDATION_FAILED);
    expect(refused).toContain('诉求标题');
    expect(await taker.getAttribute('#intake-title', 'aria-invalid')).toBe('true');
    const fill = async (title: string, caller = phone) => {
      await taker.selectOption('#intake-category', 'noise');
      await taker.selectOption('#intake-district', 'hexi');
      await taker.fill('#intake-address', '河西区友谊路35号');
      await taker.fill('#intake-title', title);
      await taker.fill('#intake-description', '工地每晚施工到凌晨，影响休息');
      await taker.fill('#intake-name', '王女士');
      await taker.fill('#intake-phone', caller);
      await taker.locator('#intake-phone').blur();
    };
    await fill('夜间施工噪声');
    await taker.waitForSelector('#kb-results li:has-text("夜间施工噪声的投诉处理")');
    await shot(taker, 'day-1-intake');
    await taker.click('#intake button[type="submit"]');
    await taker.waitForSelector('#intake-outcome.ok');
    const orderNo = (await taker.textContent('#intake-outcome a'))!;
    expect(orderNo).toMatch(/^GD\d{14}$/);
    // The same caller again: the form shows the open order before saving, and the call joins it.
    await taker.click('#intake-next');
    await taker.waitForSelector('#intake-outcome:empty', { state: 'attached' });
    await fill('又是夜间施工');
    await taker.waitForSelector(`#repeat:not([hidden]) a:has-text("${orderNo}")`);
    await shot(taker, 'day-1-repeat');
    await taker.click('#intake button[type="submit"]');
    await taker.waitForSelector('#intake-outcome.ok');
    expect(await taker.textContent('#intake-outcome')).toContain(`并入在办工单 ${orderNo}`);
    const repeat = (await taker.locator('#intake-outcome a').first().textContent())!;
    // Another caller asks about the rule: answered at once from the knowledge base, the order closed citing it.
    await taker.click('#intake-next');
    await taker.waitForSelector('#intake-outcome:empty', { state: 'attached' });
    await taker.selectOption('#intake-type', 'consultation');
    await fill('夜间施工几点以后不允许', `136${phone.slice(3)}`);
    await taker.fill('#kb-q', '夜间施工');
    await taker.click('#kb button');
    await taker.locator('#kb-results li:has-text("夜间施工噪声的投诉处理") button').click();
    await taker.waitForSelector('#answer-now:not([hidden])');
    await taker.click('#intake button[type="submit"]');
    await taker.waitForSelector('#intake-outcome.ok');
    const answered = (await taker.textContent('#intake-outcome a'))!;
    await h.until(() => statusOf(answered), 'closed', 60_000);
    expect(taker.errors).toEqual([]);
    await taker.close();
    await h.until(() => statusOf(orderNo), 'dispatched', 60_000);
    expect((await order(orderNo)).unit!.code).toBe('hexi-gov');

    // The district returns it.
    const district = await signInAs(fx.keys.unit['hexi-gov']!);
    await openOrder(district, orderNo);
    await district.fill('#return-reason', '属于市城管委执法范围');
    await district.click('#return button');
    await district.waitForSelector('#return-outcome.ok');
    await h.until(() => statusOf(orderNo), 'returned');

    // The dispatcher, from the task list: the rule's suggestion shown; an 改派 without a unit is refused; the return is disputed.
    const dispatcher = await signInAs(fx.keys.role.dispatcher);
    const redispatch = await openFromTasks(dispatcher, orderNo, 'redispatch');
    expect(await dispatcher.textContent(`${redispatch} .advice`)).toContain('河西区人民政府');
    // The rule that decided it (bpmn/dispatch.dmn's 22nd rule, hexi's fallback), found again from the table's version.
    expect(await dispatcher.textContent(`${redispatch} .advice`)).toMatch(/派单规则第 \d+ 版第 22 条/);
    expect(await dispatcher.getAttribute('#order-rule', 'title')).toBe('dispatch.dmn rule-17');
    expect(await dispatcher.textContent(`${redispatch} dl`)).toContain('属于市城管委执法范围');
    await dispatcher.selectOption(`${redispatch}-unit`, '');
    await dispatcher.fill(`${redispatch}-reason`, '改派');
    await dispatcher.click(`${redispatch} button[type="submit"]`);
    await dispatcher.waitForSelector(`${redispatch}-outcome.error`);
    expect(await dispatcher.textContent(`${redispatch}-outcome`)).toContain('改派单位');
    await dispatcher.check(`${redispatch} input[value="dispute"]`);
    await dispatcher.fill(`${redispatch}-reason`, '噪声扰民属区政府属地管理');
    await shot(dispatcher, 'day-2-redispatch');
    await dispatcher.click(`${redispatch} button[type="submit"]`);
    await dispatcher.waitForSelector(`${redispatch}-outcome.ok`);
    expect(dispatcher.errors).toEqual([]);
    await dispatcher.close();
    await h.until(() => statusOf(orderNo), 'return_disputed');

    // The supervisor overrules the return: back to the district.
    const supervisor = await signInAs(fx.keys.role.supervisor);
    const review = await openFromTasks(supervisor, orderNo, 'return-review');
    await supervisor.check(`${review} input[value="overrule"]`);
    await supervisor.fill(`${review}-reason`, '属地管理，由河西区办理');
    await supervisor.click(`${review} button[type="submit"]`);
    await supervisor.waitForSelector(`${review}-outcome.ok`);
    await h.until(() => statusOf(orderNo), 'dispatched', 60_000);

    // The district: 签收, an extension to an earlier date refused, a later one asked for.
    await openOrder(district, orderNo);
    expect(await district.locator('#return').count(), 'a unit returns an order once').toBe(0);
    await district.click('#acknowledge button');
    await district.waitForSelector('#acknowledge-outcome.ok');
    await h.until(() => statusOf(orderNo), 'acknowledged');
    await openOrder(district, orderNo);
    const { dueAt } = await order(orderNo);
    await district.fill('#extension-dueAt', beijing(new Date(Date.parse(dueAt) - 3600_000).toISOString()));
    await district.fill('#extension-reason', '需协调施工单位调整工期');
    await district.click('#extension button');
    await district.waitForSelector('#extension-outcome.error');
    expect(await district.textContent('#extension-outcome')).toContain(ERROR_TEXT.EXTENSION_NOT_LATER);
    const later = beijing(new Date(Date.parse(dueAt) + 3 * 86400_000).toISOString());
    await district.fill('#extension-dueAt', later);
    await district.click('#extension button');
    await district.waitForSelector('#extension-outcome.ok');
    await h.until(() => statusOf(orderNo), 'extension_requested');

    // The supervisor grants it, from the task's page: the date asked for is shown in Beijing time.
    const extension = await openFromTasks(supervisor, orderNo, 'extension-approval');
    expect(await supervisor.textContent(`${extension} dl`)).toContain(later.replace('T', ' '));
    await supervisor.click(`${extension} button[value="approve"]`);
    await supervisor.waitForSelector(`${extension}-outcome.ok`);
    await h.until(() => statusOf(orderNo), 'acknowledged');

    // The district sends it on to its street; the street answers; the district approves the street's answer.
    await openOrder(district, orderNo);
    await district.selectOption('#sub-dispatch-unit', 'hexi-youyi');
    await district.fill('#sub-dispatch-instructions', '请到现场核实并督促停工');
    await shot(district, 'day-3-district');
    await district.click('#sub-dispatch button');
    await district.waitForSelector('#sub-dispatch-outcome.ok');
    await h.until(() => statusOf(orderNo), 'sub_dispatched');
    const street = await signInAs(fx.keys.unit['hexi-youyi']!);
    await openOrder(street, orderNo);
    await street.fill('#reply-result', '已到现场，工地承诺22时后停工');
    await street.fill('#reply-handledBy', '友谊路街道城管科');
    await street.click('#reply button');
    await street.waitForSelector('#reply-outcome.ok');
    expect(street.errors).toEqual([]);
    await street.close();
    await h.until(() => statusOf(orderNo), 'sub_replied');
    const streetReview = await openFromTasks(district, orderNo, 'street-review');
    expect(await district.textContent(`${streetReview} dl`)).toContain('已到现场，工地承诺22时后停工');
    await district.click(`${streetReview} button[value="approve"]`);
    await district.waitForSelector(`${streetReview}-outcome.ok`);
    expect(district.errors).toEqual([]);
    await district.close();

    // The supervisor's review: a rejection without a reason is refused; the answer is approved.
    const replyReview = await openFromTasks(supervisor, orderNo, 'reply-review');
    expect(await supervisor.textContent(`${replyReview} dl`)).toContain('工地承诺22时后停工');
    await supervisor.click(`${replyReview} button[value="reject"]`);
    await supervisor.waitForSelector(`${replyReview}-outcome.error`);
    expect(await supervisor.textContent(`${replyReview}-outcome`)).toContain('退回理由');
    await shot(supervisor, 'day-4-review');
    await supervisor.click(`${replyReview} button[value="approve"]`);
    await supervisor.waitForSelector(`${replyReview}-outcome.ok`);
    await h.until(() => statusOf(orderNo), 'awaiting_callback', 60_000);

    // The callback agent: the answer beside the form.
    const agent = await signInAs(fx.keys.role['callback-agent']);
    await agent.goto(`${h.hub.url}/console/#/tasks?at=${Date.now()}`);
    await agent.locator(`#callbacks tr[data-order="${orderNo}"] a.open-task`).click();
    await agent.waitForSelector('#callback');
    expect(await agent.evaluate('document.activeElement.tagName + " " + document.activeElement.textContent'), 'the new page\'s heading has the focus').toMatch(/^H2 工单 GD/);
    // By keyboard alone: the satisfaction chosen with the arrow keys, the note typed, Enter on the button.
    await agent.focus('#callback input[value="satisfied"]');
    await agent.keyboard.press('ArrowDown');
    expect(await agent.textContent('#callback dl')).toContain('工地承诺22时后停工');
    expect(await agent.isChecked('#callback input[value="basically-satisfied"]')).toBe(true);
    // 解决率: asked apart from the satisfaction.
    await agent.selectOption('#callback-resolved', 'yes');
    await agent.focus('#callback-note');
    await agent.keyboard.type('市民表示已基本不再施工');
    await shot(agent, 'day-4-callback');
    await agent.focus('#callback button');
    await agent.keyboard.press('Enter');
    await agent.waitForSelector('#callback-outcome.ok');
    expect(agent.errors).toEqual([]);
    await agent.close();
    await h.until(() => statusOf(orderNo), 'closed', 60_000);
    const history = ((await (await h.get(`/orders/${orderNo}`, fx.keys.role.supervisor)).json()) as { history: Array<{ step: string; note: string }> }).history;
    expect(history.find((e) => e.step === 'callback')!.note).toBe('回访结果：基本满意，问题已解决');

    // Publication: a summary too short to say anything refused; one naming the caller's phone published with the phone taken out.
    await openOrder(supervisor, orderNo);
    await supervisor.fill('#publish-summary', '噪声');
    await supervisor.click('#publish button');
    await supervisor.waitForSelector('#publish-outcome.error');
    expect(await supervisor.textContent('#publish-outcome')).toContain('诉求摘要');
    await supervisor.fill('#publish-summary', `市民（电话${phone}）反映河西区某工地夜间施工噪声扰民`);
    await supervisor.click('#publish button');
    await supervisor.waitForSelector('#publish-outcome.ok');
    const published = (await (await fetch(`${h.hub.url}/public/v1/orders/${orderNo}`)).json()) as { summary: string; answer: string };
    expect(published.summary).toContain('夜间施工噪声扰民');
    expect(published.summary).not.toContain(phone);
    expect(published.answer).toContain('工地承诺22时后停工');
    await shot(supervisor, 'day-5-published');
    // 工单查询 by the caller's phone: the order and the repeat call merged into it, newest first; the same exported as CSV.
    await supervisor.goto(`${h.hub.url}/console/#/orders?at=${Date.now()}`);
    await supervisor.fill('#search-phone', phone);
    await supervisor.click('#search button[value="search"]');
    await supervisor.waitForSelector('#search-outcome.ok');
    expect(await supervisor.locator('#orders tbody tr[data-order]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-order')))).toEqual([repeat, orderNo]);
    const download = supervisor.waitForEvent('download');
    await supervisor.click('#search button[value="export"]');
    const csv = fs.readFileSync((await (await download).path())!, 'utf8');
    expect(csv.split('\r\n').slice(1, -1).map((l) => l.slice(0, 16))).toEqual([repeat, orderNo]);
    await shot(supervisor, 'day-5-search');
    // No code and no English on the order page a supervisor reads.
    await openOrder(supervisor, orderNo);
    await supervisor.waitForSelector('#history tbody tr');
    const text = (await supervisor.textContent('main'))!;
    const streetName = findUnit(loadCatalog(path.join(projectRoot, h.config.CATALOG_FILE)), 'hexi-youyi')!.name;
    expect(text).toContain(streetName);
    expect(text.replace(/GD\d{14}/g, '').match(/.{0,30}[A-Za-z_]{3,}.{0,30}/g), 'English or codes left on the page').toBeNull();
    expect(supervisor.errors).toEqual([]);
    await supervisor.close();
  });
  it('lets a unit work an urgent order in the browser: 到场, then 进展 with the time it expects to finish, each on the order\'s history', async () => {
    const res = await h.post('/orders', { channel: 'phone', type: 'help', category: 'water-outage', title: '水管爆裂', description: '路面水管爆裂，大量冒水', district: 'hexi', address: '河西区友谊路40号', urgent: true, citizen: { name: '赵先生', phone: `137${phone.slice(3)}`, confidential: false } }, fx.keys.role['call-taker']);
    expect(res.status).toBe(201);
    const { orderNo } = (await res.json()) as { orderNo: string };
    await h.until(() => statusOf(orderNo), 'dispatched', 60_000);
    const unit = await signInAs(fx.keys.unit['water-group']!);
    await openOrder(unit, orderNo);
    expect(await unit.locator('#progress').count(), 'no progress before being on site').toBe(0);
    await unit.click('#on-site button');
    await unit.waitForSelector('#on-site-outcome.ok');
    await h.until(() => statusOf(orderNo), 'acknowledged');
    await openOrder(unit, orderNo);
    expect(await unit.locator('#on-site').count()).toBe(0);
    const expected = beijing(new Date(Date.now() + 2 * 3600_000).toISOString());
    await unit.fill('#progress-note', '已关阀止水，正在抢修');
    await unit.fill('#progress-expectedAt', expected);
    await unit.click('#progress button');
    await unit.waitForSelector('#progress-outcome.ok');
    await openOrder(unit, orderNo);
    await unit.waitForSelector('td[data-step="progress"]');
    expect(await unit.textContent('tr:has(td[data-step="progress"])')).toContain(`预计 ${expected.replace('T', ' ')}`);
    expect(await unit.textContent('td[data-step="on-site"]')).toBe('到场');
    await shot(unit, 'day-6-urgent');
    expect(unit.errors).toEqual([]);
    await unit.close();
  });
  it('lets a supervisor record a coordination\'s outcome, and a dispatcher place an order the rules could not (回避), each from the task list', async () => {
    const post = async (over: Record<string, unknown>) => {
      const res = await h.post('/orders', { channel: 'phone', type: 'complaint', title: '违建与噪声', description: '小区内违章搭建，施工扰民', district: 'hexi', address: '河西区友谊路50号', urgent: false, citizen: { name: '钱女士', phone: `139${phone.slice(3)}`, confidential: false }, ...over }, fx.keys.role['call-taker']);
      expect(res.status).toBe(201);
      return ((await res.json()) as { orderNo: string }).orderNo;
    };
    // 协调办理: the rules convene the units; the supervisor records what they agreed.
    const convened = await post({ category: 'illegal-construction' });
    await h.until(() => statusOf(convened), 'coordinating', 60_000);
    const supervisor = await signInAs(fx.keys.role.supervisor);
    const coordination = await openFromTasks(supervisor, convened, 'coordination');
    await supervisor.fill(`${coordination}-outcome`, '区城管执法局牵头拆除，街道负责督促');
    await supervisor.click(`${coordination} button[type="submit"]`);
    await supervisor.waitForSelector(`${coordination}-outcome.ok`);
    await h.until(() => statusOf(convened), 'closed', 60_000);
    expect(supervisor.errors).toEqual([]);
    await supervisor.close();
    // 人工派单: a complaint about 河西区人民政府, which the rules would pick and which has no supervising unit.
    const recused = await post({ category: 'noise', complainedUnit: 'hexi-gov' });
    await h.until(() => statusOf(recused), 'awaiting_assignment', 60_000);
    const dispatcher = await signInAs(fx.keys.role.dispatcher);
    await dispatcher.goto(`${h.hub.url}/console/#/tasks?at=${Date.now()}`);
    await dispatcher.locator(`#tasks tr[data-order="${recused}"][data-kind="assign"] a.open-task`).click();
    await dispatcher.waitForSelector('#assign');
    expect(await dispatcher.locator('#assign-unit option[value="hexi-gov"]').count(), 'the unit complained about is not offered').toBe(0);
    await dispatcher.selectOption('#assign-unit', 'city-management');
    await dispatcher.fill('#assign-reason', '被投诉单位回避，由市城管委办理');
    await shot(dispatcher, 'day-2-assign');
    await dispatcher.click('#assign button');
    await dispatcher.waitForSelector('#assign-outcome.ok');
    await h.until(() => statusOf(recused), 'dispatched', 60_000);
    expect((await order(recused)).unit!.code).toBe('city-management');
    expect(dispatcher.errors).toEqual([]);
    await dispatcher.close();
  });
});
