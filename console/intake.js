// 受理: the call-taker's form. Beside it the knowledge base, searched as the title and description
// are typed, each entry with 当即答复 (the order closes citing it); above the save button the open
// order this call would be merged into (重复件), asked of the hub as soon as phone, category,
// district and address are filled in, so the call-taker can tell the caller before saving.
import { CHANNEL, EMERGENCY, STATUS, TYPE } from './names.js';
import { api, actionKey, catalog } from './api.js';
import { bindForm, esc, formHtml } from './forms.js';
import { TIME_ZONE } from './centre.js';
import { formatInstant } from './time.js';

/** Leaf categories under their groups, for a <select> with <optgroup>s. */
function categoryOptions(tree) {
  const leaves = (n) => (n.children.length ? n.children.flatMap(leaves) : [[n.code, n.name]]);
  return tree.map((root) => (root.children.length ? ['', root.name, leaves(root)] : [root.code, root.name]));
}

export async function intake(show) {
  const cat = await catalog();
  const form = formHtml({
    id: 'intake',
    title: '受理诉求',
    fields: [
      { name: 'channel', label: '受理渠道', type: 'select', options: Object.entries(CHANNEL), value: 'phone' },
      { name: 'type', label: '诉求类型', type: 'select', options: Object.entries(TYPE), value: 'complaint' },
      { name: 'category', label: '诉求分类', type: 'select', required: true, empty: '（选择分类）', options: categoryOptions(cat.categoryTree) },
      { name: 'district', label: '所在区', type: 'select', required: true, empty: '（选择区）', options: cat.districts.map((d) => [d.code, d.name]) },
      { name: 'address', label: '详细地址', required: true, max: 300 },
      { name: 'title', label: '诉求标题', required: true, max: 200 },
      { name: 'description', label: '诉求内容', type: 'textarea', required: true, max: 4000, rows: 4 },
      { name: 'urgent', label: '紧急', type: 'checkbox' },
      { name: 'name', path: 'citizen.name', label: '诉求人姓名', required: true, max: 100, autocomplete: 'off' },
      { name: 'phone', path: 'citizen.phone', label: '联系电话', type: 'tel', required: true, max: 20, autocomplete: 'off' },
      { name: 'confidential', path: 'citizen.confidential', label: '保密（承办单位看不到诉求人身份和详细内容）', type: 'checkbox' },
      { name: 'unitSummary', label: '告知承办单位的概要（保密件必填）', type: 'textarea', max: 2000, rows: 2 },
      { name: 'complainedUnit', label: '被投诉单位（须回避）', type: 'select', empty: '（无）', options: cat.units.map((u) => [u.code, u.name]) },
      { name: 'emergency', path: 'emergency.kind', label: '紧急联动', type: 'select', empty: '（不涉及）', options: ['police', 'fire', 'medical', 'traffic', 'unclear'].map((k) => [k, EMERGENCY[k]]) },
      { name: 'threeWayCall', path: 'emergency.threeWayCall', label: '三方通话结果（归属不明时必填）', type: 'select', empty: '（未进行）', options: ['partner-takes', 'hotline-keeps'].map((k) => [k, EMERGENCY[k]]) },
    ],
    actions: [{ label: '保存并受理' }],
  });
  show(`<h2>受理</h2><div class="intake">
    <div class="intake-form">${form.replace('<div class="actions">', '<div id="answer-now" class="notice" role="status" aria-live="polite" hidden></div><div id="repeat" class="notice" role="status" aria-live="polite" hidden></div><div class="actions">')}</div>
    <aside class="knowledge" aria-labelledby="kb-title"><h3 id="kb-title">知识库</h3>
      <form id="kb" role="search"><label for="kb-q">检索</label> <input id="kb-q" type="search" maxlength="200"> <button type="submit">检索</button></form>
      <ul id="kb-results" aria-live="polite"></ul></aside></div>`);
  const f = document.querySelector('#intake');
  const el = (name) => f.elements.namedItem(name);
  const key = actionKey();
  let entry = null; // 当即答复: the knowledge-base entry the call-taker answers from
  const answerNow = document.querySelector('#answer-now');
  const setEntry = (e) => {
    entry = e;
    answerNow.hidden = !e;
    answerNow.innerHTML = e ? `已选择按知识库“${esc(e.title)}”当即答复：保存后工单即办结。 <button type="button" id="answer-now-clear">取消当即答复</button>` : '';
    document.querySelector('#answer-now-clear')?.addEventListener('click', () => setEntry(null));
  };
  // The knowledge base, searched with what was typed (or the title, as it is typed).
  const search = async (q) => {
    const list = document.querySelector('#kb-results');
    if (!q) return void (list.innerHTML = '');
    try {
      const r = await api(`/knowledge?q=${encodeURIComponent(q)}&limit=5`);
      list.innerHTML = r.entries.map((e, n) => `<li><b>${esc(e.title)}</b><p>${esc(String(e.body).slice(0, 200))}</p><button type="button" data-n="${n}">按此条当即答复</button></li>`).join('') || '<li>没有相关条目</li>';
      for (const b of list.querySelectorAll('button')) b.addEventListener('click', () => setEntry(r.entries[Number(b.dataset.n)]));
    } catch (err) {
      list.innerHTML = `<li class="error">${esc(err.message)}</li>`;
    }
  };
  let typing;
  el('title').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      document.querySelector('#kb-q').value = el('title').value.trim();
      void search(el('title').value.trim());
    }, 400);
  });
  document.querySelector('#kb').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void search(document.querySelector('#kb-q').value.trim());
  });
  // 重复件, before saving.
  const repeat = document.querySelector('#repeat');
  const checkRepeat = async () => {
    const v = { phone: el('phone').value.trim(), type: el('type').value || undefined, category: el('category').value, district: el('district').value, address: el('address').value.trim() };
    if (!v.phone || !v.category || !v.district || !v.address || !/^\+?[0-9-]{5,20}$/.test(v.phone)) return void (repeat.hidden = true);
    try {
      const { repeatOf: o } = await api('/orders/repeat-check', { method: 'POST', json: v });
      repeat.hidden = !o;
      repeat.innerHTML = o ? `此来电与在办工单 <a href="#/orders/${esc(o.orderNo)}">${esc(o.orderNo)}</a>（${esc(o.title)}，${esc(STATUS[o.status] ?? '')}，${esc(o.address)}，${esc(formatInstant(o.createdAt, TIME_ZONE))} 受理）为同一诉求，保存后将并入该工单，不再重复派单。` : '';
    } catch {
      repeat.hidden = true;
    }
  };
  for (const name of ['phone', 'category', 'district', 'address']) el(name).addEventListener('change', () => void checkRepeat());
  bindForm(f, async (v) => {
    const body = {
      channel: v.channel, type: v.type, category: v.category, district: v.district, address: v.address, title: v.title, description: v.description, urgent: v.urgent,
      citizen: { name: v.name, phone: v.phone, confidential: v.confidential },
      ...(v.unitSummary ? { unitSummary: v.unitSummary } : {}),
      ...(v.complainedUnit ? { complainedUnit: v.complainedUnit } : {}),
      ...(v.emergency ? { emergency: { kind: v.emergency, ...(v.threeWayCall ? { threeWayCall: v.threeWayCall } : {}) } } : {}),
      ...(entry ? { knowledgeEntryId: entry.id } : {}),
    };
    const r = await api('/orders', { method: 'POST', json: body, headers: { 'Idempotency-Key': key } });
    const link = (no) => `<a href="#/orders/${esc(no)}">${esc(no)}</a>`;
    const next = `<a href="#/intake?next=${Date.now()}" id="intake-next">受理下一个</a>`;
    return { html: r.mergedInto ? `已受理为 ${link(r.orderNo)}，并入在办工单 ${link(r.mergedInto)}。 ${next}` : `已受理，工单号 ${link(r.orderNo)}（请告知诉求人）。 ${next}` };
  });
}
