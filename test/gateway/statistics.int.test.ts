/**
 * 统计: orders taken through the real process with different ends (answered at once, closed on
 * time, redone, returned and re-dispatched, left open, answered late), then the statistics API and
 * its CSV against the same figures recomputed here from the raw history, per unit, district,
 * category, day and month, and against the counts known by construction.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAT_DIMENSIONS } from '../../domain/statistics.js';
import { chinaDate } from '../../domain/deadline.js';
import { startHub, type RunningHub } from '../../hub/compose.js';
import { loadConfig } from '../../infra/config.js';
import { createLogger } from '../../infra/log.js';
import { DAY } from '../support/clock.js';
import { freePort } from '../support/harness.js';
import { bearer, makeKeys, type TestKeys } from '../support/keys.js';
import { taskFor } from '../support/tasks.js';

/** The method this hub is given: not the shipped one, so that a process owner's edit is seen to count (every unit with a dispatch ranked). */
const METHOD = { name: '测试考核办法', weights: { responseRate: 10, onTimeRate: 20, satisfactionRate: 30, resolutionRate: 40 }, deductions: { returnRate: 20, redoRate: 30, chaseRate: 10 }, minimumDispatches: 1 };
const methodFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'assessment-')), 'assessment.json');
fs.writeFileSync(methodFile, JSON.stringify(METHOD));

/** The score as docs/assessment.md defines it, from the counts alone: rates as published (four places), weighted, less the deductions. */
function expectedScore(c: Counts): number | null {
  const r = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : null);
  const rates: Record<string, number | null> = { responseRate: r(c.respondedInTime, c.responseDue), onTimeRate: r(c.closedOnTime, c.closed), satisfactionRate: r(c.satisfied, c.rated), resolutionRate: r(c.resolved, c.askedResolved), returnRate: r(c.returns, c.dispatches), redoRate: r(c.redos, c.replies), chaseRate: r(c.chasedDispatches, c.dispatches) };
  const weighed = Object.entries(METHOD.weights).filter(([k]) => rates[k] !== null);
  if (weighed.length === 0) return null;
  const base = (100 * weighed.reduce((a, [k, w]) => a + w * rates[k]!, 0)) / weighed.reduce((a, [, w]) => a + w, 0);
  const less = Object.entries(METHOD.deductions).reduce((a, [k, d]) => a + d * (rates[k] ?? 0), 0);
  return Math.round(Math.min(100, Math.max(0, base - less)) * 100) / 100;
}

let keys: TestKeys;
let hub: RunningHub;
let base: string;
/** The hub's clock alone: moved forward to make one unit answer late (no engine timer matters here). */
let offset = 0;
let from: Date;
/** Two orders of the first test for the citizen's own view: one closed and evaluated, one still with its unit. */
let citizen: { closed: string; open: string };

beforeAll(async () => {
  keys = await makeKeys();
  hub = await startHub(loadConfig({ ...process.env, HUB_ENGINE: 'zeebe', PORT: String(await freePort()), OUTBOX_POLL_MS: '100', DEMO_KEYS: 'false', ASSESSMENT_FILE: methodFile }), createLogger('warn'), { now: () => new Date(Date.now() + offset) });
  base = `${hub.url}/api/v1`;
}, 120_000);
afterAll(async () => {
  await hub?.close();
  fs.rmSync(path.dirname(methodFile), { recursive: true, force: true });
});

const post = (p: string, body: unknown, token: string) => fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...bearer(token) }, body: JSON.stringify(body) });
const get = async (p: string) => fetch(`${base}${p}`, { headers: bearer(keys.role.supervisor) });
const statusOf = async (orderNo: string) => ((await (await get(`/orders/${orderNo}`)).json()) as { status: string }).status;
const until = (orderNo: string, status: string) => expect.poll(() => statusOf(orderNo), { timeout: 30_000, interval: 200 }).toBe(status);

