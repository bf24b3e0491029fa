/**
 * What an operator asks of the hub's own records (no engine query API needed, whichever engine
 * runs): one order's whole trail across the components (`trace`), and what hangs, with the reason
 * (`stuck`). Both read what the work wrote as it went: the order's history, the order trail (jobs,
 * events read), the outbox (messages out, their attempts and errors), dead letters, the adapters'
 * deliveries and people's tasks; and Kafka's consumer groups, for a consumer that is not running.
 * Message payloads are never read: they carry personal data.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import type { IncidentRef } from '../engine/job-contract.js';
import type { ConsumerLag } from '../kafka.js';
import { describeError } from '../errors.js';
import { ACTING_STATUSES, DONE_STATUSES, ENGINE_STATUSES, OWING_STATUSES, STATUSES, type OrderStatus } from '../../domain/order.js';
import { chinaTime, JOB_NAMES } from '../../domain/text.js';

export interface TraceEntry {
  at: string;
  /** Which record it comes from. */
  source: 'step' | 'job' | 'timer' | 'kafka-in' | 'operator' | 'outbox' | 'dead-letter' | 'delivery' | 'task';
  /** One line, for people. */
  what: string;
  detail: Record<string, unknown>;
}

export type StuckReason =
  /** A job out of retries (or failed for good): the engine holds an incident. */
  | 'incident'
  /** A job type the models use that no worker of this hub serves. */
  | 'no-worker'
  /** A message to the engine that no instance took yet, past its expected time. */
  | 'message-waiting'
  /** An outbox message not delivered past its expected time (its channel down or slow). */
  | 'outbox-backlog'
  /** An outbox message given up on after its attempts. */
  | 'parked'
  /** A message the hub or an adapter refused, not replayed. */
  | 'dead-letter'
  /** A deadline passed and the model's timer did not act on it. */
  | 'timer-overdue'
  /** An order in a step the engine should finish by itself, unchanged for too long. */
  | 'no-progress'
  /** A Kafka consumer (an adapter, the hub's inbound reader) not running while messages wait for it. */
  | 'consumer-stopped'
  /** Kafka did not answer: whether its consumers run is not known. */
  | 'kafka-unreachable';

export interface StuckItem {
  reason: StuckReason;
  orderNo: string | null;
  /** Since when (ISO 8601). */
  since: string;
  /** What is wrong and what to do, in one line (English, for the CLI and logs). */
  message: string;
  /** The same in Chinese, for the console (details the system gave, an error or a topic, stay as given). */
  text: string;
  /** What an action needs: the outbox row, the dead letter, the job. */
  ref: Record<string, unknown>;
}

export interface StuckOptions {
  now?: Date;
  /** A step the engine finishes by itself that has not moved for this long is stuck. */
  noProgressMs: number;
  /** An outbox message not delivered for this long is stuck. */
  outboxMs: number;
  /** An engine message delivered this long ago, with no job of the order run since, was not taken. */
  messageMs: number;
  /** A deadline passed by this long with nothing recorded since is a timer that did not fire. */
  timerGraceMs: number;
  /** The job types this hub's workers serve (the registry), to find the ones no worker serves. */
  servedTypes?: readonly string[];
  /** The models' folder, to read the job types they use. */
  modelsDir?: string;
  /** The hub's and its adapters' Kafka consumer groups, with what waits for each. */
  consumers?: () => Promise<ConsumerLag[]>;
  limit?: number;
}

const iso = (v: unknown): string => new Date(v as string).toISOString();
const json = (v: unknown): Record<string, unknown> => {
  if (typeof v !== 'string' || v === '') return {};
  try {
    return JSON.parse(v) as Record<string, unknown>;
  } catch {
    return { text: v };
  }
};

/** The job types the models in `dir` use (zeebe:taskDefinition). */
export function modelJobTypes(dir: string): string[] {
  const types = new Set<string>();
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.bpmn'))) {
    for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/<zeebe:taskDefinition type="([^"]+)"/g)) types.add(m[1]!);
  }
  return [...types].sort();
}

/**
 * The elements a timer leads to, per process: process id → element id → the timer's id. A job of
 * such an element ran because its timer fired (reminders, chases, supervision, time-outs).
 */
