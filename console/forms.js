// The console's forms: every field with its <label>, every outcome in a live region, a refusal in
// the staff's words with the fields it concerns marked (aria-invalid) and named by their labels.
// A form is described once (fields, actions) and sent by one function; the same shape on every
// desk (intake, dispatch, review, the unit's actions, callback, publication).
import { TIME_ZONE } from './centre.js';
import { fromLocalInput, toLocalInput } from './time.js';

export const esc = (v) => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

/** The field's value attribute: a datetime field shows an instant in the centre's zone. */
const initial = (f) => (f.type === 'datetime' ? toLocalInput(f.value, TIME_ZONE) : (f.value ?? ''));

function fieldHtml(formId, f) {
  const id = `${formId}-${f.name}`;
  const path = esc(f.path ?? f.name);
  const req = f.required ? ' required aria-required="true"' : '';
  const len = `${f.min ? ` minlength="${f.min}"` : ''}${f.max ? ` maxlength="${f.max}"` : ''}`;
  const hint = f.hint ? `<small id="${id}-hint">${esc(f.hint)}</small>` : '';
  const described = f.hint ? ` aria-describedby="${id}-hint"` : '';
  const star = f.required ? '<span class="req" aria-hidden="true">*</span>' : '';
  const attrs = `id="${id}" name="${esc(f.name)}" data-path="${path}"${req}${described}`;
  if (f.type === 'radio') {
    return `<fieldset class="field" data-path="${path}"><legend>${esc(f.label)}${star}</legend>${f.options
      .map(([v, l], n) => `<label class="choice"><input type="radio" name="${esc(f.name)}" value="${esc(v)}" ${(f.value ?? f.options[0][0]) === v ? 'checked' : ''} ${n === 0 ? req : ''}> ${esc(l)}</label>`)
      .join('')}${hint}</fieldset>`;
  }
  if (f.type === 'checkbox') return `<div class="field"><label class="choice"><input type="checkbox" ${attrs} ${f.value ? 'checked' : ''}> ${esc(f.label)}</label>${hint}</div>`;
  const control =
    f.type === 'textarea' ? `<textarea ${attrs}${len} rows="${f.rows ?? 3}">${esc(f.value ?? '')}</textarea>`
    : f.type === 'select' ? `<select ${attrs}>${f.empty !== undefined ? `<option value="">${esc(f.empty)}</option>` : ''}${f.options.map(([v, l, group]) => (group ? `<optgroup label="${esc(l)}">${group.map(([gv, gl]) => `<option value="${esc(gv)}" ${gv === f.value ? 'selected' : ''}>${esc(gl)}</option>`).join('')}</optgroup>` : `<option value="${esc(v)}" ${v === f.value ? 'selected' : ''}>${esc(l)}</option>`)).join('')}</select>`
    : `<input type="${f.type === 'datetime' ? 'datetime-local' : (f.type ?? 'text')}" ${attrs}${len} value="${esc(initial(f))}"${f.autocomplete ? ` autocomplete="${f.autocomplete}"` : ''}>`;
  return `<div class="field${f.hidden ? ' hidden' : ''}" ${f.hidden ? 'hidden' : ''}><label for="${id}">${esc(f.label)}${star}</label>${control}${hint}</div>`;
}

/**
 * A form: `title` as its heading (and accessible name), `intro` (HTML the caller escaped) above the
 * fields, one submit button per action (its value tells which was pressed).
 */
export function formHtml({ id, title, intro = '', fields = [], actions = [{ label: '提交' }] }) {
  return `<form id="${id}" class="desk" aria-labelledby="${id}-heading" novalidate>
    <h3 id="${id}-heading">${esc(title)}</h3>${intro}
    ${fields.map((f) => fieldHtml(id, f)).join('')}
    <div class="actions">${actions.map((a) => `<button type="submit" name="act" value="${esc(a.value ?? 'submit')}"${a.kind ? ` class="${a.kind}"` : ''}>${esc(a.label)}</button>`).join(' ')}</div>
    <p class="result" id="${id}-outcome" role="status" aria-live="polite"></p></form>`;
}

/** The form's values by field name: text trimmed, a checkbox true/false, a datetime as ISO 8601 with the zone's offset ('' when empty). */
export function valuesOf(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.name === 'act') continue;
    if (el.type === 'radio') {
      if (el.checked) out[el.name] = el.value;
    } else if (el.type === 'checkbox') out[el.name] = el.checked;
    else if (el.type === 'datetime-local') out[el.name] = fromLocalInput(el.value, TIME_ZONE);
    else out[el.name] = el.value.trim();
  }
  return out;
}

/** Shows an outcome in the form's live region: ok, or a refusal with the fields it concerns marked. */
export function showOutcome(form, outcome) {
  const out = form.querySelector('.result');
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  if (!(outcome instanceof Error)) {
    out.className = 'result ok';
    // Text, or HTML the caller built with esc() (a link to the order made).
    if (typeof outcome === 'object' && outcome?.html) {
      out.innerHTML = outcome.html;
      outcome.after?.();
    } else out.textContent = outcome;
    return;
  }
  const issues = Array.isArray(outcome.details) ? outcome.details : [];
  const labels = [];
  for (const issue of issues) {
    const path = (issue.path ?? []).join('.');
    const el = form.querySelector(`[data-path="${CSS.escape(path)}"]`) ?? form.querySelector(`[data-path="${CSS.escape(String(issue.path?.[0] ?? ''))}"]`);
    if (!el) continue;
    el.setAttribute('aria-invalid', 'true');
    const label = el.tagName === 'FIELDSET' ? el.querySelector('legend')?.textContent : form.querySelector(`label[for="${el.id}"]`)?.textContent;
    if (label && !labels.includes(label.replace('*', ''))) labels.push(label.replace('*', ''));
  }
  out.className = 'result error';
  out.textContent = labels.length ? `${outcome.message}：${labels.join('、')}` : outcome.message;
  form.querySelector('[aria-invalid]')?.focus();
}

/**
 * Sends the form with `send(values, action)`, which returns the text to show when it was done. A
 * form done for good (`once`) keeps its buttons disabled: pressed twice, nothing goes twice.
 */
export function bindForm(form, send, { once = true } = {}) {
  if (!form) return;
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const buttons = [...form.querySelectorAll('button')];
    for (const b of buttons) b.disabled = true;
    form.setAttribute('aria-busy', 'true');
    let done = false;
    try {
      showOutcome(form, await send(valuesOf(form), ev.submitter?.value ?? 'submit'));
      done = once;
    } catch (err) {
      showOutcome(form, err instanceof Error ? err : new Error(String(err)));
    } finally {
      form.removeAttribute('aria-busy');
      if (!done) for (const b of buttons) b.disabled = false;
    }
  });
}

/** A definition list of what a decision is about (the unit's answer, the reason it gave…), escaped. */
export const facts = (rows) => `<dl class="facts">${rows.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`;
