// 12345 热线集成平台控制台: one page over the hub's API, with the caller's own key and role.
// No build step: plain ES modules; Chart.js, bpmn-js and dmn-js come as their published bundles.
// Each role's desk: intake (intake.js), the decisions on an order's page (desk.js), the task list.
import { DONE, FROM, JOB, REASON, ROLE, STATUS, STEP, TASK } from './names.js';
import { SOURCE, traceLine } from './trace.js';
import { TIME_ZONE } from './centre.js';
import { formatInstant, formatPeriod, monthOf, zoneName } from './time.js';
import { actorName } from './actors.js';
import { api, catalog, whenUnauthenticated } from './api.js';
import { esc } from './forms.js';
import { bindDesk, deskForms, emergencyText } from './desk.js';
import { attachmentsHtml, bindAttachments } from './attachments.js';
import { intake } from './intake.js';
import { orderSearch } from './orders.js';
import { assessmentPage } from './assessment.js';
import { circularsPage } from './circulars.js';
import { rotaPage } from './rota.js';
import { digestPage } from './digest.js';
import { orderDiagrams } from './diagram.js';
import { dmnZhOptions } from './dmn-zh.js';

/** An instant as the staff read it: in the centre's time zone, to the minute (or the second). */
const at = (iso) => formatInstant(iso, TIME_ZONE);
const atSec = (iso) => formatInstant(iso, TIME_ZONE, { seconds: true });

const $ = (sel, root = document) => root.querySelector(sel);
const main = $('#main');

let me = null;
/** Each navigation's number: a page whose data comes back after the user moved on draws nothing. */
let routeSeq = 0;
class Stale extends Error {}
const show = (my, html) => {
  if (my !== routeSeq) throw new Stale('stale');
  main.innerHTML = html;
};
whenUnauthenticated(() => showLogin('密钥无效或已过期，请重新登录'));

function showLogin(message = '') {
  me = null;
  $('#nav').hidden = true;
  $('#logout').hidden = true;
  $('#who').textContent = '';
  $('#zone').textContent = '';
  main.innerHTML = `<form id="login"><h2>登录</h2><p>输入您的 API 密钥（由管理员用 <code>hub keys create</code> 发放）。密钥只保存在本浏览器标签页中。</p>
    <label for="key">API 密钥</label> <input id="key" type="password" autocomplete="off" required aria-describedby="login-error"> <button type="submit">登录</button><p id="login-error" class="error" role="alert">${esc(message)}</p></form>`;
  $('#login').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    sessionStorage.setItem('hub-key', $('#key').value.trim());
    await start();
  });
}

async function start() {
  try {
    me = await api('/me');
  } catch {
    return;
  }
  $('#who').textContent = `${me.name}（${ROLE[me.role] ?? me.role}${me.unit ? ` · ${me.unit}` : ''}）`;
  $('#zone').textContent = `时间均为${zoneName(TIME_ZONE)}`;
  $('#logout').hidden = false;
  $('#nav').hidden = false;
  for (const a of document.querySelectorAll('#nav a')) a.hidden = !a.dataset.roles.split(' ').includes(me.role);
  if (!location.hash || location.hash === '#/') location.hash = `#/${[...document.querySelectorAll('#nav a')].find((a) => !a.hidden)?.getAttribute('href').slice(2) ?? 'orders'}`;
  else await route();
}

async function route() {
  if (!me) return;
  const my = ++routeSeq;
  const [, page, arg] = location.hash.split('?')[0].split('/');
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('active', a.getAttribute('href') === `#/${page}`);
  main.innerHTML = '<p>加载中…</p>';
  try {
    if (page === 'dashboard') await dashboard(my);
    else if (page === 'orders' && arg) await orderPage(my, arg);
    else if (page === 'orders') await orderSearch((html) => show(my, html), me);
    else if (page === 'tasks') await tasks(my);
    else if (page === 'assessment') await assessmentPage((html) => show(my, html));
    else if (page === 'circulars') await circularsPage((html) => show(my, html), me);
    else if (page === 'rota') await rotaPage((html) => show(my, html), me);
    else if (page === 'digest') await digestPage((html) => show(my, html), arg);
    else if (page === 'intake') await intake((html) => show(my, html));
    else if (page === 'stuck') await stuck(my);
    else if (page === 'rules') await rules(my, arg ?? 'dispatch.dmn');
    else show(my, '<p>没有这个页面。</p>');
    // The new page's heading takes the focus: a screen reader announces it, Tab goes on from it.
    const heading = main.querySelector('h2');
    if (heading && my === routeSeq) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  } catch (err) {
    if (err instanceof Stale || err.status === 401 || my !== routeSeq) return;
    main.innerHTML = `<p class="error" role="alert">${esc(err.message)}</p>`;
  }
}