async function register(category: string, district: string): Promise<string> {
  const res = await post('/orders', { channel: 'phone', type: 'help', category, title: '统计测试', description: '统计测试诉求', district, address: '统计路1号', citizen: { name: '统计', phone: '13300133000', confidential: false } }, keys.role['call-taker']);
  expect(res.status).toBe(201);
  return ((await res.json()) as { orderNo: string }).orderNo;
}
const reply = (orderNo: string, unit: string) => post(`/orders/${orderNo}/reply`, { result: '已处理', handledBy: '统计' }, keys.unit[unit]!);
async function callback(orderNo: string, satisfaction: string, resolved: boolean | null = null): Promise<void> {
  await until(orderNo, 'awaiting_callback');
  expect((await post(`/orders/${orderNo}/callback`, { satisfaction, resolved }, keys.role['callback-agent'])).status).toBe(202);
}

type Counts = { volume: number; closed: number; closedOnTime: number; rated: number; satisfied: number; askedResolved: number; resolved: number; dispatches: number; returns: number; responseDue: number; respondedInTime: number; repeatCalls: number; replies: number; redos: number; chases: number; chasedDispatches: number; supervisedDispatches: number; hardCases: number; evaluated: number; evaluatedGood: number; spotChecks: number; spotChecksFailed: number };
const zero = (): Counts => ({ volume: 0, closed: 0, closedOnTime: 0, rated: 0, satisfied: 0, askedResolved: 0, resolved: 0, dispatches: 0, returns: 0, responseDue: 0, respondedInTime: 0, repeatCalls: 0, replies: 0, redos: 0, chases: 0, chasedDispatches: 0, supervisedDispatches: 0, hardCases: 0, evaluated: 0, evaluatedGood: 0, spotChecks: 0, spotChecksFailed: 0 });
const COUNTED = ['chase-acknowledge', 'chase', 'supervise', 'on-site-overdue', 'chase-progress'];
const SUPERVISION = ['supervise', 'on-site-overdue'];

const countsOf = (r: Counts): Counts => Object.fromEntries(Object.keys(zero()).map((k) => [k, r[k as keyof Counts]])) as Counts;

