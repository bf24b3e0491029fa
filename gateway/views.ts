/**
 * What of an order each kind of reader gets (domain/access.ts says who reads which view):
 * - centre: everything, the citizen's identity included (the callback agent calls them back);
 * - operator: what it takes to trace an order through the process, no citizen data at all (the
 *   category for a title, notes with the citizen and any personal data taken out);
 * - unit: what the unit needs to handle it, the citizen masked as the law asks, the centre's
 *   internal steps and people left out.
 */
import { UNIT_VISIBLE_STEPS, type OrderView } from '../domain/access.js';
import { findUnit, type Catalog } from '../domain/catalog.js';
import { requestForUnit, textForOperator, titleForOperator, titleForUnit } from '../domain/masking.js';
import { chinaDate } from '../domain/deadline.js';
import { chinaTime, CHANNEL_NAMES, SATISFACTION_NAMES, TYPE_NAMES } from '../domain/text.js';
import { csvTable } from '../domain/csv.js';
import { STATUSES } from '../domain/order.js';
import type { HistoryRow, WorkOrderRow } from '../infra/db/entities.js';

const districtName = (c: Catalog, code: string): string => c.districts.find((d) => d.code === code)?.name ?? code;

/** The centre reads the title as written; a unit a confidential one's category (titleForUnit); an operator every one's category. */
function common(o: WorkOrderRow, c: Catalog, view: OrderView = 'centre') {
  const unit = o.unitCode ? findUnit(c, o.unitCode) : undefined;
  return {
    orderNo: o.orderNo!,
    status: o.status,
    type: o.type,
    category: o.category,
    district: o.district,
    title: view === 'centre' ? o.title : view === 'unit' ? titleForUnit(o, c.categories) : titleForOperator(o, c.categories),
    urgent: o.urgent,
    handlingMode: o.handlingMode,
    /** 派单目录: the version of bpmn/dispatch.dmn that placed the order. */
    catalogueVersion: o.catalogueVersion,
    unit: unit ? { code: unit.code, name: unit.name } : null,
    /** 三级: the street the unit sent it on to. */
    subUnit: o.subUnitCode ? { code: o.subUnitCode, name: findUnit(c, o.subUnitCode)?.name ?? o.subUnitCode } : null,
    dueAt: o.dueAt?.toISOString() ?? null,
    /** true: the deadline ran into a year the working-day calendar does not know (counted from weekends only). */
    dueAtEstimated: o.dueAtEstimated,
    redoCount: o.redoCount,
    chaseCount: o.chaseCount,
    /** 签收 */
    acknowledgedAt: o.acknowledgedAt?.toISOString() ?? null,
    /** 紧急件: on site since. */
    onSiteAt: o.onSiteAt?.toISOString() ?? null,
    returnCount: o.returnCount,
    extensionCount: o.extensionCount,
    /** 督办: when chasing went to the duty leader. */
    supervisedAt: o.supervisedAt?.toISOString() ?? null,
    /** 疑难件: when it became a hard case, and why. */
    hardCase: o.hardCaseAt ? { at: o.hardCaseAt.toISOString(), reason: o.hardCaseReason } : null,
    /** 重复件: this call was merged into that open order. */
    mergedInto: o.mergedInto,
    repeatCount: o.repeatCount,
    repliedAt: o.repliedAt?.toISOString() ?? null,
    closedAt: o.closedAt?.toISOString() ?? null,
    createdAt: o.createdAt.toISOString(),
  };
}

const entry = (h: HistoryRow) => ({ step: h.step, actor: h.actor, note: h.note, at: h.occurredAt.toISOString() });

/** 政务公开: what the public reads of a published order; nothing the centre did not publish, nothing of the citizen. */
export const publicOrder = (o: WorkOrderRow, c: Catalog) => ({
  orderNo: o.orderNo!,
  category: { code: o.category, name: c.categories.find((x) => x.code === o.category)?.name ?? o.category },
  district: districtName(c, o.district),
  acceptedOn: chinaDate(o.createdAt),
  closedOn: o.closedAt ? chinaDate(o.closedAt) : null,
  unit: o.unitCode ? (findUnit(c, o.unitCode)?.name ?? null) : null,
  summary: o.publicSummary,
  answer: o.publicAnswer,
  satisfaction: o.satisfaction ? (SATISFACTION_NAMES[o.satisfaction] ?? null) : null,
  publishedAt: o.publishedAt?.toISOString() ?? null,
});

