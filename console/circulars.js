// 通报: the centre drafts a circular from the facts (units chased twice or more and still not
// handling, the last of a month's ranking — config/assessment.json), a supervisor reads and edits
// it, then 批准并发送 (numbered, recorded on each order it names, mailed to each unit it names and to
// the duty leader) or 作废. Operators read them.
import { TIME_ZONE } from './centre.js';
import { formatInstant } from './time.js';
import { api } from './api.js';
import { bindForm, esc, facts, formHtml } from './forms.js';

const STATUS = { draft: '草稿', sent: '已发出', discarded: '已作废' };
const at = (iso) => formatInstant(iso, TIME_ZONE);

function circularHtml(c, canAct) {
  const head = facts([
    ['状态', STATUS[c.status]],
    ['文号', c.circularNo],
    ['考核期', c.periodLabel],
    ['被通报单位', c.units.map((u) => u.name).join('、')],
    ['涉及工单', c.orders.join('、')],
    ['起草', `${at(c.draftedAt)}`],
    ['批准发出', c.approvedAt ? at(c.approvedAt) : ''],
  ]);
  if (c.status === 'draft' && canAct) {
    return `<section class="circular" data-id="${esc(c.id)}" aria-labelledby="circular-${esc(c.id)}-heading">${formHtml({
      id: `circular-${c.id}`,
      title: `通报草稿（${c.title}）`,
      intro: head,
      fields: [
        { name: 'title', label: '标题', required: true, min: 4, max: 200, value: c.title },
        { name: 'body', label: '正文', type: 'textarea', required: true, min: 20, max: 20000, rows: 16, value: c.body },
      ],
      actions: [{ value: 'approve', label: '批准并发送' }, { value: 'save', label: '保存修改', kind: 'secondary' }, { value: 'discard', label: '作废', kind: 'danger' }],
    })}</section>`;
  }
  return `<section class="circular" data-id="${esc(c.id)}" aria-labelledby="circular-${esc(c.id)}-heading"><h3 id="circular-${esc(c.id)}-heading">${esc(c.circularNo ?? STATUS[c.status])} ${esc(c.title)}</h3>${head}<pre class="notice">${esc(c.body)}</pre></section>`;
}

export async function circularsPage(show, me) {
  const canAct = me.role === 'supervisor';
  const draw = async () => {
    const { circulars } = await api('/circulars?limit=50');
    document.querySelector('#circular-list').innerHTML = circulars.map((c) => circularHtml(c, canAct)).join('') || '<p>还没有通报。</p>';
    for (const c of circulars) {
      if (c.status !== 'draft' || !canAct) continue;
      bindForm(document.querySelector(`#circular-${CSS.escape(c.id)}`), async (v, act) => {
        const base = `/circulars/${encodeURIComponent(c.id)}`;
        if (act === 'discard') {
          await api(`${base}/discard`, { method: 'POST', json: {} });
          return '已作废';
        }
        await api(`${base}/edit`, { method: 'POST', json: { title: v.title, body: v.body } });
        if (act === 'save') return '已保存修改';
        const sent = await api(`${base}/approve`, { method: 'POST', json: {} });
        return `已批准并发送：${sent.circularNo}，已发往${sent.units.map((u) => u.name).join('、')}和值班领导`;
      });
    }
  };
  show(`<h2>通报</h2>
    ${canAct ? `<div class="search">${formHtml({ id: 'circular-draft', title: '起草通报', intro: '<p>平台按考核办法找出催办达到规定次数仍未办理的工单和月度考核排名末位的单位，生成通报草稿；审核修改后批准发送。</p>', fields: [{ name: 'of', label: '考核月份内任一日', type: 'date', hint: '不填：上月' }], actions: [{ label: '起草' }] })}</div>` : ''}
    <div id="circular-list"></div>`);
  if (canAct) {
    bindForm(
      document.querySelector('#circular-draft'),
      async (v) => {
        const c = await api('/circulars', { method: 'POST', json: v.of ? { of: v.of } : {} });
        await draw();
        document.querySelector(`#circular-${CSS.escape(c.id)}-title`)?.focus();
        return `已起草：点名 ${c.units.map((u) => u.name).join('、')}，涉及工单 ${c.orders.length} 件；请审核下方草稿`;
      },
      { once: false },
    );
  }
  await draw();
}