/** The same figures from the raw history, without the hub's code: each order's steps walked in order. */
async function recompute(by: string, to: Date, since: Date = from): Promise<Map<string, Counts>> {
  const orders = (await hub.store.ds.query('SELECT order_no, district, category, created_at FROM work_order WHERE order_no IS NOT NULL AND created_at >= ? AND created_at < ?', [since, to])) as Array<{ order_no: string; district: string; category: string; created_at: Date }>;
  const out = new Map<string, Counts>();
  const at = (k: string) => out.get(k) ?? out.set(k, zero()).get(k)!;
  for (const o of orders) {
    const steps = (await hub.store.ds.query('SELECT step, detail, occurred_at FROM order_history WHERE order_no = ? ORDER BY id', [o.order_no])) as Array<{ step: string; detail: string | null; occurred_at: Date }>;
    const detail = (s: { detail: string | null }) => JSON.parse(s.detail ?? '{}') as Record<string, unknown>;
    let due: number | null = null;
    let unit = '-';
    let lastReply: number | null = null;
    let satisfaction: string | null = null;
    let resolved: unknown = null;
    for (const s of steps) {
      if (s.step === 'dispatch') ({ dueAt: due, unit } = { dueAt: Date.parse(String(detail(s).dueAt)), unit: String(detail(s).unit) });
      if (s.step === 'extension-decision' && detail(s).approved) due = Date.parse(String(detail(s).dueAt));
      if (s.step === 'reply') lastReply = new Date(s.occurred_at).getTime();
      if (s.step === 'callback') ({ satisfaction, resolved } = { satisfaction: String(detail(s).satisfaction), resolved: detail(s).resolved ?? null });
    }
    const closed = steps.some((s) => s.step === 'close');
    const onTime = closed && (steps.some((s) => s.step === 'answer') || (lastReply !== null && due !== null && lastReply <= due));
    const china = chinaDate(new Date(o.created_at));
    const key = { unit, district: o.district, category: o.category, day: china, month: china.slice(0, 7) }[by as 'unit']!;
    const c = at(key);
    if (steps.some((s) => s.step === 'merged')) {
      c.repeatCalls++;
      continue;
    }
    c.volume++;
    if (closed) c.closed++;
    if (onTime) c.closedOnTime++;
    if (satisfaction) c.rated++;
    if (satisfaction === 'satisfied' || satisfaction === 'basically-satisfied') c.satisfied++;
    if (resolved !== null) c.askedResolved++;
    if (resolved === true) c.resolved++;
    if (steps.some((s) => s.step === 'hard-case')) c.hardCases++;
    const rated = steps.find((s) => s.step === 'evaluation');
    if (rated) {
      c.evaluated++;
      if (Number(detail(rated).rating) >= 4) c.evaluatedGood++;
    }
    let replier = '-';
    const chased = new Map<string, Set<string>>();
    const mark = (k: string, what: string, seq: unknown) => chased.get(`${k}|${what}`)?.add(String(seq)) ?? chased.set(`${k}|${what}`, new Set([String(seq)]));
    for (const [i, s] of steps.entries()) {
      const k = by === 'unit' ? String(detail(s).unit ?? '-') : key;
      if (s.step === 'reply') {
        at(k).replies++;
        replier = k;
      }
      // 重办 against the unit whose reply it rejected.
      if (s.step === 'redo') at(by === 'unit' ? replier : key).redos++;
      if (s.step === 'spot-check') {
        at(k).spotChecks++;
        if (detail(s).passed === false) at(k).spotChecksFailed++;
      }
      if (COUNTED.includes(s.step)) {
        at(k).chases++;
        mark(k, 'chased', detail(s).dispatchSeq);
        if (SUPERVISION.includes(s.step)) mark(k, 'supervised', detail(s).dispatchSeq);
      }
      if (s.step !== 'dispatch' && s.step !== 'return') continue;
      if (s.step === 'return') {
        at(k).returns++;
        continue;
      }
      at(k).dispatches++;
      // 响应率: this dispatch acknowledged or answered, by its own sequence, before its time to acknowledge.
      const by_ = detail(s).acknowledgeBy;
      if (by_ === undefined) continue;
      const seq = detail(s).dispatchSeq;
      const answers = steps.slice(i + 1).filter((a) => (a.step === 'acknowledge' || a.step === 'reply') && detail(a).dispatchSeq === seq);
      // Judged once its time has passed, or once it was acknowledged or answered at all.
      if (Date.parse(String(by_)) > Date.now() && answers.length === 0) continue;
      at(k).responseDue++;
      if (answers.some((a) => new Date(a.occurred_at).getTime() <= Date.parse(String(by_)))) at(k).respondedInTime++;
    }
    for (const [k, seqs] of chased) {
      const [group, what] = k.split('|') as [string, string];
      at(group)[what === 'chased' ? 'chasedDispatches' : 'supervisedDispatches'] += seqs.size;
    }
  }
  return out;
}