/** The summary row of a list: no history, no citizen, in every view. */
export const orderSummary = (o: WorkOrderRow, c: Catalog, view: OrderView) => common(o, c, view);

/** An instant as the centre reads it, in its zone: "2026-12-10 17:00". */
function inZone(d: Date | null, timeZone: string): string {
  if (!d) return '';
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** 工单导出: the rows of a search as a spreadsheet reads them, in the reader's view (a unit's confidential titles stay masked), times in the centre's zone. */
export function ordersCsv(rows: WorkOrderRow[], c: Catalog, view: OrderView, timeZone: string): string {
  const name = (list: ReadonlyArray<{ code: string; name: string }>, code: string | null) => (code ? (list.find((x) => x.code === code)?.name ?? code) : '');
  return csvTable<WorkOrderRow>(
    [
      ['工单号', (o) => o.orderNo],
      ['受理时间', (o) => inZone(o.createdAt, timeZone)],
      ['受理渠道', (o) => CHANNEL_NAMES[o.channel as keyof typeof CHANNEL_NAMES] ?? o.channel],
      ['诉求类型', (o) => TYPE_NAMES[o.type as keyof typeof TYPE_NAMES] ?? o.type],
      ['诉求分类', (o) => name(c.categories, o.category)],
      ['所在区', (o) => districtName(c, o.district)],
      ['标题', (o) => (view === 'centre' ? o.title : view === 'unit' ? titleForUnit(o, c.categories) : titleForOperator(o, c.categories))],
      ['状态', (o) => STATUSES[o.status].zh],
      ['承办单位', (o) => name(c.units, o.unitCode)],
      ['下派街道', (o) => name(c.units, o.subUnitCode)],
      ['办理时限', (o) => inZone(o.dueAt, timeZone)],
      ['办结时间', (o) => inZone(o.closedAt, timeZone)],
      ['满意度', (o) => (o.satisfaction ? (SATISFACTION_NAMES[o.satisfaction] ?? o.satisfaction) : '')],
    ],
    rows,
  );
}

/** 紧急联动: what the call-taker found, the three-way call's outcome, and the line it went to. */
const emergencyOf = (o: WorkOrderRow) => (o.emergencyKind ? { kind: o.emergencyKind, threeWayCall: o.threeWayCall, partner: o.partnerCode } : null);

/**
 * 派单规则的结果: what bpmn/dispatch.dmn decided for the order last (its unit after 回避, the way of
 * handling, the table's version), shown to the dispatcher who decides by hand instead.
 */
function dispatchAdvice(history: HistoryRow[], c: Catalog) {
  const h = history.findLast((x) => x.step === 'classify' && x.detail);
  if (!h) return null;
  const d = JSON.parse(h.detail!) as { unit?: string | null; recused?: boolean; catalogueVersion?: string | null; decision?: { mode?: string } };
  const unit = d.unit ? { code: d.unit, name: findUnit(c, d.unit)?.name ?? d.unit } : null;
  return { unit, mode: d.decision?.mode ?? null, recused: d.recused ?? false, catalogueVersion: d.catalogueVersion ?? null };
}

/** 办理结果: the unit's last answer as it reached the centre (a district's, when it reported its street's up). */
function lastAnswer(history: HistoryRow[]) {
  const h = history.findLast((x) => x.step === 'reply' && x.detail);
  if (!h) return null;
  const d = JSON.parse(h.detail!) as { unitName?: string; result?: string; handledBy?: string };
  return { unitName: d.unitName ?? null, result: d.result ?? null, handledBy: d.handledBy ?? null, at: h.occurredAt.toISOString() };
}

/** 重大事项: the major matter found at intake, named as its escalation named it (the centre's, not a unit's). */
function majorIncidentOf(o: WorkOrderRow, history: HistoryRow[]) {
  if (!o.majorKind) return null;
  const step = history.find((h) => h.step === 'major-incident');
  const name = (JSON.parse(step?.detail ?? '{}') as { name?: string }).name ?? o.majorKind;
  return { kind: o.majorKind, name, at: o.majorAt?.toISOString() ?? null };
}

/**
 * One order as a view shows it. `externalRefs` are the legacy systems' own ids of it (a digital
 * city management case number): the centre and operators see them, to find the order by either.
 */
