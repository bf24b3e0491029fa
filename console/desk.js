// 办理: the decisions a role takes on an order's page. Each open task of the order (改派, 退单审核,
// 延期审批, 答复审核, 协调, 街道答复审核) gets its form with what it is about shown beside it; a unit
// gets its actions (签收, 反馈, 退单, 延期, 到场, 进展, 下派), a callback agent 回访 with the unit's
// answer, a supervisor 督办单, 政务公开 and 撤销, a dispatcher 人工派单. Which actions a status allows comes
// from the order core (names.js FROM); the hub refuses the rest in words (forms.js shows them).
import { DONE, EMERGENCY, FROM, MODE, SATISFACTION, TASK } from './names.js';
import { TIME_ZONE } from './centre.js';
import { formatInstant } from './time.js';
import { api, actionKey } from './api.js';
import { bindForm, esc, facts, formHtml } from './forms.js';

const at = (iso) => formatInstant(iso, TIME_ZONE);
const DISPATCH_MODES = ['phone-dispatch', 'written-dispatch', 'urgent'];
const modeOptions = DISPATCH_MODES.map((m) => [m, MODE[m]]);
/** Units to choose from, grouped by level (市级部门、区、街道), without the ones the order may not go to. */
function unitOptions(cat, except = []) {
  const levels = [[1, '市级'], [2, '市级部门、区人民政府及公共企业'], [3, '街道（乡镇）']];
  const units = cat.units.filter((u) => !except.includes(u.code));
  return levels.map(([level, label]) => ['', label, units.filter((u) => u.level === level).map((u) => [u.code, u.name])]).filter(([, , g]) => g.length > 0);
}
const why = (label, required = true) => ({ name: 'reason', label, type: 'textarea', required, max: 1000, rows: 2 });