async function dashboard(my) {
  // This month, in the centre's time zone.
  const month = monthOf(new Date(), TIME_ZONE);
  const days = await api(`/statistics?by=day&from=${encodeURIComponent(month.from)}&to=${encodeURIComponent(month.to)}`);
  const t = days.total;
  const pct = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);
  const canStuck = ['operator', 'admin'].includes(me.role);
  const stuckCount = canStuck ? (await api('/stuck')).count : null;
  show(my, `<h2>概览（${esc(formatPeriod(days.from, days.to, TIME_ZONE))}）</h2>
    <div class="cards">
      <div class="card"><div>今日受理</div><div class="n" id="today">${days.now.today}</div></div>
      <div class="card"><div>在办</div><div class="n" id="open">${days.now.open}</div></div>
      <div class="card"><div>超期</div><div class="n" id="overdue">${days.now.overdue}</div></div>
      <div class="card"><div>本期受理量</div><div class="n" id="volume">${t.volume}</div></div>
      <div class="card"><div>办结率</div><div class="n">${pct(t.closureRate)}</div></div>
      <div class="card"><div>按时办结率</div><div class="n">${pct(t.onTimeRate)}</div></div>
      <div class="card"><div>满意率</div><div class="n">${pct(t.satisfactionRate)}</div></div>
      <div class="card"><div>退单率</div><div class="n">${pct(t.returnRate)}</div></div>
      ${canStuck ? `<div class="card"><div>卡住</div><div class="n" id="stuck-count">${stuckCount}</div></div>` : ''}
    </div>
    <div class="chart"><canvas id="by-day" role="img" aria-label="${esc(`每日受理量与办结量柱状图：${days.rows.length} 天，受理 ${t.volume} 件，办结 ${t.closed} 件；数据见下表`)}"></canvas></div>
    <details><summary>每日数据</summary><table id="day-table"><caption class="sr-only">每日受理量与办结量</caption><thead><tr><th scope="col">日期</th><th scope="col">受理量</th><th scope="col">办结</th></tr></thead><tbody>
    ${days.rows.map((r) => `<tr><td>${esc(r.key)}</td><td>${r.volume}</td><td>${r.closed}</td></tr>`).join('')}</tbody></table></details>
    <h3>各承办单位</h3>
    <div class="chart"><canvas id="by-unit" role="img" aria-label="各承办单位受理量与按时办结率柱状图，数据见下表"></canvas></div>
    <table id="unit-table"><caption class="sr-only">各承办单位的受理量和各项比率（受理量最多的 15 个单位）</caption><thead><tr><th scope="col">承办单位</th><th scope="col">受理量</th><th scope="col">办结率</th><th scope="col">按时办结率</th><th scope="col">满意率</th><th scope="col">退单率</th></tr></thead><tbody></tbody></table>`);
  new window.Chart($('#by-day'), {
    type: 'bar',
    data: { labels: days.rows.map((r) => r.key), datasets: [{ label: '受理量', data: days.rows.map((r) => r.volume), backgroundColor: '#1d4e89' }, { label: '办结', data: days.rows.map((r) => r.closed), backgroundColor: '#32a852' }] },
    options: { animation: false, responsive: true },
  });
  // Per unit: the period's volume and on-time closure, the units with the most orders first.
  const units = await api(`/statistics?by=unit&from=${encodeURIComponent(days.from)}&to=${encodeURIComponent(days.to)}`);
  if (my !== routeSeq) return;
  const top = units.rows.filter((r) => r.key && r.key !== '-').sort((a, b) => b.volume - a.volume).slice(0, 15);
  $('#unit-table tbody').innerHTML = top.map((r) => `<tr data-unit="${esc(r.key)}"><td>${esc(r.name)}</td><td>${r.volume}</td><td>${pct(r.closureRate)}</td><td>${pct(r.onTimeRate)}</td><td>${pct(r.satisfactionRate)}</td><td>${pct(r.returnRate)}</td></tr>`).join('') || '<tr><td colspan="6">本期没有派单</td></tr>';
  new window.Chart($('#by-unit'), {
    type: 'bar',
    data: { labels: top.map((r) => r.name), datasets: [{ label: '受理量', data: top.map((r) => r.volume), backgroundColor: '#1d4e89', yAxisID: 'y' }, { label: '按时办结率 %', data: top.map((r) => (r.onTimeRate === null ? null : Math.round(r.onTimeRate * 1000) / 10)), backgroundColor: '#e0a030', yAxisID: 'rate' }] },
    options: { animation: false, responsive: true, scales: { y: { position: 'left' }, rate: { position: 'right', min: 0, max: 100, grid: { drawOnChartArea: false } } } },
  });
}

