// 群众来电摘报: the digest the centre's leaders get every morning (made from the orders alone: the
// day's volume against the usual, what surged, hard cases, overdue orders, units in trouble), the
// newest first, any earlier day from the list.
import { api } from './api.js';
import { esc } from './forms.js';

const draw = (d) => `<h2>群众来电摘报（${esc(d.day)}）</h2><pre class="notice" id="digest-text">${esc(d.text)}</pre>`;

export async function digestPage(show, day) {
  const r = await api('/digests');
  if (r.days.length === 0) return show('<h2>群众来电摘报</h2><p>还没有摘报：每天早晨生成前一天的摘报。</p>');
  const d = day && day !== r.days[0] ? await api(`/digests/${encodeURIComponent(day)}`) : r.latest;
  show(`${draw(d)}<nav aria-label="往日摘报"><h3>往日摘报</h3><ul>${r.days.map((x) => `<li><a href="#/digest/${esc(x)}"${x === d.day ? ' aria-current="page"' : ''}>${esc(x)}</a></li>`).join('')}</ul></nav>`);
}