/** The forms of one open task. */
function taskForm(t, o, cat) {
  const d = t.detail ?? {};
  const id = `task-${t.id}`;
  const complete = (json) => api(`/tasks/${encodeURIComponent(t.id)}/complete`, { method: 'POST', json: { kind: t.kind, ...json } });
  const r = o.dispatchRule?.rule;
  const version = r ? `派单规则第 ${o.dispatchRule.version} 版第 ${r.index} 条${r.description ? `“${r.description}”` : ''}` : o.dispatchAdvice?.catalogueVersion?.replace(/^dispatch v(\d+)$/, '派单规则第 $1 版');
  const advice = o.dispatchAdvice?.unit ? `派单规则建议：${o.dispatchAdvice.unit.name}（${MODE[o.dispatchAdvice.mode] ?? ''}${version ? `，${version}` : ''}）` : '派单规则未能确定承办单位';
  const due = t.dueAt ? `（请于 ${at(t.dueAt)} 前处理）` : '';
  if (t.kind === 'redispatch') {
    return {
      html: formHtml({
        id, title: `${TASK[t.kind]}${due}`,
        intro: facts([['退单单位', d.returnedByName], ['退单理由', d.reason]]) + `<p class="advice" id="${id}-advice">${esc(advice)}</p>`,
        fields: [
          { name: 'action', label: '处理方式', type: 'radio', options: [['unit', '改派到指定单位'], ['rules', '按派单规则重新派单'], ['dispute', '退单理由不成立，提请审核']] },
          { name: 'unit', label: '改派单位', type: 'select', empty: '（选择单位）', options: unitOptions(cat, [d.returnedBy, o.complainedUnit].filter(Boolean)), value: o.dispatchAdvice?.unit?.code !== d.returnedBy ? o.dispatchAdvice?.unit?.code : undefined },
          { name: 'mode', label: '交办方式', type: 'select', options: modeOptions, value: DISPATCH_MODES.includes(o.dispatchAdvice?.mode) ? o.dispatchAdvice.mode : 'written-dispatch' },
          why('说明'),
        ],
        actions: [{ label: '提交改派决定' }],
      }),
      send: (v) =>
        complete(v.action === 'unit' ? { action: 'unit', unit: v.unit, mode: v.mode, reason: v.reason } : v.action === 'rules' ? { action: 'rules', reason: v.reason } : { action: 'dispute', reason: v.reason }).then(
          () => (v.action === 'unit' ? '已改派' : v.action === 'rules' ? '已按派单规则重新派单' : '已提请审核'),
        ),
    };
  }
  if (t.kind === 'return-review') {
    return {
      html: formHtml({
        id, title: `${TASK[t.kind]}${due}`,
        intro: facts([['退单单位', d.returnedByName], ['退单理由', d.reason], ['派单员意见', d.dispute]]),
        fields: [
          { name: 'decision', label: '审核结论', type: 'radio', options: [['overrule', '退单不成立，原单位继续办理'], ['uphold', '同意退单，改派'], ['consult', '认定为疑难件，提请会诊']] },
          { name: 'unit', label: '改派单位（同意退单时）', type: 'select', empty: '（选择单位）', options: unitOptions(cat, [d.returnedBy, o.complainedUnit].filter(Boolean)) },
          { name: 'mode', label: '交办方式', type: 'select', options: modeOptions, value: 'written-dispatch' },
          why('审核意见'),
        ],
        actions: [{ label: '提交审核结论' }],
      }),
      send: (v) =>
        complete(v.decision === 'uphold' ? { decision: 'uphold', unit: v.unit, mode: v.mode, reason: v.reason } : { decision: v.decision, reason: v.reason }).then(() =>
          v.decision === 'uphold' ? '已同意退单并改派' : v.decision === 'consult' ? '已认定为疑难件，平台将召集会诊' : '已驳回退单',
        ),
    };
  }
  if (t.kind === 'extension-approval') {
    return {
      html: formHtml({
        id, title: `${TASK[t.kind]}${due}`,
        intro: facts([['申请单位', d.unitName], ['现办理时限', at(d.currentDueAt)], ['申请延至', at(d.dueAt)], ['申请理由', d.reason]]),
        fields: [why('审批意见（不同意时必填）', false)],
        actions: [{ value: 'approve', label: '同意延期' }, { value: 'reject', label: '不同意', kind: 'secondary' }],
      }),
      send: (v, act) => complete({ approved: act === 'approve', reason: v.reason }).then(() => (act === 'approve' ? '已同意延期' : '已不同意延期')),
    };
  }
  if (t.kind === 'reply-review') {
    return {
      html: formHtml({
        id, title: `${TASK[t.kind]}${due}`,
        intro: facts([['承办单位', o.unit?.name], ['经办人', d.handledBy], ['答复时间', at(d.repliedAt)], ['办理结果', d.result], ['答复质量提示', (d.qualityReasons ?? []).join('；')]]),
        fields: [{ ...why('退回理由（退回重办时必填）', false) }],
        actions: [{ value: 'approve', label: '审核通过' }, { value: 'reject', label: '退回重办', kind: 'secondary' }],
      }),
      send: (v, act) => (act === 'approve' ? complete({ approved: true, reason: v.reason }) : complete({ approved: false, reason: v.reason })).then(() => (act === 'approve' ? '已审核通过' : '已退回重办')),
    };
  }
  if (t.kind === 'coordination') {
    return {
      html: formHtml({
        id, title: `${TASK[t.kind]}${due}`,
        intro: facts([['参与单位', (d.unitNames ?? d.units ?? []).join('、')]]),
        fields: [{ name: 'outcome', label: '协调结果', type: 'textarea', required: true, min: 2, max: 4000 }],
        actions: [{ label: '记录协调结果' }],
      }),
      send: (v) => complete({ outcome: v.outcome }).then(() => '已记录协调结果'),
    };
  }
  if (t.kind === 'consultation') {
    return {
      html: formHtml({
        id, title: `${TASK[t.kind]}${due}`,
        intro: facts([['认定理由', d.reason], ['参加会诊的单位', (d.unitNames ?? []).join('、')]]),
        fields: [
          { name: 'unit', label: '牵头办理单位', type: 'select', required: true, empty: '（选择单位）', options: unitOptions(cat, [o.complainedUnit].filter(Boolean)) },
          { name: 'workingDays', label: '办理时限（工作日）', type: 'number', required: true, value: d.workingDays ?? 15, hint: '疑难件可给予较长的办理时限' },
          { name: 'decision', label: '会诊决定', type: 'textarea', required: true, min: 2, max: 4000 },
        ],
        actions: [{ label: '记录会诊决定并派单' }],
      }),
      send: (v) => complete({ unit: v.unit, workingDays: Number(v.workingDays), decision: v.decision }).then(() => '已记录会诊决定，已派单'),
    };
  }
  if (t.kind === 'spot-check') {
    return {
      html: formHtml({
        id, title: `${TASK[t.kind]}${due}`,
        intro: facts([['承办单位', d.unitName], ['回访结果', SATISFACTION[d.satisfaction] ?? d.satisfaction], ['办理结果', d.answer]]),
        fields: [
          { name: 'relevant', label: '答复切题', type: 'checkbox', value: true },
          { name: 'complete', label: '答复完整', type: 'checkbox', value: true },
          { name: 'courteous', label: '用语文明', type: 'checkbox', value: true },
          { name: 'note', label: '质检意见（不合格时必填）', type: 'textarea', max: 1000, hint: '有一项不合格，工单即重新打开，退回承办单位重办' },
        ],
        actions: [{ label: '提交质检结果' }],
      }),
      send: (v) => complete({ relevant: v.relevant, complete: v.complete, courteous: v.courteous, note: v.note }).then(() => (v.relevant && v.complete && v.courteous ? '质检合格' : '质检不合格，已退回重办')),
    };
  }
  if (t.kind === 'instruction-report') {
    return {
      html: formHtml({
        id, title: `${TASK[t.kind]}${due}`,
        intro: facts([['批示领导', d.leader], ['批示内容', d.text], ['报告时限', at(d.reportBy)]]),
        fields: [{ name: 'report', label: '办理情况', type: 'textarea', required: true, min: 2, max: 4000 }],
        actions: [{ label: '报告办理情况' }],
      }),
      send: (v) => complete({ report: v.report }).then(() => '已报告办理情况'),
    };
  }
  if (t.kind === 'street-review') {
    return {
      html: formHtml({
        id, title: `${TASK[t.kind]}${due}`,
        intro: facts([['街道', d.unitName], ['经办人', d.handledBy], ['答复时间', at(d.repliedAt)], ['办理结果', d.result]]),
        fields: [
          { name: 'result', label: '上报的办理结果（可改写，留空则按街道答复上报）', type: 'textarea', max: 4000 },
          why('意见（退回街道时必填）', false),
        ],
        actions: [{ value: 'approve', label: '审核通过并上报' }, { value: 'reject', label: '退回街道重办', kind: 'secondary' }],
      }),
      send: (v, act) => (act === 'approve' ? complete({ approved: true, ...(v.result ? { result: v.result } : {}), reason: v.reason }) : complete({ approved: false, reason: v.reason })).then(() => (act === 'approve' ? '已审核通过并上报' : '已退回街道')),
    };
  }
  return { html: `<p>${esc(TASK[t.kind] ?? '待办任务')}</p>`, send: null };
}