async function orderPage(my, orderNo) {
  const o = await api(`/orders/${encodeURIComponent(orderNo)}`);
  const operator = ['operator', 'admin'].includes(me.role);
  const tasked = ['dispatcher', 'supervisor', 'unit'].includes(me.role);
  const [openTasks, cat] = await Promise.all([tasked ? api(`/tasks?status=open&orderNo=${encodeURIComponent(o.orderNo)}&limit=20`).then((r) => r.tasks) : [], catalog()]);
  // 附件: the centre's and the unit's readers; who may add one (the API refuses the rest as well).
  const filesShown = ['call-taker', 'dispatcher', 'supervisor', 'callback-agent', 'unit'].includes(me.role);
  const files = filesShown ? (await api(`/orders/${encodeURIComponent(o.orderNo)}/attachments`)).attachments : [];
  const canAdd = me.role === 'unit' ? FROM.owing.includes(o.status) : ['call-taker', 'dispatcher', 'supervisor'].includes(me.role) && !DONE.includes(o.status);
  const forms = deskForms(o, { me, tasks: openTasks, cat, files });
  const category = cat.categories.find((c) => c.code === o.category)?.name;
  const about = [
    ['状态', `<b id="order-status">${esc(STATUS[o.status] ?? o.status)}</b>`],
    ['承办单位', `<b id="order-unit">${esc(o.unit?.name ?? '—')}</b>${o.subUnit ? ` → ${esc(o.subUnit.name)}` : ''}`],
    ['办理时限', `<b id="order-due">${esc(at(o.dueAt) || '—')}</b>${o.dueAtEstimated ? '（日历未覆盖，按周末估算）' : ''}`],
    ['分类', esc(category ?? '')],
    ['受理时间', esc(at(o.createdAt))],
    ...(o.address ? [['地址', esc(o.address)]] : []),
    ...(o.emergency ? [['紧急联动', esc(emergencyText(o.emergency))]] : []),
    ...(o.dispatchRule?.rule ? [['命中的派单规则', `<span id="order-rule" title="${esc(`${o.dispatchRule.table} ${o.dispatchRule.rule.id}`)}">第 ${o.dispatchRule.version} 版第 ${o.dispatchRule.rule.index} 条${o.dispatchRule.rule.description ? `（${esc(o.dispatchRule.rule.description)}）` : ''}</span>`]] : []),
    ...(o.mergedInto ? [['并入工单', `<a href="#/orders/${esc(o.mergedInto)}">${esc(o.mergedInto)}</a>`]] : []),
  ];
  // Who took a step, in words: a unit by its catalog name.
  const who = (a) => actorName(a, ROLE, (code) => cat.units.find((u) => u.code === code)?.name);
  show(my, `<h2>工单 ${esc(o.orderNo)}：${esc(o.title)}</h2>
    <dl class="facts order-facts">${about.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
    ${o.description ? `<p class="description">${esc(o.description)}</p>` : ''}
    ${operator ? '<p><button id="retry">重试失败的任务</button> <span id="retry-result" role="status" aria-live="polite"></span></p>' : ''}
    ${forms.length ? `<section id="desk" aria-label="办理">${forms.map((f) => f.html).join('')}</section>` : ''}
    ${operator ? '<figure class="diagram"><p id="diagram-pick"></p><div id="diagram"></div><figcaption>走过的环节和连线标 ✓（绿色），工单所在的环节标“当前”（橙色），故障标“故障”（红色）；点击调用活动可打开它调用的流程。<span id="diagram-text"></span></figcaption></figure>' : ''}
    ${filesShown ? attachmentsHtml(files, canAdd) : ''}
    <h3>办理过程</h3><table id="history"><caption class="sr-only">办理过程，按时间先后</caption><thead><tr><th scope="col">时间</th><th scope="col">环节</th><th scope="col">经办</th><th scope="col">说明</th></tr></thead><tbody>
    ${(o.history ?? []).map((h) => `<tr><td>${esc(atSec(h.at))}</td><td data-step="${esc(h.step)}">${esc(STEP[h.step] ?? h.step)}</td><td data-actor="${esc(h.actor)}" title="${esc(h.actor)}">${esc(who(h.actor))}</td><td>${esc(h.note)}</td></tr>`).join('')}</tbody></table>
    ${operator ? '<h3>全链路轨迹</h3><table id="trace"><thead><tr><th scope="col">时间</th><th scope="col">来源</th><th scope="col">内容</th></tr></thead><tbody></tbody></table>' : ''}`);
  bindDesk(main, forms);
  if (filesShown) bindAttachments(main, o.orderNo, files, () => void orderPage(my, orderNo));
  if (!operator) return;
  const trace = await api(`/orders/${encodeURIComponent(orderNo)}/trace`);
  $('#trace tbody').innerHTML = trace.entries.map((e) => `<tr data-source="${esc(e.source)}"><td>${esc(atSec(e.at))}</td><td>${esc(SOURCE[e.source] ?? e.source)}</td><td>${esc(traceLine(e, { STEP, JOB, TASK, ROLE }, who))}</td></tr>`).join('');
  $('#retry').addEventListener('click', async () => {
    try {
      const r = await api(`/orders/${encodeURIComponent(orderNo)}/retry`, { method: 'POST', json: {} });
      $('#retry-result').textContent = r.retried.length ? r.retried.map((x) => `“${JOB[x.jobType] ?? x.jobType}”${x.ok ? '已重新执行' : `未能重新执行：${x.error}`}`).join('；') : '没有失败的任务';
    } catch (err) {
      $('#retry-result').textContent = err.message;
    }
  });
  await orderDiagrams({ trace, api, done: DONE.includes(o.status), root: main });
}