export function timersBefore(xmls: string[]): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  for (const xml of xmls) {
    const processId = /<bpmn:process\b[^>]*\bid="([^"]+)"/.exec(xml)?.[1];
    if (!processId) continue;
    const timers = new Set<string>();
    for (const m of xml.matchAll(/<bpmn:(intermediateCatchEvent|boundaryEvent)\b[^>]*\bid="([^"]+)"[^>]*>([\s\S]*?)<\/bpmn:\1>/g)) if (m[3]!.includes('timerEventDefinition')) timers.add(m[2]!);
    const after = new Map<string, string>();
    for (const f of xml.matchAll(/<bpmn:sequenceFlow\b[^>]*>/g)) {
      const source = /\bsourceRef="([^"]+)"/.exec(f[0])?.[1];
      const target = /\btargetRef="([^"]+)"/.exec(f[0])?.[1];
      if (source && target && timers.has(source)) after.set(target, source);
    }
    out.set(processId, after);
  }
  return out;
}

const jobName = (t: string): string => JOB_NAMES[t as keyof typeof JOB_NAMES] ?? t;
const channelName = (c: unknown): string => ({ kafka: 'Kafka ', engine: '流程引擎', email: '邮件', sms: '短信' })[String(c)] ?? String(c);
const statusName = (s: unknown): string => STATUSES[s as OrderStatus]?.zh ?? String(s);

export class Operations {
  /** The timers of the models in force, read again only when a model version was recorded since. */
  private timerCache?: { lastVersion: number; timers: ReturnType<typeof timersBefore> };

  constructor(private readonly ds: DataSource) {}

  private async timers(): Promise<ReturnType<typeof timersBefore>> {
    const [{ last }] = (await this.ds.query('SELECT COALESCE(MAX(id), 0) AS last FROM model_version')) as [{ last: string | number }];
    if (this.timerCache?.lastVersion !== Number(last)) {
      const rows = (await this.ds.query("SELECT v.content FROM model_version v JOIN (SELECT name, MAX(id) AS id FROM model_version WHERE name LIKE '%.bpmn' GROUP BY name) m ON m.id = v.id")) as Array<{ content: string }>;
      this.timerCache = { lastVersion: Number(last), timers: timersBefore(rows.map((r) => r.content)) };
    }
    return this.timerCache.timers;
  }

