// 考核排名: the units (or districts) of a week, month, quarter or year, scored and ranked by the
// centre's method (ASSESSMENT_FILE), with the rates behind each score, the method in words, and
// the same report as Excel or CSV. Without a date, the last whole period (上月, 上周, …).
import { api, apiFile } from './api.js';
import { bindForm, esc, formHtml, valuesOf } from './forms.js';

const PERIODS = [['month', '月度'], ['week', '周'], ['quarter', '季度'], ['year', '年度']];
const pct = (r) => (r === null || r === undefined ? '—' : `${(r * 100).toFixed(1)}%`);

/** The columns of the ranking: heading, and the cell of a row. */
const COLUMNS = [
  ['排名', (r) => (r.rank ?? '样本不足')],
  ['名称', (r) => r.name],
  ['得分', (r) => (r.score ?? '—')],
  ['派单', (r) => r.dispatches],
  ['响应率', (r) => pct(r.responseRate)],
  ['按时办结率', (r) => pct(r.onTimeRate)],
  ['满意率', (r) => pct(r.satisfactionRate)],
  ['解决率', (r) => pct(r.resolutionRate)],
  ['退单率', (r) => pct(r.returnRate)],
  ['重办率', (r) => pct(r.redoRate)],
  ['催办次数', (r) => r.chases],
  ['督办率', (r) => pct(r.supervisionRate)],
];

const query = (v) => new URLSearchParams({ period: v.period, by: v.by, ...(v.of ? { of: v.of } : {}) }).toString();

export async function assessmentPage(show) {
  const fields = [
    { name: 'period', label: '考核周期', type: 'select', options: PERIODS, value: 'month' },
    { name: 'of', label: '考核期内任一日', type: 'date', hint: '不填：上一个完整的考核期（如上月）' },
    { name: 'by', label: '考核对象', type: 'select', options: [['unit', '承办单位'], ['district', '区']], value: 'unit' },
  ];
  show(`<h2>考核排名</h2>
    <div class="search">${formHtml({ id: 'assess', title: '查询', fields, actions: [{ value: 'show', label: '查询' }, { value: 'xlsx', label: '导出 Excel', kind: 'secondary' }, { value: 'csv', label: '导出 CSV', kind: 'secondary' }] })}</div>
    <p id="assess-summary" role="status" aria-live="polite"></p>
    <table id="ranking"><caption class="sr-only">考核排名：名次、得分及各项比率</caption><thead><tr>${COLUMNS.map(([h]) => `<th scope="col">${h}</th>`).join('')}</tr></thead><tbody></tbody><tfoot></tfoot></table>
    <details id="method"><summary>考核办法</summary><dl></dl></details>`);
  const form = document.querySelector('#assess');
  const draw = async (v) => {
    const a = await api(`/assessment?${query(v)}`);
    const row = (r) => `<tr data-key="${esc(r.key)}"${r.rank ? '' : ' class="unranked"'}>${COLUMNS.map(([, cell], i) => (i === 1 ? `<th scope="row">${esc(cell(r))}</th>` : `<td>${esc(cell(r))}</td>`)).join('')}</tr>`;
    document.querySelector('#ranking tbody').innerHTML = a.rows.map(row).join('') || `<tr><td colspan="${COLUMNS.length}">本期没有工单</td></tr>`;
    document.querySelector('#ranking tfoot').innerHTML = row({ ...a.total, rank: '' });
    document.querySelector('#assess-summary').textContent = `${a.period.label}（${a.period.first} 至 ${a.period.last}），${a.rows.filter((r) => r.rank).length} 个参与排名`;
    document.querySelector('#method dl').innerHTML = a.method.lines.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('');
    return a;
  };
  bindForm(
    form,
    async (v, act) => {
      if (act === 'xlsx' || act === 'csv') {
        const { blob, name } = await apiFile(`/assessment.${act}?${query(v)}`);
        const href = URL.createObjectURL(blob);
        return { html: `已导出：<a id="export-link" href="${href}" download="${esc(name)}">${esc(name)}</a>（如未自动下载，请点此链接）`, after: () => document.querySelector('#export-link')?.click() };
      }
      const a = await draw(v);
      return `${a.period.label}：${a.rows.length} 个`;
    },
    { once: false },
  );
  await draw(valuesOf(form));
}
