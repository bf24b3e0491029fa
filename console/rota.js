// 值班表: the duty leaders by shift, from yesterday to two weeks ahead — who is on duty now, the
// gaps nobody covers (escalations then go to the standing address), and for supervisors and
// admins the form to add a shift and a button to remove one. Every escalation (督办, an emergency
// hand-over unconfirmed, a task left open, a circular, a supervision notice) goes to the leader on
// duty when it is raised.
import { TIME_ZONE } from './centre.js';
import { formatInstant } from './time.js';
import { api } from './api.js';
import { bindForm, esc, formHtml } from './forms.js';

const at = (iso) => formatInstant(iso, TIME_ZONE);

export async function rotaPage(show, me) {
  const canEdit = ['supervisor', 'admin'].includes(me.role);
  show(`<h2>值班表</h2>
    <p id="on-duty" role="status" aria-live="polite"></p>
    <table id="shifts"><caption class="sr-only">值班班次：开始、结束、值班领导及联系方式</caption><thead><tr><th scope="col">开始</th><th scope="col">结束</th><th scope="col">值班领导</th><th scope="col">电子邮箱</th><th scope="col">电话</th>${canEdit ? '<th scope="col">操作</th>' : ''}</tr></thead><tbody></tbody></table>
    <h3>无人值班的时段</h3><ul id="gaps"></ul>
    ${canEdit ? `<div class="search">${formHtml({
      id: 'shift',
      title: '新增班次',
      intro: '<p>同一时间只能有一位值班领导；班次最长 7 天。</p>',
      fields: [
        { name: 'startsAt', label: '开始', type: 'datetime', required: true },
        { name: 'endsAt', label: '结束', type: 'datetime', required: true },
        { name: 'leaderName', label: '值班领导', required: true, max: 50 },
        { name: 'leaderEmail', label: '电子邮箱', type: 'email', required: true, max: 200 },
        { name: 'leaderPhone', label: '电话', type: 'tel', max: 30 },
      ],
      actions: [{ label: '新增班次' }],
    })}</div>` : ''}`);
  const draw = async () => {
    const r = await api('/duty-rota');
    document.querySelector('#on-duty').textContent = r.onDuty ? `当前值班领导：${r.onDuty.name}（${r.onDuty.email}${r.onDuty.phone ? `，${r.onDuty.phone}` : ''}）` : `当前无人值班：升级事项发往 ${r.fallback}`;
    document.querySelector('#shifts tbody').innerHTML =
      r.shifts
        .map((s) => `<tr data-shift="${esc(s.id)}"><td>${esc(at(s.startsAt))}</td><td>${esc(at(s.endsAt))}</td><td>${esc(s.leaderName)}</td><td>${esc(s.leaderEmail)}</td><td>${esc(s.leaderPhone ?? '')}</td>${canEdit ? `<td><button type="button" class="secondary" data-remove="${esc(s.id)}" aria-label="删除 ${esc(s.leaderName)} ${esc(at(s.startsAt))} 的班次">删除</button></td>` : ''}</tr>`)
        .join('') || `<tr><td colspan="${canEdit ? 6 : 5}">这段时间没有排班</td></tr>`;
    document.querySelector('#gaps').innerHTML = r.gaps.map((g) => `<li>${esc(at(g.from))} 至 ${esc(at(g.to))}（升级事项发往 ${esc(r.fallback)}）</li>`).join('') || '<li>无</li>';
    for (const b of document.querySelectorAll('[data-remove]')) {
      b.addEventListener('click', async () => {
        await api(`/duty-rota/${encodeURIComponent(b.dataset.remove)}`, { method: 'DELETE' });
        await draw();
      });
    }
  };
  if (canEdit) {
    bindForm(
      document.querySelector('#shift'),
      async (v) => {
        const s = await api('/duty-rota', { method: 'POST', json: { startsAt: v.startsAt, endsAt: v.endsAt, leaderName: v.leaderName, leaderEmail: v.leaderEmail, ...(v.leaderPhone ? { leaderPhone: v.leaderPhone } : {}) } });
        await draw();
        return `已新增：${s.leaderName}，${at(s.startsAt)} 至 ${at(s.endsAt)}`;
      },
      { once: false },
    );
  }
  await draw();
}