  /** Everything recorded about one order, oldest first. */
  async trace(orderNo: string): Promise<TraceEntry[]> {
    const q = (sql: string) => this.ds.query(sql, [orderNo]) as Promise<Array<Record<string, unknown>>>;
    const [history, trail, outbox, dead, deliveries, tasks] = await Promise.all([
      q('SELECT step, actor, note, occurred_at FROM order_history WHERE order_no = ? ORDER BY id'),
      q('SELECT kind, component, element_instance_key, detail, at FROM order_trail WHERE order_no = ? ORDER BY id'),
      q("SELECT id, channel, destination, created_at, sent_at, parked_at, attempts, last_error FROM outbox WHERE channel IN ('kafka', 'engine', 'email', 'sms') AND aggregate_key = ? ORDER BY seq"),
      q('SELECT id, source_topic, consumer, reason, created_at, replayed_at FROM dead_letter WHERE order_no = ? ORDER BY id'),
      q('SELECT adapter, event_id, attempts, delivered_at FROM adapter_delivery WHERE order_no = ?'),
      q('SELECT id, kind, role, unit_code, status, created_at, due_at, completed_at, completed_by FROM human_task WHERE order_no = ? ORDER BY id'),
    ]);
    const out: TraceEntry[] = [];
    // A job that runs because a timer fired: the timer, when its job started.
    const timers = await this.timers();
    const fired = new Set<string>();
    for (const t of trail) {
      const d = json(t.detail);
      const timerId = timers.get(String(d.bpmnProcessId))?.get(String(d.elementId));
      if (!timerId || String(t.kind) === 'operator' || String(t.kind) === 'kafka-in' || fired.has(String(t.element_instance_key))) continue;
      fired.add(String(t.element_instance_key));
      out.push({ at: new Date(new Date(t.at as string).getTime() - Number(d.ms ?? 0)).toISOString(), source: 'timer', what: `timer ${timerId} fired: ${String(t.component)} ran`, detail: { timerId, elementId: d.elementId, bpmnProcessId: d.bpmnProcessId, component: t.component } });
    }
    for (const h of history) out.push({ at: iso(h.occurred_at), source: 'step', what: `${String(h.step)}: ${String(h.note)}`, detail: { step: h.step, actor: h.actor } });
    for (const t of trail) {
      const d = json(t.detail);
      const kind = String(t.kind);
      const source = kind === 'kafka-in' ? 'kafka-in' : kind === 'operator' ? 'operator' : 'job';
      const what = kind === 'kafka-in' ? `read ${String(d.type)} from ${String(d.topic)}: ${String(d.outcome)}`
        : kind === 'operator' ? `${String(d.action)} by ${String(d.by)}${d.reason ? `: ${String(d.reason)}` : ''}`
        : `${String(t.component)} ${kind.replace('job-', '')}${d.error ? `: ${String(d.error)}` : d.code ? `: ${String(d.code)}` : ''}`;
      out.push({ at: iso(t.at), source, what, detail: { kind, component: t.component, elementInstanceKey: t.element_instance_key, ...d } });
    }
    for (const o of outbox) {
      const state = o.sent_at ? 'sent' : o.parked_at ? 'parked' : 'waiting';
      out.push({
        at: iso(o.created_at),
        source: 'outbox',
        what: `${String(o.channel)} → ${o.channel === 'email' || o.channel === 'sms' ? 'citizen/unit' : String(o.destination)}: ${state}${Number(o.attempts) > 0 ? ` after ${String(o.attempts)} attempt(s)` : ''}${o.last_error && state !== 'sent' ? ` (${String(o.last_error)})` : ''}`,
        detail: { outboxId: o.id, channel: o.channel, destination: o.channel === 'email' || o.channel === 'sms' ? null : o.destination, state, attempts: Number(o.attempts), sentAt: o.sent_at ? iso(o.sent_at) : null, parkedAt: o.parked_at ? iso(o.parked_at) : null, lastError: o.last_error ?? null },
      });
    }
    for (const x of dead) out.push({ at: iso(x.created_at), source: 'dead-letter', what: `dead letter ${String(x.id)} from ${String(x.source_topic)} (${String(x.consumer ?? 'hub')}): ${String(x.reason)}${x.replayed_at ? ' — replayed' : ''}`, detail: { deadLetterId: String(x.id), consumer: x.consumer, sourceTopic: x.source_topic, reason: x.reason, replayedAt: x.replayed_at ? iso(x.replayed_at) : null } });
    for (const x of deliveries) out.push({ at: iso(x.delivered_at), source: 'delivery', what: `${String(x.adapter)} delivered event ${String(x.event_id)} to its system${Number(x.attempts) > 1 ? ` (${String(x.attempts)} attempts)` : ''}`, detail: { adapter: x.adapter, eventId: x.event_id, attempts: Number(x.attempts) } });
    for (const x of tasks) out.push({ at: iso(x.created_at), source: 'task', what: `task ${String(x.kind)} for ${String(x.role)}${x.unit_code ? ` (${String(x.unit_code)})` : ''}: ${String(x.status)}${x.completed_by ? ` by ${String(x.completed_by)}` : ''}`, detail: { taskId: String(x.id), kind: x.kind, role: x.role, unitCode: x.unit_code, completedBy: x.completed_by ?? null, status: x.status, dueAt: x.due_at ? iso(x.due_at) : null } });
    return out.sort((a, b) => a.at.localeCompare(b.at));
  }

  /**
   * How long orders took to reach each step from the one before it (their history), over the steps
   * recorded in the last `windowMs`: the count, median, 95th percentile and longest, in seconds.
   */
  /**
   * The steps recorded after history row `afterId`, each with the time since the order's step
   * before it (seconds; null for an order's first step), oldest first, at most `limit`: what the
   * step-time histogram observes, scrape by scrape. Without `afterId`, the last row's id: start there.
   */
  async stepsAfter(afterId: string | undefined, limit = 5000): Promise<{ lastId: string; steps: Array<{ step: string; seconds: number | null }> }> {
    if (afterId === undefined) {
      const [{ id }] = (await this.ds.query('SELECT COALESCE(MAX(id), 0) AS id FROM order_history')) as [{ id: string | number }];
      return { lastId: String(id), steps: [] };
    }
    const rows = (await this.ds.query(
      `SELECT h.id, h.step, TIMESTAMPDIFF(MICROSECOND, (SELECT MAX(p.occurred_at) FROM order_history p WHERE p.order_no = h.order_no AND p.id < h.id), h.occurred_at) / 1000000 AS s
         FROM order_history h WHERE h.id > ? ORDER BY h.id LIMIT ?`,
      [afterId, limit],
    )) as Array<{ id: string | number; step: string; s: string | number | null }>;
    return { lastId: rows.length ? String(rows.at(-1)!.id) : afterId, steps: rows.map((r) => ({ step: r.step, seconds: r.s === null ? null : Math.max(0, Number(r.s)) })) };
  }

