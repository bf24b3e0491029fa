// 附件 on an order's page: the files the caller may see (the centre all; a unit its own and the
// intake ones of a request not kept confidential), each downloaded with the caller's key; and,
// where the caller may add one (the centre on an open order, a unit on the answer it owes), a
// file picker. A unit's files go with its next answer, signed off by its leader (desk.js).
import { api, ApiError } from './api.js';
import { esc } from './forms.js';

const KIND = { intake: '受理附件', reply: '单位反馈附件' };
const size = (n) => (n === null || n === undefined ? '' : n < 1024 * 1024 ? `${Math.ceil(n / 1024)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

/** The section's HTML: the list, and the picker when `canAdd`. */
export function attachmentsHtml(files, canAdd) {
  const rows = files.map((f) => `<li data-attachment="${esc(f.id)}">${f.url
    ? `<a href="${esc(f.url)}" rel="noopener noreferrer" target="_blank">${esc(f.name)}</a>（市民应用提供的链接）`
    : `<button type="button" class="link" data-download="${esc(f.id)}">${esc(f.name)}</button> ${esc(size(f.size))}`} · ${esc(KIND[f.kind] ?? f.kind)}${f.signedOffBy ? ` · 签发：${esc(f.signedOffBy)}` : f.kind === 'reply' && !f.replyId ? ' · 待随反馈报送' : ''}</li>`);
  return `<h3>附件</h3><ul id="attachments">${rows.join('') || '<li class="empty">暂无附件</li>'}</ul>
    ${canAdd ? '<p><label>添加附件（JPEG、PNG 图片或 PDF）<input type="file" id="attachment-file" accept="image/jpeg,image/png,application/pdf"></label> <span id="attachment-outcome" role="status" aria-live="polite"></span></p>' : ''}`;
}

/** Downloads a file with the caller's key (a plain link would go without it). */
async function download(orderNo, id, name) {
  const key = sessionStorage.getItem('hub-key');
  const res = await fetch(`/api/v1/orders/${encodeURIComponent(orderNo)}/attachments/${encodeURIComponent(id)}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  if (!res.ok) throw new ApiError(res.status, (await res.json().catch(() => ({}))).error);
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Binds the list's downloads and the picker; `reload` draws the page again after an upload. */
export function bindAttachments(root, orderNo, files, reload) {
  for (const b of root.querySelectorAll('[data-download]')) {
    b.addEventListener('click', () => {
      const f = files.find((x) => x.id === b.dataset.download);
      download(orderNo, b.dataset.download, f?.name ?? '附件').catch((err) => (b.title = err.message));
    });
  }
  const input = root.querySelector('#attachment-file');
  input?.addEventListener('change', async () => {
    const file = input.files?.[0];
    if (!file) return;
    const out = root.querySelector('#attachment-outcome');
    out.textContent = '正在上传…';
    try {
      await api(`/orders/${encodeURIComponent(orderNo)}/attachments?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file, headers: { 'content-type': file.type || 'application/octet-stream' } });
      out.textContent = `已上传：${file.name}`;
      reload();
    } catch (err) {
      out.textContent = err.message;
    }
  });
}