export function orderDetail(view: OrderView, o: WorkOrderRow, history: HistoryRow[], c: Catalog, externalRefs: Array<{ system: string; id: string }> = []): Record<string, unknown> {
  if (view === 'centre') {
    return {
      ...common(o, c),
      externalRefs,
      emergency: emergencyOf(o),
      description: o.description,
      address: o.address,
      unitSummary: o.unitSummary,
      complainedUnit: o.complainedUnit,
      citizen: { name: o.citizenName, phone: o.citizenPhone, email: o.citizenEmail, confidential: o.citizenConfidential },
      satisfaction: o.satisfaction,
      channel: o.channel,
      dispatchAdvice: dispatchAdvice(history, c),
      answer: lastAnswer(history),
      /** 政务公开: when the centre published it (null: not published). */
      publishedAt: o.publishedAt?.toISOString() ?? null,
      majorIncident: majorIncidentOf(o, history),
      history: history.map(entry),
    };
  }
  if (view === 'operator') {
    return { ...common(o, c, view), processInstanceKey: o.processInstanceKey, externalRefs, emergency: emergencyOf(o), majorIncident: majorIncidentOf(o, history), history: history.map((h) => ({ ...entry(h), note: textForOperator(h.note, o) })) };
  }
  const shown = requestForUnit({
    description: o.description,
    address: o.address,
    unitSummary: o.unitSummary,
    districtName: districtName(c, o.district),
    citizen: { name: o.citizenName, phone: o.citizenPhone, confidential: o.citizenConfidential },
  });
  return {
    ...common(o, c, view),
    ...shown,
    // The unit sees its own steps as its own, everything the centre did as the centre's.
    history: history
      .filter((h) => UNIT_VISIBLE_STEPS.has(h.step))
      .map((h) => ({ ...entry(h), actor: h.actor.startsWith('unit:') ? h.actor.replace(/（.* 更正）$/, '（12345热线更正）') : '12345热线' })),
  };
}

/**
 * An order's trace as an operator reads it: every entry's line, and the free texts among its
 * details (a reason, an error, a note), with the citizen and any personal data taken out.
 */
export function traceForOperator<E extends { what: string; detail: Record<string, unknown> }>(entries: E[], o: WorkOrderRow): E[] {
  const free = ['reason', 'error', 'note'];
  return entries.map((e) => ({
    ...e,
    what: textForOperator(e.what, o),
    detail: Object.fromEntries(Object.entries(e.detail).map(([k, v]) => [k, free.includes(k) && typeof v === 'string' ? textForOperator(v, o) : v])),
  }));
}

/**
 * The pages of the e-mail confirmation (zh-CN; the order number is checked GD + 14 digits, the
 * token is the one the hub made, base64url): the link's page asks with a button, whose POST confirms.
 */
