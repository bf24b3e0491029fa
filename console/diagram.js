// An order's process diagrams, as an operator reads them: each process the order ran (work-order
// and those it called) in the version its instance runs (the engine's version its jobs reported),
// the path it took (jobs, timers, and the gateways, events, receive tasks and call activities
// between them: path.js), where it stands, and its open incidents. A call activity opens the
// process it calls. Every mark has a sign as well as a colour, and the path is written out below.
import { esc } from './forms.js';
import { pathOf } from './path.js';
import { TIME_ZONE } from './centre.js';
import { formatInstant } from './time.js';

/** The Chinese part of a bilingual BPMN name ("派单与办理 dispatch and handle" → "派单与办理"). */
export const zhName = (name, fallback) => (name ? name.split(/\s+(?=[A-Za-z(])/)[0].trim() || name : fallback);

/** The process a call activity calls: Zeebe's <zeebe:calledElement processId>, or Camunda 7's calledElement attribute. */
function calledProcess(bo) {
  const ext = bo.extensionElements?.values?.find((x) => /calledElement$/i.test(x.$type));
  return bo.calledElement ?? ext?.processId ?? ext?.$attrs?.processId ?? null;
}

const jobEntries = (trace, processId) => trace.entries.filter((e) => e.source === 'job' && e.detail.bpmnProcessId === processId);

/** Open incidents of a process: an element whose last job entry is an incident. */
function openIncidents(trace, processId) {
  const last = new Map();
  for (const e of jobEntries(trace, processId)) last.set(e.detail.elementId, e);
  return [...last.values()].filter((e) => e.detail.kind === 'incident');
}

export async function orderDiagrams({ trace, api, done, root }) {
  const processes = [...new Set(['work-order', ...trace.entries.filter((e) => e.source === 'job' && e.detail.bpmnProcessId).map((e) => e.detail.bpmnProcessId)])];
  /** The model each process runs for this order: the version its last job reported, else (none recorded) the current one. */
  const models = new Map(
    await Promise.all(
      processes.map(async (p) => {
        const v = jobEntries(trace, p).findLast((e) => e.detail.processVersion)?.detail.processVersion;
        const current = () => api(`/models/${encodeURIComponent(p)}.bpmn`).then((m) => ({ ...m, exact: false }));
        const model = v ? await api(`/models/${encodeURIComponent(p)}.bpmn?engineVersion=${encodeURIComponent(v)}`).then((m) => ({ ...m, exact: true, engineVersion: v })).catch(current) : await current();
        const name = /<bpmn:process\b[^>]*\bname="([^"]*)"/.exec(model.version.content)?.[1];
        return [p, { ...model, title: zhName(name, p) }];
      }),
    ),
  );
  root.querySelector('#diagram-pick').innerHTML = `<label for="diagram-process">流程</label> <select id="diagram-process">${processes.map((p) => `<option value="${esc(p)}">${esc(models.get(p).title)}</option>`).join('')}</select> <span id="diagram-version"></span>`;
  const viewer = new window.BpmnJS({ container: root.querySelector('#diagram') });
  const draw = async (processId) => {
    const model = models.get(processId);
    await viewer.importXML(model.version.content);
    const canvas = viewer.get('canvas');
    canvas.zoom('fit-viewport');
    const registry = viewer.get('elementRegistry');
    const overlays = viewer.get('overlays');
    const badge = (id, text, cls, where = { top: -10, left: -10 }) => overlays.add(id, { position: where, html: `<span class="hub-badge ${cls}" aria-hidden="true">${esc(text)}</span>` });
    const v = model.version;
    root.querySelector('#diagram-version').textContent = model.exact
      ? `本工单运行的版本：第 ${model.engineVersion} 版（${formatInstant(v.deployedAt, TIME_ZONE)} 由 ${v.deployedBy} 部署）`
      : '未能确定本工单运行的版本，显示当前版本';
    // The graph: each element and where its flows lead.
    const graph = new Map(registry.filter((e) => e.type && e.type !== 'label' && !e.waypoints).map((e) => [e.id, { type: e.type, next: (e.outgoing ?? []).map((c) => ({ flow: c.id, to: c.target.id })) }]));
    // A call activity was passed when the process it calls ran a job: it stands for those jobs here.
    const calledBy = new Map();
    for (const e of registry.filter((x) => x.type === 'bpmn:CallActivity')) {
      const called = calledProcess(e.businessObject);
      if (called) calledBy.set(called, e.id);
    }
    const at = (e) => (e.detail.bpmnProcessId === processId ? e.detail.elementId : calledBy.get(e.detail.bpmnProcessId));
    const visits = trace.entries
      .filter((e) => (e.source === 'job' || e.source === 'timer') && at(e))
      .flatMap((e) => (e.source === 'timer' && e.detail.bpmnProcessId === processId ? [e.detail.timerId, e.detail.elementId] : [at(e)]))
      .filter((id, n, all) => id !== all[n - 1]);
    const path = pathOf(graph, visits, { ended: done });
    for (const id of path.nodes) {
      canvas.addMarker(id, 'hub-done');
      badge(id, '✓', '');
    }
    for (const id of path.flows) canvas.addMarker(id, 'hub-flow');
    const last = trace.entries.filter((e) => e.source === 'job' && e.detail.bpmnProcessId).at(-1);
    const current = !done && last && at(last) && registry.get(at(last)) ? at(last) : null;
    if (current) {
      canvas.addMarker(current, 'hub-current');
      badge(current, '当前', 'current', { bottom: -6, right: 30 });
    }
    const incidents = openIncidents(trace, processId).filter((e) => registry.get(e.detail.elementId));
    for (const e of incidents) {
      canvas.addMarker(e.detail.elementId, 'hub-incident');
      badge(e.detail.elementId, '故障', 'incident', { bottom: -6, left: -10 });
    }
    const nameOf = (id) => zhName(registry.get(id)?.businessObject?.name, id);
    const worked = [...path.nodes].filter((id) => !/Gateway|SequenceFlow/.test(registry.get(id)?.type ?? ''));
    root.querySelector('#diagram-text').textContent =
      `已经过：${worked.map(nameOf).join('、') || '无'}${current ? `；当前：${nameOf(current)}` : ''}${incidents.length ? `；故障：${incidents.map((e) => `${nameOf(e.detail.elementId)}（${e.detail.error ?? ''}）`).join('、')}` : ''}。`;
  };
  const select = root.querySelector('#diagram-process');
  select.addEventListener('change', () => void draw(select.value).catch((err) => (root.querySelector('#diagram-text').textContent = err.message)));
  // A call activity opens, in place, the process it calls (when the order ran it).
  viewer.get('eventBus').on('element.click', (ev) => {
    if (ev.element.type !== 'bpmn:CallActivity') return;
    const called = calledProcess(ev.element.businessObject);
    if (called && models.has(called)) {
      select.value = called;
      select.dispatchEvent(new Event('change'));
    }
  });
  await draw('work-order');
}
