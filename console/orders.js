// 工单查询: the order list as a search — number, the caller's phone (the centre's roles only; the
// hub audits it), address, unit, status, category (a group takes its categories), the dates it
// was accepted (days in the centre's zone) — a page at a time, and the same search exported as CSV.
// A unit's key searches its own orders (收件箱).
import { STATUS } from './names.js';
import { TIME_ZONE } from './centre.js';
import { formatInstant, startOfDay } from './time.js';
import { api, apiFile, catalog } from './api.js';
import { bindForm, esc, formHtml, showOutcome, valuesOf } from './forms.js';

const CENTRE = ['call-taker', 'dispatcher', 'supervisor', 'callback-agent'];
const PAGE = 50;

/** Categories as a flat list: a group (all its categories) followed by its categories, indented. */
function categoryOptions(tree, depth = 0) {
  return tree.flatMap((n) => [[n.code, `${'　'.repeat(depth)}${n.name}${n.children.length ? '（全部）' : ''}`], ...categoryOptions(n.children, depth + 1)]);
}

/** The search's filters as the API takes them: days become the centre's midnights, the last day counted whole. */
function filtersOf(v) {
  const nextDay = (d) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const f = {};
  for (const k of ['phone', 'address', 'unit', 'status', 'category']) if (v[k]) f[k] = v[k];
  if (v.from) f.from = startOfDay(v.from, TIME_ZONE).toISOString();
  if (v.to) f.to = startOfDay(nextDay(v.to), TIME_ZONE).toISOString();
  return f;
}

export async function orderSearch(show, me) {
  const cat = await catalog();
  const status = new URLSearchParams(location.hash.split('?')[1] ?? '').get('status') ?? '';
  const fields = [
    { name: 'orderNo', label: '工单号', max: 16, hint: '填写工单号直接打开该工单' },
    ...(CENTRE.includes(me.role) ? [{ name: 'phone', label: '联系电话', type: 'tel', max: 20, autocomplete: 'off', hint: '按电话查询会记入审计日志' }] : []),
    { name: 'address', label: '地址（包含）', max: 100 },
    ...(me.role === 'unit' ? [] : [{ name: 'unit', label: '承办单位', type: 'select', empty: '（全部）', options: cat.units.map((u) => [u.code, u.name]) }]),
    { name: 'status', label: '状态', type: 'select', empty: '（全部）', options: Object.entries(STATUS), value: status },
    { name: 'category', label: '诉求分类', type: 'select', empty: '（全部）', options: categoryOptions(cat.categoryTree) },
    { name: 'from', label: '受理日期从', type: 'date' },
    { name: 'to', label: '受理日期至', type: 'date' },
  ];
  show(`<h2>${me.role === 'unit' ? '本单位工单（收件箱）' : '工单'}</h2>
    <div class="search" role="search">${formHtml({ id: 'search', title: '查询', fields, actions: [{ value: 'search', label: '查询' }, { value: 'export', label: '导出 CSV', kind: 'secondary' }] })}</div>
    <p id="found" role="status" aria-live="polite"></p>
    <table id="orders"><caption class="sr-only">查询结果，按受理时间从新到旧</caption><thead><tr><th scope="col">工单号</th><th scope="col">受理时间</th><th scope="col">标题</th><th scope="col">状态</th><th scope="col">承办单位</th><th scope="col">办理时限</th></tr></thead><tbody></tbody></table>
    <nav class="pager" aria-label="翻页"><button type="button" id="prev" disabled>上一页</button> <button type="button" id="next" disabled>下一页</button></nav>`);
  const form = document.querySelector('#search');
  let filters = {};
  /** The `before` of each page shown so far: the first page has none. */
  let pages = [];
  const draw = async (before) => {
    const r = await api('/orders/search', { method: 'POST', json: { ...filters, limit: PAGE, ...(before ? { before } : {}) } });
    document.querySelector('#orders tbody').innerHTML =
      r.orders.map((o) => `<tr data-order="${esc(o.orderNo)}"><td><a href="#/orders/${esc(o.orderNo)}">${esc(o.orderNo)}</a></td><td>${esc(formatInstant(o.createdAt, TIME_ZONE))}</td><td>${esc(o.title)}</td><td>${esc(STATUS[o.status] ?? o.status)}</td><td>${esc(o.unit?.name ?? '')}</td><td>${esc(formatInstant(o.dueAt, TIME_ZONE))}</td></tr>`).join('') ||
      '<tr><td colspan="6">没有符合条件的工单</td></tr>';
    document.querySelector('#found').textContent = `第 ${pages.length} 页，本页 ${r.orders.length} 件${r.next ? '，还有更多' : ''}`;
    const next = document.querySelector('#next');
    next.disabled = !r.next;
    next.dataset.before = r.next?.before ?? '';
    document.querySelector('#prev').disabled = pages.length <= 1;
    return r.orders.length;
  };
  bindForm(
    form,
    async (v, act) => {
      if (v.orderNo) {
        location.hash = `#/orders/${encodeURIComponent(v.orderNo)}`;
        return '';
      }
      filters = filtersOf(v);
      if (act === 'export') {
        const { blob, name } = await apiFile('/orders/search.csv', filters);
        const href = URL.createObjectURL(blob);
        const link = `<a id="export-link" href="${href}" download="${esc(name)}">${esc(name)}</a>`;
        return { html: `已导出：${link}（如未自动下载，请点此链接）`, after: () => document.querySelector('#export-link')?.click() };
      }
      pages = [undefined];
      const n = await draw();
      return `找到 ${n}${document.querySelector('#next').disabled ? '' : '+'} 件`;
    },
    { once: false },
  );
  const page = async (before, push) => {
    try {
      if (push) pages.push(before);
      else pages.pop();
      await draw(pages.at(-1));
    } catch (err) {
      showOutcome(form, err);
    }
  };
  document.querySelector('#next').addEventListener('click', (ev) => void page(ev.target.dataset.before, true));
  document.querySelector('#prev').addEventListener('click', () => void page(undefined, false));
  // The first page at once: the newest orders (a unit's inbox), or those of the status asked for.
  filters = filtersOf(valuesOf(form));
  pages = [undefined];
  await draw();
}