  /**
   * The order's work-order process instance as its jobs recorded it: the order row has it only once
   * 分类 ran, and an instance stuck before that (an incident in its first job) is found here.
   */
  async rootInstance(orderNo: string): Promise<string | null> {
    const rows = (await this.ds.query("SELECT detail FROM order_trail WHERE order_no = ? AND kind IN ('job-completed', 'job-failed', 'incident', 'job-error') ORDER BY id DESC LIMIT 100", [orderNo])) as Array<{ detail: string | null }>;
    for (const r of rows) {
      const d = json(r.detail);
      if (d.bpmnProcessId === 'work-order' && d.processInstanceKey) return String(d.processInstanceKey);
    }
    return null;
  }

  /** Open incidents (of one order, or all): the last job of an element instance failed for good and nothing happened to it since. */
  async incidents(orderNo?: string, limit = 500): Promise<Array<{ orderNo: string | null; jobType: string; at: string; error: string; ref: IncidentRef }>> {
    const rows = (await this.ds.query(
      `SELECT t.id, t.order_no, t.component, t.element_instance_key, t.detail, t.at FROM order_trail t
        WHERE t.kind = 'incident' ${orderNo ? 'AND t.order_no = ?' : ''} AND NOT EXISTS (
          SELECT 1 FROM order_trail u WHERE u.element_instance_key = t.element_instance_key AND u.id > t.id AND u.kind IN ('job-completed', 'job-error', 'operator'))
          AND NOT EXISTS (SELECT 1 FROM work_order w WHERE w.order_no = t.order_no AND w.status IN (${DONE_STATUSES.map(() => '?').join(', ')}))
        ORDER BY t.id LIMIT ?`,
      orderNo ? [orderNo, ...DONE_STATUSES, limit] : [...DONE_STATUSES, limit],
    )) as Array<Record<string, unknown>>;
    return rows.map((r) => {
      const d = json(r.detail);
      return {
        orderNo: (r.order_no as string | null) ?? null,
        jobType: String(r.component),
        at: iso(r.at),
        error: String(d.error ?? 'no message'),
        ref: { processInstanceKey: String(d.processInstanceKey), elementId: String(d.elementId), elementInstanceKey: String(r.element_instance_key), ...(d.taskId ? { taskId: String(d.taskId) } : {}) },
      };
    });
  }