export function contactConfirmPage(outcome: 'pending' | 'confirmed' | 'already' | 'unknown', orderNo?: string, token?: string): string {
  const no = orderNo && /^GD\d{14}$/.test(orderNo) ? orderNo : '';
  const safeToken = token && /^[A-Za-z0-9_-]{32}$/.test(token) ? token : '';
  const [title, text] =
    outcome === 'unknown'
      ? ['链接无效', '此确认链接无效。请使用邮件中的完整链接，或拨打12345咨询。']
      : outcome === 'already'
        ? ['邮箱已确认', `此邮箱此前已确认，工单 ${no} 办结后将发送通知到此邮箱。`]
        : outcome === 'confirmed'
          ? ['邮箱已确认', `感谢确认。工单 ${no} 办结后，我们将发送通知到此邮箱。`]
          : ['确认接收通知', `工单 ${no} 办结后，12345热线将发送通知到此邮箱。如是您本人提交的诉求，请点击下方按钮确认；如非本人操作，请关闭本页，不会再收到邮件。`];
  const form = outcome === 'pending' && safeToken ? `<form method="post" action="/public/v1/contact/confirm"><input type="hidden" name="token" value="${safeToken}"><button type="submit">确认接收通知</button></form>` : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title} - 12345热线</title></head><body><h1>${title}</h1><p>${text}</p>${form}<p>12345政务服务便民热线</p></body></html>`;
}

const esc = (v: unknown): string => String(v ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const chinaMinute = (iso: string | null): string => (iso ? chinaTime(new Date(iso)) : '');

/** What the citizen's page shows of one order (usecases/citizen-view.ts Progress). */
type OwnProgress = { orderNo: string; status: string; acceptedAt: string; unit: string | null; expectedBy: string | null; closedAt: string | null; answer: string | null; evaluation: { open: boolean; label: string | null } };

/**
 * 市民自助查询: the public page, without script — the forms (工单号 and 联系电话; with an SMS
 * gateway, a mobile and the one-time code sent to it), and the answer: the orders found, each with
 * its evaluation form while it is open (一事一评). `credential`: what the evaluation form sends back
 * for an order (the phone, or the token of the closing SMS's link).
 */
export function progressPage(p: { orders?: OwnProgress[]; credential?: { phone: string } | { token: string }; error?: string; done?: string; sms?: boolean; codeFor?: string }): string {
  const byNumber = `<form method="post" action="/public/v1/progress"><h2>按工单号查询</h2>
    <p><label for="orderNo">工单号</label><br><input id="orderNo" name="orderNo" required pattern="GD[0-9]{14}" value="${esc(p.orders?.length === 1 ? p.orders[0]!.orderNo : '')}" autocomplete="off"></p>
    <p><label for="phone">受理时留下的联系电话</label><br><input id="phone" name="phone" type="tel" required autocomplete="tel"></p>
    <p><button type="submit">查询</button></p></form>`;
  const byCode = !p.sms
    ? ''
    : p.codeFor
      ? `<form method="post" action="/public/v1/progress"><h2>输入短信验证码</h2>
    <input type="hidden" name="phone" value="${esc(p.codeFor)}">
    <p><label for="code">验证码（6位数字，10分钟内有效）</label><br><input id="code" name="code" required pattern="[0-9]{6}" inputmode="numeric" autocomplete="one-time-code"></p>
    <p><button type="submit">查询本号码的诉求</button></p></form>`
      : `<form method="post" action="/public/v1/progress/code"><h2>忘记工单号：用手机验证码查询</h2>
    <p><label for="mobile">受理时留下的手机号码</label><br><input id="mobile" name="phone" type="tel" required autocomplete="tel"></p>
    <p><button type="submit">获取验证码</button></p></form>`;
  const hidden = (orderNo: string) => (!p.credential ? '' : 'token' in p.credential ? `<input type="hidden" name="token" value="${esc(p.credential.token)}">` : `<input type="hidden" name="orderNo" value="${esc(orderNo)}"><input type="hidden" name="phone" value="${esc(p.credential.phone)}">`);
  const one = (g: OwnProgress) => {
    const facts = `<section aria-labelledby="o-${esc(g.orderNo)}"><h2 id="o-${esc(g.orderNo)}">工单 ${esc(g.orderNo)}</h2><dl>
      <dt>办理状态</dt><dd>${esc(g.status)}</dd>
      <dt>受理时间</dt><dd>${esc(chinaMinute(g.acceptedAt))}</dd>
      ${g.unit ? `<dt>承办单位</dt><dd>${esc(g.unit)}</dd>` : ''}
      ${g.expectedBy ? `<dt>办理时限</dt><dd>${esc(chinaMinute(g.expectedBy))}</dd>` : ''}
      ${g.closedAt ? `<dt>办结时间</dt><dd>${esc(chinaMinute(g.closedAt))}</dd>` : ''}
      ${g.answer ? `<dt>办理结果</dt><dd>${esc(g.answer)}</dd>` : ''}
      ${g.evaluation.label ? `<dt>您的评价</dt><dd>${esc(g.evaluation.label)}</dd>` : ''}
    </dl>`;
    const rate =
      g.evaluation.open && p.credential
        ? `<form method="post" action="/public/v1/evaluations"><fieldset><legend>请对本次办理作出评价（一事一评，只能评价一次）</legend>
      ${hidden(g.orderNo)}
      ${[5, 4, 3, 2, 1].map((r) => `<label><input type="radio" name="rating" value="${r}" required> ${['', '非常不满意', '不满意', '基本满意', '满意', '非常满意'][r]}</label>`).join('<br>')}
      <p><label for="comment-${esc(g.orderNo)}">意见（可不填）</label><br><textarea id="comment-${esc(g.orderNo)}" name="comment" maxlength="500" rows="3"></textarea></p>
      <p><button type="submit">提交评价</button></p></fieldset></form>`
        : '';
    return `${facts}${rate}</section>`;
  };
  const found = p.orders ? (p.orders.length === 0 ? '<p role="status">这个号码没有诉求记录。</p>' : p.orders.map(one).join('')) : '';
  const notice = p.error ? `<p role="alert">${esc(p.error)}</p>` : p.done ? `<p role="status">${esc(p.done)}</p>` : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><title>办理进度查询 - 12345热线</title></head><body><main><h1>12345热线 诉求办理进度查询</h1>${notice}${found}${byNumber}${byCode}<p>也可拨打12345，告知工单号查询。</p></main></body></html>`;
}