describe('statistics', () => {
  it('match the figures recomputed from the raw history, per unit, district, category, day and month, in the API and the CSV', async () => {
    from = new Date(Date.now() - 1000);
    const answered = await register('policy-consult', 'heping');
    const onTime = await register('water-outage', 'hexi');
    const redone = await register('gas-fault', 'nankai');
    const returned = await register('gas-fault', 'heping');
    const open = await register('heating', 'binhai');
    for (const o of [onTime, redone, returned, open]) await until(o, 'dispatched');
    await until(answered, 'closed');

    expect((await reply(onTime, 'water-group')).status).toBe(202);
    await callback(onTime, 'satisfied', true);

    expect((await reply(redone, 'gas-group')).status).toBe(202);
    await callback(redone, 'unsatisfied', false);
    await until(redone, 'dispatched');
    expect((await reply(redone, 'gas-group')).status).toBe(202);
    // The last callback stands: satisfied enough, but the problem is still there.
    await callback(redone, 'basically-satisfied', false);

    expect((await post(`/orders/${returned}/return`, { reason: '不属于本单位' }, keys.unit['gas-group']!)).status).toBe(202);
    const task = await taskFor(base, keys.role.dispatcher, returned, 'redispatch');
    expect((await post(`/tasks/${task.id}/complete`, { kind: 'redispatch', action: 'unit', unit: 'city-management', reason: '改派' }, keys.role.dispatcher)).status).toBe(200);
    await until(returned, 'dispatched');
    expect((await reply(returned, 'city-management')).status).toBe(202);
    await callback(returned, 'satisfied');

    // Answered ten days after its dispatch: past any deadline.
    const late = await register('water-outage', 'nankai');
    await until(late, 'dispatched');
    offset = 10 * DAY;
    expect((await reply(late, 'water-group')).status).toBe(202);
    await callback(late, 'satisfied');
    for (const o of [answered, onTime, redone, returned, late]) await until(o, 'closed');
    offset = 0;
    // 一事一评: the citizen of the order closed on time evaluates it, once, by its number and their phone.
    const own = (phone: string, rating: number) => fetch(`${hub.url}/public/v1/evaluations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderNo: onTime, phone, rating }) });
    expect((await own('13300133001', 5)).status, 'another phone: not found').toBe(404);
    expect((await own('133-0013-3000', 5)).status).toBe(200);
    expect((await own('13300133000', 1)).status, 'once').toBe(409);
    citizen = { closed: onTime, open };

    const to = new Date(Date.now() + 1000);
    const q = `from=${from.toISOString()}&to=${to.toISOString()}`;
    for (const by of STAT_DIMENSIONS) {
      const api = (await (await get(`/statistics?by=${by}&${encodeURI(q)}`)).json()) as { rows: Array<Counts & { key: string; closureRate: number | null; returnRate: number | null }>; total: Counts & { onTimeRate: number | null; resolutionRate: number | null; responseRate: number | null } };
      const expected = await recompute(by, to);
      const got = new Map(api.rows.map((r) => [r.key, countsOf(r)]));
      expect(got, `by ${by}`).toEqual(expected);
      for (const r of api.rows) {
        expect(r.closureRate, `${by} ${r.key}`).toBe(r.volume ? Math.round((r.closed / r.volume) * 10_000) / 10_000 : null);
        expect(r.returnRate, `${by} ${r.key}`).toBe(r.dispatches ? Math.round((r.returns / r.dispatches) * 10_000) / 10_000 : null);
      }
      // Known by construction.
      // 响应率: the late order's answer came after its time to acknowledge; the returned order's first dispatch and the open one are still within theirs.
      // 重办: the redone order's first reply, rejected by its unsatisfied callback.
      expect(api.total).toMatchObject({ volume: 6, closed: 5, closedOnTime: 4, rated: 4, satisfied: 4, askedResolved: 2, resolved: 1, resolutionRate: 0.5, dispatches: 7, returns: 1, responseDue: 5, respondedInTime: 4, responseRate: 0.8, repeatCalls: 0, onTimeRate: 0.8, replies: 5, redos: 1, redoRate: 0.2, evaluated: 1, evaluatedGood: 1 });
    }
    const byUnit = (await (await get(`/statistics?by=unit&${encodeURI(q)}`)).json()) as { rows: Array<{ key: string; name: string; dispatches: number; returns: number; returnRate: number }> };
    expect(byUnit.rows.find((r) => r.key === 'gas-group'), 'the return counts against the unit that made it').toMatchObject({ name: '市燃气集团', dispatches: 3, returns: 1, returnRate: 0.3333 });

    const csv = await get(`/statistics.csv?by=district&${encodeURI(q)}`);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)], 'a UTF-8 byte-order mark, for spreadsheet programs').toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    expect(text.startsWith('编码,名称,受理量,办结量,办结率')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines.at(-1), lines.at(-1)).toMatch(/^total,合计,6,5,0\.8333,4,0\.8,4,4,1,2,1,0\.5,7,1,0\.1429,5,4,0\.8,0,0,5,1,0\.2,0,0,0,0,0,0,1,1,1,0,0,$/);
    expect(lines.some((l) => l.startsWith('nankai,南开区,2,2,1,1,0.5,'))).toBe(true);

    expect((await get(`/statistics?by=week`)).status).toBe(400);
    expect((await get(`/statistics?from=2026-12-01&to=2026-11-01`)).status).toBe(400);
    expect((await get(`/statistics?from=2020-01-01&to=2026-01-01`)).status, 'at most a year per query').toBe(400);
    expect((await fetch(`${base}/statistics`, { headers: bearer(keys.unit['gas-group']!) })).status, 'a unit does not see the centre\'s figures').toBe(403);
  }, 180_000);

  it('shows a citizen their own order by its number and phone — unit and time while it is worked on, the answer once closed — as JSON and as the public page; nothing for another phone', async () => {
    const look = (orderNo: string, phone: string) => fetch(`${hub.url}/public/v1/progress`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ orderNo, phone }) });
    const open = (await (await look(citizen.open, '+86 13300133000')).json()) as { status: string; unit: string; expectedBy: string | null; answer: string | null; evaluation: { open: boolean } };
    expect(open).toMatchObject({ status: '已派单', answer: null, evaluation: { open: false } });
    const unit = (await (await get(`/orders/${citizen.open}`)).json()) as { unit: { name: string } };
    expect(open.unit, 'the unit that has it, by name').toBe(unit.unit.name);
    expect(open.expectedBy).not.toBeNull();
    const closed = (await (await look(citizen.closed, '13300133000')).json()) as Record<string, unknown>;
    expect(closed).toMatchObject({ status: '办结', answer: '已处理', expectedBy: null, evaluation: { open: false, rating: 5, label: '非常满意' } });
    expect(Object.keys(closed).sort(), 'nothing of the citizen or anyone else').toEqual(['acceptedAt', 'answer', 'closedAt', 'evaluation', 'expectedBy', 'orderNo', 'status', 'unit']);
    expect((await look(citizen.open, '13300133009')).status).toBe(404);
    expect((await look('GD20200101000001', '13300133000')).status, 'no order: the same answer').toBe(404);
    // The page: no script, a form; its answer in HTML.
    const page = await fetch(`${hub.url}/public/v1/progress`);
    expect(await page.text()).toContain('<form method="post" action="/public/v1/progress">');
    const html = await (await fetch(`${hub.url}/public/v1/progress`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ orderNo: citizen.open, phone: '13300133000' }) })).text();
    expect(html).toContain('<dt>办理状态</dt><dd>已派单</dd>');
    expect(html).not.toContain('统计');
    const wrong = await fetch(`${hub.url}/public/v1/progress`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ orderNo: citizen.open, phone: '1' }) });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain('role="alert"');
  });

  it('考核: every period\'s report ranks the units and districts by the method the hub was given, each score recomputed from the raw history, the same in JSON, CSV and XLSX', async () => {
    const today = chinaDate(new Date());
    type Row = Counts & { key: string; name: string; score: number | null; rank: number | null; ranked: boolean; satisfactionRate: number | null };
    type Report = { period: { kind: string; label: string; first: string; last: string; from: string; to: string }; method: { name: string }; rows: Row[]; total: Row };
    for (const period of ['week', 'month', 'quarter', 'year']) {
      for (const by of ['unit', 'district']) {
        const res = await get(`/assessment?period=${period}&of=${today}&by=${by}`);
        expect(res.status).toBe(200);
        const report = (await res.json()) as Report;
        expect(report.method.name).toBe(METHOD.name);
        expect(report.period.first <= today && today <= report.period.last, `${period} holds today`).toBe(true);
        const expected = await recompute(by, new Date(report.period.to), new Date(report.period.from));
        expect(new Map(report.rows.map((r) => [r.key, countsOf(r)])), `${period} by ${by}`).toEqual(expected);
        for (const r of report.rows) {
          const score = expectedScore(r);
          if (score === null) expect(r.score, r.key).toBeNull();
          else expect(r.score, `${period} ${by} ${r.key}`).toBeCloseTo(score, 2);
          expect(r.ranked, r.key).toBe(score !== null && r.dispatches >= METHOD.minimumDispatches);
          const ahead = report.rows.filter((o) => o.ranked && o.score! > r.score!).length;
          expect(r.rank, `${r.key}: one more than those scored higher`).toBe(r.ranked ? ahead + 1 : null);
        }
        const ranks = report.rows.map((r) => r.rank ?? Infinity);
        expect(ranks, 'ranked first, best first').toEqual([...ranks].sort((a, b) => a - b));
      }
    }
    const month = (await (await get(`/assessment?period=month&of=${today}&by=unit`)).json()) as Report;
    // Edited method: every unit with a dispatch is ranked; the order answered at once has none.
    expect(month.rows.filter((r) => r.ranked).map((r) => r.key).sort()).toEqual(['city-management', 'gas-group', 'water-group']);
    expect(month.rows.find((r) => r.key === '-')).toMatchObject({ ranked: false, rank: null });

    const csv = Buffer.from(await (await get(`/assessment.csv?period=month&of=${today}&by=unit`)).arrayBuffer()).subarray(3).toString('utf8').trim().split('\r\n');
    expect(csv[0]!.startsWith('排名,得分,编码,名称,受理量')).toBe(true);
    expect(csv.slice(1).map((l) => l.split(',')[2])).toEqual([...month.rows.map((r) => r.key), 'total']);
    expect(csv.find((l) => l.split(',')[2] === '-')!.startsWith('样本不足,')).toBe(true);

    const file = await get(`/assessment.xlsx?period=month&of=${today}&by=unit`);
    expect(file.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.headers.get('content-disposition')).toContain(`assessment-unit-month-${month.period.first}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await file.arrayBuffer()) as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['单位考核排名', '考核办法']);
    const sheet = wb.worksheets[0]!;
    const heading = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(heading.slice(0, 4)).toEqual(['排名', '得分', '编码', '名称']);
    for (const [i, r] of month.rows.entries()) {
      const cells = (sheet.getRow(i + 2).values as unknown[]).slice(1);
      expect(cells[2], 'the same order as the JSON').toBe(r.key);
      expect(cells[1] ?? null).toBe(r.score);
      expect(cells[heading.indexOf('满意率')] ?? null).toBe(r.satisfactionRate ?? null);
      expect(cells[heading.indexOf('派单次数')]).toBe(r.dispatches);
    }
    expect(wb.worksheets[1]!.getCell('B1').value).toBe('内容');
    expect(wb.worksheets[1]!.getCell('B2').value).toContain(month.period.label);

    for (const bad of ['period=day', 'of=2026-13-01', 'by=category', 'of=yesterday']) expect((await get(`/assessment?${bad}`)).status, bad).toBe(400);
    expect((await fetch(`${base}/assessment`, { headers: bearer(keys.unit['gas-group']!) })).status, 'a unit does not see the ranking').toBe(403);
    const lastMonth = (await (await get('/assessment')).json()) as Report;
    expect(lastMonth.period.kind, 'by default, last month').toBe('month');
    expect(lastMonth.period.last < today).toBe(true);
  }, 120_000);
});
