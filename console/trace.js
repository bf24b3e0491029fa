// An order's trace as an operator reads it on the console: each entry in Chinese, made from the
// entry's details (the API's `what` stays the English line of `hub trace`). What a system gave as
// it was — a topic, an event type, an error — is quoted as given. No I/O:
// test/console/trace.unit.test.ts runs it.

export const SOURCE = { step: '办理过程', job: '任务', timer: '定时器', 'kafka-in': '接收', operator: '运维操作', outbox: '发送', 'dead-letter': '死信', delivery: '适配器投递', task: '待办' };
const JOB_KIND = { 'job-completed': '完成', 'job-failed': '失败，将自动重试', incident: '多次失败后停止（故障）', 'job-error': '返回业务结果' };
const INBOUND = { accepted: '已处理', duplicate: '重复消息，已忽略', stale: '过期消息，已忽略' };
const ACTION = { retry: '重试', cancel: '撤销', migrate: '迁移到新版本流程' };
const CHANNEL = { kafka: 'Kafka', engine: '流程引擎', email: '邮件', sms: '短信' };
const STATE = { sent: '已送达', parked: '已放弃（待处理）', waiting: '等待发送' };

/**
 * `e`: a trace entry ({ source, what, detail }); `n`: the names (names.js: STEP, JOB, TASK, ROLE);
 * `who`: an actor code in words (actors.js).
 */
export function traceLine(e, n, who = (a) => a) {
  const d = e.detail ?? {};
  const job = (t) => `“${n.JOB[t] ?? t}”`;
  switch (e.source) {
    case 'step': {
      const note = String(e.what ?? '').startsWith(`${d.step}: `) ? String(e.what).slice(String(d.step).length + 2) : '';
      return `${n.STEP[d.step] ?? d.step}${note ? `：${note}` : ''}`;
    }
    case 'job':
      return `任务${job(d.component)}${JOB_KIND[d.kind] ?? d.kind}${d.error ? `：${d.error}` : d.code ? `：${d.code}` : ''}`;
    case 'timer':
      return `定时器到期，执行${job(d.component)}`;
    case 'kafka-in':
      return `从 ${d.topic} 收到 ${d.type}：${INBOUND[d.outcome] ?? d.outcome}`;
    case 'operator':
      return `${ACTION[d.action] ?? d.action}（${who(d.by)}）${d.reason ? `：${d.reason}` : ''}`;
    case 'outbox':
      return `${CHANNEL[d.channel] ?? d.channel} → ${d.destination ?? '市民或单位'}：${STATE[d.state] ?? d.state}${d.attempts > 0 ? `（尝试 ${d.attempts} 次）` : ''}${d.lastError && d.state !== 'sent' ? `：${d.lastError}` : ''}`;
    case 'dead-letter':
      return `死信 ${d.deadLetterId}：${d.consumer ? `适配器 ${d.consumer}` : '平台'}拒收来自 ${d.sourceTopic ?? ''} 的消息${d.reason ? `：${d.reason}` : ''}${d.replayedAt ? '（已重放）' : ''}`;
    case 'delivery':
      return `适配器 ${d.adapter} 已把事件送达其系统${d.attempts > 1 ? `（尝试 ${d.attempts} 次）` : ''}`;
    case 'task':
      return `待办“${n.TASK[d.kind] ?? d.kind}”（${n.ROLE[d.role] ?? d.role ?? ''}）：${d.status === 'done' ? `已办${d.completedBy ? `，${who(d.completedBy)}` : ''}` : '待办'}`;
    default:
      return String(e.what ?? '');
  }
}