/**
 * 待办: a role's open tasks, the two decisions a supervisor takes most (答复审核, 延期审批) taken
 * here; the others open the order's page. A callback agent's list is the orders waiting for a
 * callback, each recorded here (回访).
 */
async function tasks(my) {
  if (me.role === 'callback-agent') return callbacks(my);
  const list = await api('/tasks?status=open&limit=100');
  // 人工派单: a dispatcher's orders the rules could not place (回避 with no supervising unit) are on the same list.
  if (me.role === 'dispatcher') {
    const waiting = await api('/orders?status=awaiting_assignment&limit=100');
    list.tasks.push(...waiting.orders.map((o) => ({ id: `assign-${o.orderNo}`, orderNo: o.orderNo, kind: 'assign', createdAt: o.createdAt, dueAt: null })));
  }
  const decide = (t) =>
    t.kind === 'reply-review' ? `<button data-act="approve">通过</button> <input class="why" aria-label="退回理由" placeholder="退回理由" maxlength="1000"> <button data-act="reject">退回重办</button>`
    : t.kind === 'extension-approval' ? `<button data-act="approve">同意延期</button> <input class="why" aria-label="不同意的理由" placeholder="不同意的理由" maxlength="1000"> <button data-act="reject">不同意</button>`
    : '';
  show(my, `<h2>待办任务（${list.tasks.length}）</h2><table id="tasks"><thead><tr><th scope="col">工单号</th><th scope="col">任务</th><th scope="col">创建</th><th scope="col">期限</th><th scope="col">处理</th></tr></thead><tbody>
    ${list.tasks.map((t, n) => `<tr data-task="${esc(t.id)}" data-order="${esc(t.orderNo)}" data-kind="${esc(t.kind)}" data-n="${n}"><td><a href="#/orders/${esc(t.orderNo)}">${esc(t.orderNo)}</a></td><td>${esc(t.kind === 'assign' ? '人工派单' : (TASK[t.kind] ?? t.kind))}</td><td>${esc(at(t.createdAt))}</td><td>${esc(at(t.dueAt))}</td><td><a class="open-task" href="#/orders/${esc(t.orderNo)}">办理</a> ${decide(t)} <span class="result" role="status" aria-live="polite"></span></td></tr>`).join('') || '<tr><td colspan="5">没有待办任务</td></tr>'}</tbody></table>`);
  for (const b of document.querySelectorAll('#tasks button')) {
    b.addEventListener('click', async () => {
      const row = b.closest('tr');
      const out = row.querySelector('.result');
      const approved = b.dataset.act === 'approve';
      const reason = row.querySelector('.why')?.value.trim() ?? '';
      if (!approved && reason.length < 2) {
        out.className = 'result error';
        out.textContent = '请填写理由';
        return;
      }
      try {
        await api(`/tasks/${encodeURIComponent(row.dataset.task)}/complete`, { method: 'POST', json: { kind: row.dataset.kind, approved, reason } });
        out.className = 'result ok';
        out.textContent = approved ? '已通过' : '已退回';
        for (const x of row.querySelectorAll('button')) x.disabled = true;
      } catch (err) {
        out.className = 'result error';
        out.textContent = err.message;
      }
    });
  }
}