  /** What hangs now, with the reason, oldest first. */
  async stuck(o: StuckOptions): Promise<StuckItem[]> {
    const now = o.now ?? new Date();
    const limit = o.limit ?? 500;
    const ago = (ms: number): Date => new Date(now.getTime() - ms);
    const items: StuckItem[] = [];
    const [incidents, parked, waiting, dead, idle, overdue, untaken] = await Promise.all([
      this.incidents(undefined, limit),
      this.ds.query("SELECT id, channel, destination, aggregate_key, attempts, last_error, parked_at FROM outbox WHERE channel IN ('kafka', 'engine', 'email', 'sms') AND sent_at IS NULL AND parked_at IS NOT NULL ORDER BY seq LIMIT ?", [limit]) as Promise<Array<Record<string, unknown>>>,
      this.ds.query("SELECT id, channel, destination, aggregate_key, attempts, last_error, created_at FROM outbox WHERE channel IN ('kafka', 'engine', 'email', 'sms') AND sent_at IS NULL AND parked_at IS NULL AND created_at < ? ORDER BY seq LIMIT ?", [ago(o.outboxMs), limit]) as Promise<Array<Record<string, unknown>>>,
      this.ds.query('SELECT id, order_no, source_topic, consumer, reason, created_at FROM dead_letter WHERE replayed_at IS NULL ORDER BY id LIMIT ?', [limit]) as Promise<Array<Record<string, unknown>>>,
      this.ds.query(`SELECT order_no, status, updated_at FROM work_order WHERE status IN (${ENGINE_STATUSES.map(() => '?').join(', ')}) AND updated_at < ? ORDER BY updated_at LIMIT ?`, [...ENGINE_STATUSES, ago(o.noProgressMs), limit]) as Promise<Array<Record<string, unknown>>>,
      this.ds.query(
        `SELECT o.order_no, o.status, o.due_at FROM work_order o
          WHERE o.status IN (${OWING_STATUSES.map(() => '?').join(', ')}) AND o.due_at < ?
            AND NOT EXISTS (SELECT 1 FROM order_history h WHERE h.order_no = o.order_no AND h.occurred_at >= o.due_at)
          ORDER BY o.due_at LIMIT ?`, [...OWING_STATUSES, ago(o.timerGraceMs), limit]) as Promise<Array<Record<string, unknown>>>,
      // The order's last engine message, delivered, and no job of the order has run since it was made.
      this.ds.query(
        `SELECT o.order_no, o.status, x.id, x.destination, x.sent_at FROM work_order o
           JOIN outbox x ON x.aggregate_key = o.order_no AND x.channel = 'engine' AND x.sent_at IS NOT NULL AND x.sent_at < ?
          WHERE o.status IN (${ACTING_STATUSES.map(() => '?').join(', ')})
            AND x.seq = (SELECT MAX(y.seq) FROM outbox y WHERE y.aggregate_key = o.order_no AND y.channel = 'engine')
            AND NOT EXISTS (SELECT 1 FROM order_trail t WHERE t.order_no = o.order_no AND t.at > x.created_at AND t.kind IN ('job-completed', 'job-failed', 'incident', 'job-error'))
          ORDER BY x.sent_at LIMIT ?`, [ago(o.messageMs), ...ACTING_STATUSES, limit]) as Promise<Array<Record<string, unknown>>>,
    ]);
    for (const i of incidents) {
      items.push({ reason: 'incident', orderNo: i.orderNo, since: i.at, message: `${i.jobType} failed for good: ${i.error.replace(/\.+$/, '')}. Fix the cause, then: hub retry ${i.orderNo ?? ''}`.trim(), text: `“${jobName(i.jobType)}”多次失败后停止：${i.error.replace(/\.+$/, '')}。排除原因后点“重试任务”（或 hub retry ${i.orderNo ?? ''}）`, ref: { jobType: i.jobType, ...i.ref } });
    }
    for (const r of parked) items.push({ reason: 'parked', orderNo: (r.aggregate_key as string | null) ?? null, since: iso(r.parked_at), message: `${String(r.channel)} message given up after ${String(r.attempts)} attempts: ${String(r.last_error ?? '')}. Fix the channel, then: hub outbox replay ${String(r.id)}`, text: `${channelName(r.channel)}消息发送 ${String(r.attempts)} 次后放弃：${String(r.last_error ?? '')}。修复通道后点“重新发送”（或 hub outbox replay ${String(r.id)}）`, ref: { outboxId: r.id, channel: r.channel } });
    for (const r of waiting) {
      const engineWait = r.channel === 'engine' && /no instance waits|not waiting|no instance waited/i.test(String(r.last_error ?? ''));
      items.push({
        reason: engineWait ? 'message-waiting' : 'outbox-backlog',
        orderNo: (r.aggregate_key as string | null) ?? null,
        since: iso(r.created_at),
        message: engineWait
          ? `no instance has taken the engine message yet (${String(r.attempts)} attempts): the instance is elsewhere in the model, or gone`
          : `${String(r.channel)} message not delivered yet after ${String(r.attempts)} attempt(s)${r.last_error ? `: ${String(r.last_error)}` : ' (no attempt yet: is a relay running?)'}`,
        text: engineWait
          ? `流程引擎尚未接收这条消息（已尝试 ${String(r.attempts)} 次）：流程实例不在等待它的环节，或已结束`
          : `${channelName(r.channel)}消息尚未送达（已尝试 ${String(r.attempts)} 次）${r.last_error ? `：${String(r.last_error)}` : '（尚未尝试：投递进程是否在运行？）'}`,
        ref: { outboxId: r.id, channel: r.channel },
      });
    }
    for (const x of dead) items.push({ reason: 'dead-letter', orderNo: (x.order_no as string | null) ?? null, since: iso(x.created_at), message: `${String(x.consumer ?? 'hub')} refused a message from ${String(x.source_topic)}: ${String(x.reason)}. Fix the cause, then: hub dead-letters replay ${String(x.id)}`, text: `${x.consumer ? `适配器 ${String(x.consumer)}` : '平台'}拒收了来自 ${String(x.source_topic)} 的消息：${String(x.reason)}。排除原因后点“重放死信”（或 hub dead-letters replay ${String(x.id)}）`, ref: { deadLetterId: String(x.id), consumer: x.consumer } });
    const notTaken = new Set<string>();
    for (const x of untaken) {
      notTaken.add(String(x.order_no));
      items.push({
        reason: 'message-waiting',
        orderNo: String(x.order_no),
        since: iso(x.sent_at),
        message: `message "${String(x.destination)}" went to the engine at ${iso(x.sent_at)} and the process has not acted on it: no instance took it (it expired before the instance waited, or the instance is elsewhere). Once the instance waits for it: hub outbox republish ${String(x.id)}`,
        text: `消息“${String(x.destination)}”已于 ${chinaTime(new Date(x.sent_at as string))} 送达流程引擎，但流程没有处理：没有实例接收它（实例等待之前消息已过期，或实例在别的环节）。待实例等待该消息时点“重发引擎消息”（或 hub outbox republish ${String(x.id)}）`,
        ref: { outboxId: x.id, channel: 'engine', message: x.destination, status: x.status },
      });
    }
    for (const x of idle.filter((r) => !notTaken.has(String(r.order_no)))) items.push({ reason: 'no-progress', orderNo: String(x.order_no), since: iso(x.updated_at), message: `in "${String(x.status)}", a step the process finishes by itself, for ${Math.round((now.getTime() - new Date(x.updated_at as string).getTime()) / 60_000)} min: is a worker running, is the engine up?`, text: `停在“${statusName(x.status)}”已 ${Math.round((now.getTime() - new Date(x.updated_at as string).getTime()) / 60_000)} 分钟，这一步本应由流程自动完成：任务处理进程是否在运行？流程引擎是否正常？`, ref: { status: x.status } });
    for (const x of overdue) items.push({ reason: 'timer-overdue', orderNo: String(x.order_no), since: iso(x.due_at), message: `deadline passed in "${String(x.status)}" and nothing was recorded since: the model's timer has not acted (engine clock, or the instance is gone)`, text: `在“${statusName(x.status)}”已过办理时限，此后没有任何记录：流程的定时器没有触发（检查引擎时钟，或流程实例已不存在）`, ref: { status: x.status, dueAt: iso(x.due_at) } });
    let groups: ConsumerLag[] = [];
    try {
      groups = (await o.consumers?.()) ?? [];
    } catch (err) {
      items.push({ reason: 'kafka-unreachable', orderNo: null, since: now.toISOString(), message: `Kafka did not say how its consumers stand: ${describeError(err)}`, text: `无法从 Kafka 读取消费者状态：${describeError(err)}`, ref: {} });
    }
    for (const g of groups) {
      const waiting = Object.values(g.lag).reduce((a, b) => a + b, 0);
      if (waiting === 0 || g.members > 0) continue;
      const who = g.groupId.startsWith('adapter.') ? `adapter ${g.groupId.slice('adapter.'.length).split('.')[0]!}` : `the hub's reader (${g.groupId})`;
      const start = g.groupId.startsWith('adapter.') ? `start it: ADAPTERS=${g.groupId.slice('adapter.'.length).split('.')[0]!} npm start` : 'start a hub with the adapters role';
      items.push({ reason: 'consumer-stopped', orderNo: null, since: now.toISOString(), message: `${who} is not running (group ${g.groupId}, ${g.state}): ${waiting} message(s) wait on ${Object.keys(g.lag).join(', ')}; ${start}`, text: `${g.groupId.startsWith('adapter.') ? `适配器 ${g.groupId.slice('adapter.'.length).split('.')[0]!}` : '平台的读取进程'}没有运行（消费组 ${g.groupId}，${g.state}）：${Object.keys(g.lag).join('、')} 上有 ${waiting} 条消息等待；${start}`, ref: { groupId: g.groupId, lag: g.lag } });
    }
    if (o.servedTypes && o.modelsDir) {
      const served = new Set(o.servedTypes);
      for (const t of modelJobTypes(o.modelsDir).filter((x) => !served.has(x))) {
        items.push({ reason: 'no-worker', orderNo: null, since: now.toISOString(), message: `the models use job type "${t}", which no worker of this hub serves: its jobs wait for ever. Add workers/${t}.ts or correct the model`, text: `流程模型使用了任务类型“${t}”，但没有任务处理程序：这类任务会一直等待。请添加 workers/${t}.ts 或修改模型`, ref: { jobType: t } });
      }
    }
    return items.sort((a, b) => a.since.localeCompare(b.since));
  }
}