/** A unit's own actions on its order (收件箱), each with its Idempotency-Key: pressed twice, applied once. */
function unitForms(o, me, cat, files) {
  const forms = [];
  const post = (path, json, key) => api(`/orders/${encodeURIComponent(o.orderNo)}/${path}`, { method: 'POST', json, headers: { 'Idempotency-Key': key } });
  const open = FROM.reply.includes(o.status) || FROM.return.includes(o.status);
  if (!open) return forms;
  const k = actionKey();
  if (FROM.acknowledge.includes(o.status)) {
    forms.push({ html: formHtml({ id: 'acknowledge', title: '签收', intro: '<p>签收表示本单位已收到并开始办理。</p>', actions: [{ label: '签收' }] }), send: () => post('acknowledge', {}, `${k}:ack`).then(() => '已签收') });
  }
  // 附件: the unit's files not yet sent go with the answer, signed off by its leader (签发).
  const pending = files.filter((f) => f.kind === 'reply' && f.unit === me.unit && !f.replyId).map((f) => f.id);
  forms.push({
    html: formHtml({
      id: 'reply', title: '办理反馈',
      ...(pending.length ? { intro: `<p>已上传的 ${pending.length} 个附件随本次反馈一并报送，须由单位领导签发。</p>` } : {}),
      fields: [
        { name: 'result', label: '办理结果', type: 'textarea', required: true, max: 4000 },
        { name: 'handledBy', label: '经办人', required: true, max: 100 },
        ...(pending.length ? [{ name: 'signedOffBy', label: '签发领导', required: true, max: 50 }] : []),
      ],
      actions: [{ label: '提交反馈' }],
    }),
    send: (v) => post('reply', { result: v.result, handledBy: v.handledBy, ...(pending.length ? { attachments: pending, signedOffBy: v.signedOffBy } : {}) }, `${k}:reply`).then(() => (pending.length ? `已反馈，附件 ${pending.length} 个已报送` : '已反馈')),
  });
  // A unit returns an order once (the order core refuses a second return by the same unit).
  const returnedBefore = (o.history ?? []).some((h) => h.step === 'return' && h.actor === `unit:${me.unit}`);
  if (!returnedBefore && FROM.return.includes(o.status)) {
    forms.push({ html: formHtml({ id: 'return', title: '退单', intro: '<p>不属于本单位职责时退回热线中心，每个单位只能退一次。</p>', fields: [{ name: 'reason', label: '退单理由', type: 'textarea', required: true, min: 2, max: 1000, rows: 2 }], actions: [{ label: '退单', kind: 'secondary' }] }), send: (v) => post('return', { reason: v.reason }, `${k}:return`).then(() => '已退单') });
  }
  if (o.extensionCount === 0 && o.dueAt) {
    forms.push({
      html: formHtml({ id: 'extension', title: '申请延期', intro: `<p>现办理时限 ${esc(at(o.dueAt))}，须在到期前申请，每次派单只能申请一次。</p>`, fields: [{ name: 'dueAt', label: '申请延至', type: 'datetime', required: true }, { name: 'reason', label: '延期理由', type: 'textarea', required: true, min: 2, max: 1000, rows: 2 }], actions: [{ label: '申请延期' }] }),
      send: (v) => post('extension', { dueAt: v.dueAt, reason: v.reason }, `${k}:extension`).then(() => '已提交延期申请，等待热线中心审批'),
    });
  }
  if (o.handlingMode === 'urgent' && !o.onSiteAt) {
    forms.push({ html: formHtml({ id: 'on-site', title: '到场确认（紧急件）', actions: [{ label: '确认已到场' }] }), send: () => post('on-site', {}, `${k}:on-site`).then(() => '已确认到场') });
  }
  if (o.handlingMode === 'urgent' && o.onSiteAt) {
    forms.push({
      html: formHtml({ id: 'progress', title: '报告进展（紧急件）', fields: [{ name: 'note', label: '进展情况', type: 'textarea', required: true, min: 2, max: 2000, rows: 2 }, { name: 'expectedAt', label: '预计办结时间', type: 'datetime' }], actions: [{ label: '报告进展' }] }),
      send: (v) => post('progress', { note: v.note, ...(v.expectedAt ? { expectedAt: v.expectedAt } : {}) }, actionKey()).then(() => '已报告进展'),
      once: false,
    });
  }
  const streets = cat.units.filter((u) => u.parent === me.unit);
  if (streets.length > 0 && !o.subUnit) {
    forms.push({
      html: formHtml({
        id: 'sub-dispatch', title: '下派街道（乡镇）',
        fields: [
          { name: 'unit', label: '街道（乡镇）', type: 'select', required: true, empty: '（选择街道）', options: streets.filter((u) => u.code !== o.complainedUnit).map((u) => [u.code, u.name]) },
          { name: 'dueAt', label: '要求办结时间（不晚于本区时限，可不填）', type: 'datetime' },
          { name: 'instructions', label: '交办要求', type: 'textarea', max: 2000, rows: 2 },
        ],
        actions: [{ label: '下派' }],
      }),
      send: (v) => post('sub-dispatch', { unit: v.unit, ...(v.dueAt ? { dueAt: v.dueAt } : {}), instructions: v.instructions }, `${k}:sub-dispatch`).then(() => '已下派'),
    });
  }
  return forms;
}