/** 待回访: the orders waiting for a callback, oldest answer first; each opens its page, where the unit's answer is shown beside the form. */
async function callbacks(my) {
  const list = await api('/orders?status=awaiting_callback&limit=200');
  const rows = [...list.orders].sort((x, y) => String(x.repliedAt).localeCompare(String(y.repliedAt)));
  show(my, `<h2>待回访（${rows.length}）</h2><table id="callbacks"><thead><tr><th scope="col">工单号</th><th scope="col">标题</th><th scope="col">承办单位</th><th scope="col">答复时间</th><th scope="col">处理</th></tr></thead><tbody>
    ${rows.map((o) => `<tr data-order="${esc(o.orderNo)}"><td>${esc(o.orderNo)}</td><td>${esc(o.title)}</td><td>${esc(o.unit?.name ?? '')}</td><td>${esc(at(o.repliedAt))}</td><td><a class="open-task" href="#/orders/${esc(o.orderNo)}">回访</a></td></tr>`).join('') || '<tr><td colspan="5">没有待回访的工单</td></tr>'}</tbody></table>`);
}

async function stuck(my) {
  const s = await api('/stuck');
  show(my, `<h2>卡住的工单（${s.count}） <button id="stuck-refresh">刷新</button></h2><table id="stuck"><thead><tr><th scope="col">原因</th><th scope="col">工单号</th><th scope="col">自</th><th scope="col">说明</th><th scope="col">处理</th></tr></thead><tbody>
    ${s.items.map((i, n) => `<tr data-reason="${esc(i.reason)}" data-order="${esc(i.orderNo ?? '')}"><td>${esc(REASON[i.reason] ?? i.reason)}</td><td>${i.orderNo ? `<a href="#/orders/${esc(i.orderNo)}">${esc(i.orderNo)}</a>` : '—'}</td><td>${esc(atSec(i.since))}</td><td>${esc(i.text ?? i.message)}</td>
      <td>${i.reason === 'incident' ? `<button data-act="retry" data-n="${n}">重试任务</button>` : i.reason === 'dead-letter' ? `<button data-act="dead-letter" data-n="${n}">重放死信</button>` : i.reason === 'parked' ? `<button data-act="outbox" data-n="${n}">重新发送</button>` : i.reason === 'message-waiting' && i.ref.message ? `<button data-act="republish" data-n="${n}">重发引擎消息</button>` : ''} <span class="result" role="status" aria-live="polite"></span></td></tr>`).join('') || '<tr><td colspan="5">没有卡住的工单</td></tr>'}
    </tbody></table>`);
  $('#stuck-refresh').addEventListener('click', () => route());
  for (const b of document.querySelectorAll('#stuck button')) {
    b.addEventListener('click', async () => {
      const item = s.items[Number(b.dataset.n)];
      const out = b.parentElement.querySelector('.result');
      try {
        if (b.dataset.act === 'retry') await api(`/orders/${item.orderNo}/retry`, { method: 'POST', json: {} });
        if (b.dataset.act === 'dead-letter') await api(`/dead-letters/${item.ref.deadLetterId}/replay`, { method: 'POST', json: {} });
        if (b.dataset.act === 'outbox') await api(`/outbox/${item.ref.outboxId}/replay`, { method: 'POST', json: {} });
        if (b.dataset.act === 'republish') await api(`/outbox/${item.ref.outboxId}/republish`, { method: 'POST', json: {} });
        out.className = 'result ok';
        out.textContent = '已处理';
        b.disabled = true;
      } catch (err) {
        out.className = 'result error';
        out.textContent = err.message;
      }
    });
  }
}

/** dmn-js, the modeler or the viewer bundle, loaded when first needed; each defines the global DmnJS, taken and cleared so that both can be had. */
const dmnBundles = new Map();
function dmnBundle(kind) {
  if (!dmnBundles.has(kind)) {
    dmnBundles.set(kind, new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = `/console/vendor/dmn-${kind}.production.min.js`;
      script.onload = () => {
        const Dmn = window.DmnJS;
        delete window.DmnJS;
        resolve(Dmn);
      };
      script.onerror = () => {
        dmnBundles.delete(kind);
        reject(new Error('无法加载决策表组件，请刷新页面'));
      };
      document.head.append(script);
    }));
  }
  return dmnBundles.get(kind);
}

async function rules(my, name, notice) {
  const m = await api(`/models/${encodeURIComponent(name)}`);
  const owner = me.role === 'process-owner';
  const by = (v) => actorName(v.deployedBy, ROLE);
  show(my, `<h2 title="${esc(name)}">${name === 'dispatch.dmn' ? '派单规则' : '决策表'}（版本 ${esc(m.version.id)}，${esc(by(m.version))}，${esc(atSec(m.version.deployedAt))}）</h2>
    ${owner ? '<p><input id="note" placeholder="修改说明" size="40"> <button id="check">检查</button> <button id="deploy">部署</button></p>' : ''}
    <pre class="changes" id="changes" hidden></pre>
    <div id="dmn"></div>
    <h3>版本历史</h3><table id="history"><thead><tr><th>版本</th><th>来源</th><th>部署人</th><th>时间</th><th>说明</th><th></th></tr></thead><tbody>
    ${m.history.map((v, n) => `<tr><td>${esc(v.id)}</td><td>${esc({ repo: '代码库', deploy: '部署', rollback: '回滚' }[v.source] ?? v.source)}</td><td title="${esc(v.deployedBy)}">${esc(by(v))}</td><td>${esc(atSec(v.deployedAt))}</td><td>${esc(v.note ?? '')}</td>
      <td>${owner && n > 0 ? `<button data-to="${esc(v.id)}">回滚到此版本</button>` : ''}</td></tr>`).join('')}</tbody></table>`);
  // A process owner edits the table; every other role reads it in the viewer (no editing controls).
  const Dmn = await dmnBundle(owner ? 'modeler' : 'viewer');
  const modeler = new Dmn({ container: '#dmn', ...dmnZhOptions });
  await modeler.importXML(m.version.content);

  const views = modeler.getViews();
  const table = views.find((v) => v.type === 'decisionTable');
  if (table) await modeler.open(table);
  // The table scrolls: reachable by keyboard, and named (the viewer has no focusable cell in it).
  for (const el of document.querySelectorAll('#dmn .tjs-table-container')) {
    el.tabIndex = 0;
    el.setAttribute('role', 'region');
    el.setAttribute('aria-label', `决策表 ${name}`);
  }
  const notify = (lines, cls = '') => {
    const el = $('#changes');
    el.hidden = false;
    el.className = `changes ${cls}`;
    el.textContent = lines.join('\n');
  };
  if (notice) notify(notice, 'ok');
  if (!owner) return;
  const send = async (dryRun) => {
    const { xml } = await modeler.saveXML({ format: true });
    try {
      const r = await api(`/models/${encodeURIComponent(name)}`, { method: 'POST', json: { xml, dryRun, note: $('#note').value || undefined } });
      const lines = [r.deployed ? `已部署为版本 ${r.deployed.id}` : dryRun ? '检查通过（未部署）' : '与当前版本相同，未部署', ...r.changes];
      if (r.deployed) await rules(++routeSeq, name, lines);
      else notify(lines, 'ok');
    } catch (err) {
      notify([err.message, ...(err.details?.problems ?? []).map((p) => `- ${p}`)], 'error');
    }
  };
  $('#check').addEventListener('click', () => send(true));
  $('#deploy').addEventListener('click', () => send(false));
  for (const b of document.querySelectorAll('#history button')) {
    b.addEventListener('click', async () => {
      try {
        const r = await api(`/models/${encodeURIComponent(name)}/rollback`, { method: 'POST', json: { to: b.dataset.to } });
        await rules(++routeSeq, name, [r.deployed ? `已回滚，部署为版本 ${r.deployed.id}` : '已是该版本', ...r.changes]);
      } catch (err) {
        notify([err.message], 'error');
      }
    });
  }
}

// 跳到主要内容: the page's own links are routes, so the skip link moves the focus itself.
$('.skip').addEventListener('click', (ev) => {
  ev.preventDefault();
  main.focus();
});
$('#logout').addEventListener('click', () => {
  sessionStorage.removeItem('hub-key');
  showLogin();
});
window.addEventListener('hashchange', route);
if (sessionStorage.getItem('hub-key')) start();
else showLogin();