/** Every form this user has on this order, in the order they are taken. */
export function deskForms(o, { me, tasks, cat, files = [] }) {
  const flags = [
    o.majorIncident ? `重大事项预警：${o.majorIncident.name}（${at(o.majorIncident.at)} 已报值班领导）` : '',
    o.hardCase ? `疑难件：${o.hardCase.reason}（${at(o.hardCase.at)} 认定）` : '',
  ].filter(Boolean);
  const forms = [...(flags.length ? [{ html: `<div class="flags" role="note">${flags.map((f) => `<p><strong>${esc(f)}</strong></p>`).join('')}</div>`, send: null }] : []), ...tasks.map((t) => taskForm(t, o, cat))];
  const post = (path, json, headers = {}) => api(`/orders/${encodeURIComponent(o.orderNo)}/${path}`, { method: 'POST', json, headers });
  if (me.role === 'unit') forms.push(...unitForms(o, me, cat, files));
  if (me.role === 'dispatcher' && o.status === 'awaiting_assignment') {
    const k = actionKey();
    forms.push({
      html: formHtml({
        id: 'assign', title: '人工派单',
        intro: `<p class="advice">${esc(o.dispatchAdvice?.recused ? '被投诉单位须回避，且没有可代办的主管单位，请人工指定承办单位。' : '派单规则未能确定承办单位，请人工指定。')}</p>`,
        fields: [
          { name: 'unit', label: '承办单位', type: 'select', required: true, empty: '（选择单位）', options: unitOptions(cat, [o.complainedUnit].filter(Boolean)) },
          { name: 'mode', label: '交办方式', type: 'select', options: modeOptions, value: 'written-dispatch' },
          { name: 'reason', label: '派单说明', type: 'textarea', required: true, max: 500, rows: 2 },
        ],
        actions: [{ label: '派单' }],
      }),
      send: (v) => post('assign', { unit: v.unit, mode: v.mode, reason: v.reason }, { 'Idempotency-Key': k }).then(() => '已派单'),
    });
  }
  if (me.role === 'callback-agent' && o.status === 'awaiting_callback') {
    const k = actionKey();
    const a = o.answer ?? {};
    forms.push({
      html: formHtml({
        id: 'callback', title: '回访',
        intro: facts([['诉求人', o.citizen?.name], ['联系电话', o.citizen?.phone], ['承办单位', a.unitName ?? o.unit?.name], ['经办人', a.handledBy], ['答复时间', at(a.at)], ['办理结果', a.result]]),
        fields: [
          { name: 'satisfaction', label: '满意度', type: 'radio', options: Object.entries(SATISFACTION) },
          // 解决率: asked apart, since a citizen may be satisfied and still have the problem.
          { name: 'resolved', label: '问题是否解决', type: 'select', empty: '未询问', options: [['yes', '已解决'], ['no', '未解决']] },
          { name: 'note', label: '回访记录', type: 'textarea', max: 1000, rows: 2 },
        ],
        actions: [{ label: '记录回访' }],
      }),
      send: (v) => post('callback', { satisfaction: v.satisfaction, resolved: v.resolved === 'yes' ? true : v.resolved === 'no' ? false : null, note: v.note }, { 'Idempotency-Key': k }).then(() => '已记录回访'),
    });
  }
  if (me.role === 'supervisor' && o.status === 'closed' && !o.citizen?.confidential) {
    if (!o.publishedAt) {
      forms.push({
        html: formHtml({
          id: 'publish', title: '政务公开',
          intro: '<p>公开前平台会去除姓名、电话等个人信息；仍含个人信息的内容会被退回。</p>',
          fields: [
            { name: 'summary', label: '诉求摘要（面向公众）', type: 'textarea', required: true, min: 4, max: 2000, rows: 2 },
            { name: 'answer', label: '公开的答复（留空则用承办单位的最后答复）', type: 'textarea', max: 4000, rows: 2 },
          ],
          actions: [{ label: '公开' }],
        }),
        send: (v) => post('publish', { summary: v.summary, ...(v.answer ? { answer: v.answer } : {}) }).then(() => '已公开'),
      });
    } else {
      forms.push({
        html: formHtml({ id: 'withdraw', title: '政务公开', intro: `<p>已于 ${esc(at(o.publishedAt))} 公开。</p>`, actions: [{ label: '撤回公开', kind: 'secondary' }] }),
        send: () => api(`/orders/${encodeURIComponent(o.orderNo)}/publish`, { method: 'DELETE' }).then(() => '已撤回公开'),
      });
    }
  }
  // 领导批示: recorded by a supervisor on an open order a unit has; the unit reports back through its task.
  if (me.role === 'supervisor' && !DONE.includes(o.status) && o.unit) {
    const k = actionKey();
    forms.push({
      html: formHtml({
        id: 'instruction', title: '领导批示',
        intro: `<p>录入领导对本工单的批示；${esc(o.unit.name)}须在时限前报告办理情况，逾期催报。</p>`,
        fields: [
          { name: 'leader', label: '批示领导', required: true, max: 50 },
          { name: 'text', label: '批示内容', type: 'textarea', required: true, min: 2, max: 2000, rows: 2 },
          { name: 'reportBy', label: '报告时限', type: 'datetime', required: true },
        ],
        actions: [{ label: '录入批示' }],
      }),
      send: (v) => post('instructions', { leader: v.leader, text: v.text, reportBy: v.reportBy }, { 'Idempotency-Key': k }).then(() => `已录入批示，已通知${o.unit.name}`),
    });
  }
  // 督办单: a written notice to the unit that still owes the order, mailed to it and the duty leader.
  if (me.role === 'supervisor' && FROM.reply.includes(o.status) && o.unit) {
    const k = actionKey();
    forms.push({
      html: formHtml({
        id: 'notice', title: '督办单',
        intro: `<p>向${esc(o.unit.name)}发出书面督办单，同时抄送值班领导${o.chaseCount ? `；已催办 ${esc(o.chaseCount)} 次` : ''}。</p>`,
        fields: [{ name: 'replyBy', label: '要求反馈时间', type: 'datetime', required: true }, { name: 'opinion', label: '督办意见', type: 'textarea', required: true, min: 2, max: 1000, rows: 2 }],
        actions: [{ label: '发出督办单' }],
      }),
      send: (v) =>
        post('supervision-notice', { replyBy: v.replyBy, opinion: v.opinion }, { 'Idempotency-Key': k }).then((n) => ({
          html: `已发出督办单 ${esc(n.noticeNo)}<pre class="notice" id="notice-text">${esc(n.text)}</pre><button type="button" id="notice-print">打印督办单</button>`,
          after: () => document.querySelector('#notice-print')?.addEventListener('click', () => window.print()),
        })),
    });
  }
  // 合并与拆分 (重复件): a dispatcher or supervisor merges an open order into another, or splits a merged call off.
  if (['dispatcher', 'supervisor'].includes(me.role) && !DONE.includes(o.status)) {
    forms.push({
      html: formHtml({
        id: 'merge', title: '合并工单',
        intro: '<p>经核实与另一张在办工单为同一事项的，合并过去：本工单的流程终止，承办单位收到撤单通知，另一张工单计一次重复来电。</p>',
        fields: [
          { name: 'into', label: '并入工单编号', required: true, max: 16, hint: 'GD 加 14 位数字' },
          { name: 'reason', label: '合并理由', type: 'textarea', required: true, min: 2, max: 500, rows: 2 },
        ],
        actions: [{ label: '合并', kind: 'secondary' }],
      }),
      send: (v) => post('merge', { into: v.into, reason: v.reason }).then((r) => `已合并至工单 ${r.into}${r.unitsTold?.length ? `，已通知承办单位停止办理：${r.unitsTold.map((c) => cat.units.find((u) => u.code === c)?.name ?? c).join('、')}` : ''}`),
    });
  }
  if (['dispatcher', 'supervisor'].includes(me.role) && o.status === 'merged') {
    forms.push({
      html: formHtml({
        id: 'split', title: '拆分工单',
        intro: `<p>本工单已并入 ${esc(o.mergedInto ?? '')}。经核实不是同一事项的，拆分为独立工单，重新分类派单。</p>`,
        fields: [{ name: 'reason', label: '拆分理由', type: 'textarea', required: true, min: 2, max: 500, rows: 2 }],
        actions: [{ label: '拆分为独立工单', kind: 'secondary' }],
      }),
      send: (v) => post('split', { reason: v.reason }).then(() => '已拆分为独立工单，重新分类派单'),
    });
  }
  if (['supervisor', 'operator', 'admin'].includes(me.role) && !DONE.includes(o.status)) {
    forms.push({
      html: formHtml({ id: 'cancel', title: '撤销工单', fields: [{ name: 'reason', label: '撤销原因', type: 'textarea', required: true, min: 2, max: 500, rows: 2 }], actions: [{ label: '撤销工单', kind: 'danger' }] }),
      send: (v) => post('cancel', { reason: v.reason }).then((r) => `已撤销${r.unitsTold?.length ? `，已通知承办单位停止办理：${r.unitsTold.map((c) => cat.units.find((u) => u.code === c)?.name ?? c).join('、')}` : ''}`),
    });
  }
  return forms;
}

/** Binds the forms drawn from `forms` (each `html` put in the page already). */
export function bindDesk(root, forms) {
  for (const f of forms) {
    if (!f.send) continue;
    const id = /<form id="([^"]+)"/.exec(f.html)?.[1];
    bindForm(root.querySelector(`#${CSS.escape(id)}`), f.send, { once: f.once ?? true });
  }
}

/** 紧急联动 on the order page, for the centre. */
export const emergencyText = (e) => (e ? `${EMERGENCY[e.kind] ?? ''}${e.threeWayCall ? `，${EMERGENCY[e.threeWayCall]}` : ''}` : '');
